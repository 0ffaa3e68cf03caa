"""The ```` ```widget NAME ```` fence: an interactive figure, with a runnable cell under it.

````markdown
```widget conv_playground image="checkerboard" kernel="sharpen"
```
````

``NAME`` is one of `widgets.NAMES` (``sliding_1d``, ``kernel_explorer``,
``stride_padding``, ``output_size``, ``pooling``, ``network_shapes``, ``conv_playground``).
Names use underscores: the fence's option syntax (pymdownx.superfences) has no hyphens. Options
are ``key="value"`` pairs: each widget's own (its ``SPEC.options``) and, for all,
``caption="…"`` to replace the default caption. The fence has no body.

The build writes a ``<figure class="cl-widget" data-widget="NAME">`` holding a static rendering
of the default state (a PNG drawn with convlesson's numbers, or an HTML table), the figure's
data as JSON and a caption; ``widgets.js`` adds the controls. Binary data (``bytes``, such as
the kernel explorer's photo) goes to a file beside the page, named in the JSON as
``{"bytes": URL}``, so that the page the reader waits for stays small. The JSON sits in a
``<template>``, not a ``<script type="application/json">``: Material's instant navigation
re-creates every inline script of the new page without its type, which would run the JSON as
JavaScript (a syntax error) and drop the element. Under the figure comes a runnable
cell (`cell.format`) with the convlesson code of the default state, run at build like
every cell; the figure's "Open as code" button puts the code of its current state there.
"""

from __future__ import annotations

import html
import json
import re

from pymdownx.superfences import SuperFencesException

from .. import cell, macros
from . import NAMES, spec

COMMON_OPTIONS = {"caption"}


def validate(language, inputs, options, attrs, md) -> bool:
    """Accept ```` ```widget NAME key="value" ```` with a known NAME and that widget's options."""
    names = [key for key, value in inputs.items() if key == value and key not in COMMON_OPTIONS]
    known = ", ".join(NAMES)
    if len(names) != 1 or names[0] not in NAMES:
        given = " ".join(names) or "nothing"
        raise SuperFencesException(f"a `widget` fence names one figure, got {given}; choose one of: {known}")
    name = names[0]
    options_allowed = spec(name).options
    settings = {key: value for key, value in inputs.items() if key != name}
    for key, value in settings.items():
        if key in COMMON_OPTIONS:
            continue
        if key not in options_allowed:
            allowed = sorted([*options_allowed, *COMMON_OPTIONS])
            raise SuperFencesException(f"widget {name}: unknown option {key!r}; allowed: {allowed}")
        choices = options_allowed[key]
        if choices is not None and value not in choices:
            raise SuperFencesException(
                f"widget {name}: {key}={value!r} is not one of {', '.join(choices)}")
    options.update(widget=name, settings=settings)
    return True


def build(widgets: dict, name: str, settings: tuple[tuple[str, str], ...]):
    """The figure's data, its default code and its static rendering, once per build (``widgets``
    is the build's cache) and state."""
    key = (name, settings)
    if key not in widgets:
        found = spec(name)
        data = found.data(dict(settings))
        widgets[key] = data, found.code(data), found.static(data)
    return widgets[key]


def format(page, source: str, options: dict, md) -> str:
    """The figure and the runnable cell under it (``page`` is the `state.Page`)."""
    name, settings = options["widget"], options["settings"]
    if source.strip():
        raise SuperFencesException(f"{page.where}: the `widget {name}` fence takes no body; use caption=\"…\"")
    try:
        key = tuple(sorted((k, v) for k, v in settings.items() if k != "caption"))
        data, code, static = build(page.build.widgets, name, key)
    except ValueError as error:
        raise SuperFencesException(f"{page.where}: widget {name}: {error}") from None
    under = cell.format(page, code, {"isolated": "isolated"}, md)
    return f'<div class="cl-widget-block">\n{figure_html(page, name, settings, data, static)}\n{under}\n</div>'


def figure_html(page, name: str, settings: dict, data, static) -> str:
    """The ``<figure>`` of widget ``name``: its static rendering, its data and its caption."""
    number = page.next_widget()
    caption = settings.get("caption") or spec(name).caption
    figure_id = f"cl-widget-{number}"

    def stored(value):
        """Binary data in a figure's JSON (e.g. the kernel explorer's photo, 32 KB) becomes a
        file beside the page, ``{"bytes": URL}``: widgets.js fetches it while the page shows."""
        if isinstance(value, bytes):
            return {"bytes": page.store(value, ".bin")}
        raise TypeError(f"a figure's data holds a {type(value).__name__}, which JSON cannot hold")

    payload = html.escape(json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=stored), quote=False)
    return (
        f'<figure class="cl-widget" data-widget="{name}" id="{figure_id}" '
        f'aria-labelledby="{figure_id}-caption">\n'
        f'<div class="cl-widget__static">{static_html(page, static)}</div>\n'
        f'<template class="cl-widget__data">{payload}</template>\n'
        f'<figcaption class="cl-widget__caption" id="{figure_id}-caption">{html.escape(caption)}</figcaption>\n'
        f"</figure>"
    )


SLOT = re.compile(r'<div class="cl-widget-slot" data-widget="(\w+)"></div>')


def slots(page, text: str) -> str:
    """Notebook pages (whose Markdown cells no fence reaches): each
    ``<div class="cl-widget-slot" data-widget="NAME"></div>`` of a Markdown cell becomes widget
    NAME's figure in its default state, without a cell under it (the notebook's own cells follow)."""

    def replace(match):
        name = match.group(1)
        if name not in NAMES:
            raise ValueError(f"no widget {name!r}; the widgets are {', '.join(NAMES)}")
        data, _, static = build(page.build.widgets, name, ())
        return figure_html(page, name, {}, data, static)

    return SLOT.sub(replace, text)


def static_html(page, static) -> str:
    """The static rendering's HTML: a `Drawing`'s light and dark images, stored with the page
    (Material shows the one of its palette), or the HTML rendering as it is."""
    if isinstance(static, str):
        return static
    rendered = macros.drawn(page.build, static.layout, static.plot, static.kwargs)
    classes = {"light": "cl-widget__image", "dark": "cl-widget__image-dark"}
    return macros.images_html(page, rendered, static.alt, classes)
