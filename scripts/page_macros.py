"""Numbers and figures in the prose, computed at build: ``{{ expr }}`` or ``{{ expr :format }}``.

``expr`` is a Python expression evaluated with ``cl`` (convlesson), ``np`` (numpy) and
:func:`figure`; its value replaces the braces. Integers get thousands separators
(``{{ cl.conv2d_params(64, 128, 3) }}`` → 73,856); ``:format`` is a format spec, as in an
f-string (``{{ 1 / 3 :.2f }}`` → 0.33). A value that is a string is inserted as it is, so a
function may return a Markdown table or a figure's HTML.
Code blocks and inline code are left alone, so pages can show the braces themselves.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import pickle
import re

import numpy as np

import cell_exec
import cell_fence
import convlesson as cl
import site_runtime

MACRO = re.compile(r"\{\{\s*(?P<expr>.+?)(?:\s+:(?P<spec>[^\s}]+))?\s*\}\}", re.S)
# Fenced blocks (``` or ~~~, any length, possibly indented) and inline code spans.
CODE = re.compile(r"(?ms)^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")


class MacroError(Exception):
    """An expression in a page failed to evaluate."""


def namespace() -> dict:
    return {"cl": cl, "np": np, "figure": figure, "trained_filters": trained_filters}


def trained_filters() -> np.ndarray:
    """First-layer kernels (16, 1, 5, 5) of a small ConvNet trained on the digits at build.

    Training takes a few seconds, so the result is cached until convlesson's sources change.
    """
    from convlesson import data, nn

    cached = cell_exec.CACHE / f"trained-filters-{site_runtime.source_hash()}.npy"
    if cached.is_file():
        return np.load(cached)
    nn.manual_seed(0)
    train, test = data.digits_split()
    model = nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 10),
    )
    nn.fit(model, nn.CrossEntropyLoss(), nn.Adam(model.parameters(), lr=0.01), train, test, epochs=8, rng=0)
    weights = model.state_dict()["0.weight"]
    cell_exec.CACHE.mkdir(parents=True, exist_ok=True)
    np.save(cached, weights)
    return weights


def figure(name: str, alt: str, caption: str = "", plot: str | None = None, **kwargs) -> str:
    """A ``cl.plots`` figure drawn at build, once per colour scheme, as HTML.

    ``name`` is the figure's layout (``cl.plots.figure(name)``) and, unless ``plot`` says
    otherwise, the function that draws it; ``kwargs`` go to that function. Material shows the
    light image with the light palette and the dark one with the dark palette.
    """
    import convlesson.plots as plots

    draw = getattr(plots, plot or name)
    key = hashlib.sha256(pickle.dumps((name, plot, sorted(kwargs.items()), site_runtime.source_hash())))
    cached = cell_exec.CACHE / f"figure-{key.hexdigest()}.json"
    if cached.is_file():
        rendered = {scheme: (bytes.fromhex(png), size) for scheme, (png, size) in json.loads(cached.read_text()).items()}
    else:
        rendered = {}
        for scheme in ("light", "dark"):
            with plots.theme(scheme):
                fig, axes = plots.figure(name)
                if axes is None:
                    draw(fig, **kwargs)
                elif isinstance(axes, np.ndarray):
                    draw(*axes.ravel(), **kwargs)
                else:
                    draw(axes, **kwargs)
                buffer = io.BytesIO()
                fig.savefig(buffer, format="png", dpi=144)
            width, height = (fig.get_size_inches() * 96).round().astype(int).tolist()
            rendered[scheme] = (buffer.getvalue(), (width, height))
        cell_exec.CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({s: (png.hex(), size) for s, (png, size) in rendered.items()}))
    images = "".join(
        f'<img src="{cell_fence.store_image(png)}#only-{scheme}" alt="{html.escape(alt)}" '
        f'width="{width}" height="{height}" loading="lazy">'
        for scheme, (png, (width, height)) in rendered.items()
    )
    caption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="cl-figure">{images}{caption}</figure>'


def render(value, spec: str | None) -> str:
    if spec:
        return format(value, spec)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{int(value):,}"
    return str(value)


def expand(markdown: str, where: str) -> str:
    """Replace every macro outside code in ``markdown``; ``where`` names the page in errors."""
    scope = namespace()

    def replace(match):
        expr, spec = match["expr"], match["spec"]
        try:
            return render(eval(expr, scope), spec)  # the page's own expression, as in a cell
        except Exception as error:
            raise MacroError(f"{where}: {{{{ {expr} }}}} failed: {type(error).__name__}: {error}") from None

    pieces, last = [], 0
    for code in CODE.finditer(markdown):
        pieces.append(MACRO.sub(replace, markdown[last:code.start()]))
        pieces.append(code.group(0))
        last = code.end()
    pieces.append(MACRO.sub(replace, markdown[last:]))
    return "".join(pieces)
