"""The ```` ```widget NAME ```` fence: an interactive figure, with a runnable cell under it.

````markdown
```widget conv_playground image="checkerboard" kernel="sharpen"
```
````

``NAME`` is one of `widget_data.SPECS` (``sliding_1d``, ``kernel_explorer``,
``stride_padding``, ``output_size``, ``pooling``, ``network_shapes``, ``conv_playground``).
Names use underscores: the fence's option syntax (pymdownx.superfences) has no hyphens. Options
are ``key="value"`` pairs: each widget's own (see `widget_data.SPECS`) and, for all,
``caption="…"`` to replace the default caption. The fence has no body.

The build writes a ``<figure class="cl-widget" data-widget="NAME">`` holding a static rendering
of the default state (a PNG drawn with convlesson's numbers, or an HTML table), the figure's
data as JSON and a caption; ``widgets.js`` adds the controls. Binary data (``bytes``, such as
the kernel explorer's photo) goes to a file beside the page, named in the JSON as
``{"bytes": URL}``, so that the page the reader waits for stays small. The JSON sits in a
``<template>``, not a ``<script type="application/json">``: Material's instant navigation
re-creates every inline script of the new page without its type, which would run the JSON as
JavaScript (a syntax error) and drop the element. Under the figure comes a runnable
cell (`cell_fence.format`) with the convlesson code of the default state, run at build like
every cell; the figure's "Open as code" button puts the code of its current state there.
"""

from __future__ import annotations

import functools
import html
import json

from pymdownx.superfences import SuperFencesException

import cell_fence
import widget_data
import widget_plots

COMMON_OPTIONS = {"caption"}


class Count:
    """Figures met on the current page, for unique ids."""

    page = None
    n = 0

    @classmethod
    def next(cls):
        if cls.page is not cell_fence.CurrentPage.page:
            cls.page, cls.n = cell_fence.CurrentPage.page, 0
        cls.n += 1
        return cls.n


def validate(language, inputs, options, attrs, md) -> bool:
    """Accept ```` ```widget NAME key="value" ```` with a known NAME and that widget's options."""
    names = [key for key, value in inputs.items() if key == value and key not in COMMON_OPTIONS]
    known = ", ".join(widget_data.SPECS)
    if len(names) != 1 or names[0] not in widget_data.SPECS:
        given = " ".join(names) or "nothing"
        raise SuperFencesException(f"a `widget` fence names one figure, got {given}; choose one of: {known}")
    name = names[0]
    spec = widget_data.SPECS[name]
    settings = {key: value for key, value in inputs.items() if key != name}
    for key, value in settings.items():
        if key in COMMON_OPTIONS:
            continue
        if key not in spec.options:
            allowed = sorted([*spec.options, *COMMON_OPTIONS])
            raise SuperFencesException(f"widget {name}: unknown option {key!r}; allowed: {allowed}")
        choices = spec.options[key]
        if choices is not None and value not in choices:
            raise SuperFencesException(
                f"widget {name}: {key}={value!r} is not one of {', '.join(choices)}")
    options.update(widget=name, settings=settings)
    return True


@functools.cache
def build(name: str, settings: tuple[tuple[str, str], ...]):
    """The figure's data, its default code and its static rendering, once per build and state."""
    spec = widget_data.SPECS[name]
    data = spec.data(dict(settings))
    static = widget_plots.RENDER[name](data)
    return data, spec.code(data), static


def format(source, language, class_name, options, md, **kwargs) -> str:
    name, settings = options["widget"], options["settings"]
    page = cell_fence.CurrentPage.page
    where = page.file.src_uri if page else "?"
    if source.strip():
        raise SuperFencesException(f"{where}: the `widget {name}` fence takes no body; use caption=\"…\"")
    try:
        data, code, static = build(name, tuple(sorted((k, v) for k, v in settings.items() if k != "caption")))
    except ValueError as error:
        raise SuperFencesException(f"{where}: widget {name}: {error}") from None
    number = Count.next()
    caption = settings.get("caption") or widget_data.SPECS[name].caption
    figure_id = f"cl-widget-{number}"
    payload = html.escape(json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=stored), quote=False)
    cell = cell_fence.format(code, "python", "python", {"isolated": "isolated"}, md)
    return (
        f'<div class="cl-widget-block">\n'
        f'<figure class="cl-widget" data-widget="{name}" id="{figure_id}" '
        f'aria-labelledby="{figure_id}-caption">\n'
        f'<div class="cl-widget__static">{static_html(static)}</div>\n'
        f'<template class="cl-widget__data">{payload}</template>\n'
        f'<figcaption class="cl-widget__caption" id="{figure_id}-caption">{html.escape(caption)}</figcaption>\n'
        f"</figure>\n{cell}\n</div>"
    )


def stored(value):
    """Binary data in a figure's JSON (e.g. the kernel explorer's photo, 32 KB) becomes a file
    beside the page, ``{"bytes": URL}``: widgets.js fetches it while the page shows."""
    if isinstance(value, bytes):
        return {"bytes": cell_fence.store_file(value, ".bin")}
    raise TypeError(f"a figure's data holds a {type(value).__name__}, which JSON cannot hold")


def static_html(static) -> str:
    """An ``<img>`` for a PNG rendering (its URL from cell_fence, which writes it into the site)."""
    if isinstance(static, str):
        return static
    data, alt = static
    width, height = cell_fence.png_size(data)
    scale = 96 / widget_plots.DPI
    url = cell_fence.store_image(data)
    return (
        f'<img class="cl-widget__image" src="{url}" alt="{html.escape(alt)}" '
        f'width="{round(width * scale)}" height="{round(height * scale)}" loading="lazy">'
    )
