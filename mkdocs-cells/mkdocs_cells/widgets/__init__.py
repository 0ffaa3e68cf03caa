"""The interactive figures ("widgets"), each in a folder of its own: its data, code and static
rendering (``NAME/__init__.py``), its controls in the page (``NAME/NAME.js``) and its style
(``NAME/NAME.css``). ``widgets.js`` mounts them; the ```` ```widget NAME ```` fence (`fence`)
places them.
"""

from __future__ import annotations

import importlib
from pathlib import Path

NAMES = (
    "sliding_1d", "kernel_explorer", "stride_padding", "output_size", "pooling", "network_shapes",
    "conv_playground", "digit_pad",
)


def spec(name: str):
    """The `Spec` of widget ``name`` (its module is imported on first use: it needs convlesson)."""
    if name not in NAMES:
        raise KeyError(f"no widget {name!r}; the widgets are {', '.join(NAMES)}")
    return importlib.import_module(f".{name}", __name__).SPEC


def stylesheet() -> str:
    """The widgets' one style sheet: the legend's colours (generated from convlesson's legend,
    the figures' one source of colour), what all widgets share, then each widget's own rules."""
    from convlesson.plots.colors import css_variables

    here = Path(__file__).parent
    parts = [css_variables(), (here / "widgets.css").read_text()]
    parts += [(here / name / f"{name}.css").read_text() for name in NAMES]
    return "\n".join(parts)
