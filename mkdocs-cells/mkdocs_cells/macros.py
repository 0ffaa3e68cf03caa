"""Numbers and figures in the prose, computed at build: ``{{ expr }}`` or ``{{ expr :format }}``.

``expr`` is a Python expression evaluated with the names of the plugin's ``macros`` setting
(here ``cl`` for convlesson, ``np`` for numpy), :func:`figure`, :func:`cached` and
``offline_course()`` (the control that keeps the course offline: `offline.control`); its value
replaces the braces. Integers get thousands separators
(``{{ cl.conv2d_params(64, 128, 3) }}`` → 73,856); ``:format`` is a format spec, as in an
f-string (``{{ 1 / 3 :.2f }}`` → 0.33). A value that is a string is inserted as it is, so a
function may return a Markdown table or a figure's HTML.
Code blocks and inline code are left alone, so pages can show the braces themselves.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import io
import json
import pickle
import re
from pathlib import Path

import numpy as np

from . import offline

MACRO = re.compile(r"\{\{\s*(?P<expr>.+?)(?:\s+:(?P<spec>[^\s}]+))?\s*\}\}", re.S)
# Fenced blocks (``` or ~~~, any length, possibly indented) and inline code spans.
CODE = re.compile(r"(?ms)^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")


class MacroError(Exception):
    """An expression in a page failed to evaluate."""


def resolve(target: str):
    """The object named by ``"module"`` or ``"module:attribute"``."""
    module, _, attribute = target.partition(":")
    found = importlib.import_module(module)
    return getattr(found, attribute) if attribute else found


def namespace(page) -> dict:
    """What a page's expressions can use: the ``macros`` setting's names, `figure` and `cached`
    bound to ``page`` (a `state.Page`), and ``offline_course``."""
    build = page.build
    names = {name: resolve(target) for name, target in build.macros.items()}
    names["figure"] = lambda *args, **kwargs: figure(page, *args, **kwargs)
    names["cached"] = lambda target, *args: cached(build.cache / "cells", build.salt, target, *args)
    names["offline_course"] = offline.control
    return names


def cached(folder: Path, salt: str, target: str, *args):
    """``target(*args)`` (a ``"module:function"``), computed once per version of what cells
    depend on (``salt``) and kept in ``folder``: for results that take seconds, such as a
    network trained for a figure."""
    key = hashlib.sha256(pickle.dumps((target, args, salt))).hexdigest()
    path = folder / f"macro-{key}.pickle"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    value = resolve(target)(*args)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def figure(page, name: str, alt: str, caption: str = "", plot: str | None = None, **kwargs) -> str:
    """A figure drawn at build, once per colour scheme, as HTML.

    ``name`` is the figure's layout (``figure(name)`` of the module set as ``figures``) and,
    unless ``plot`` says otherwise, the function that draws it; ``kwargs`` go to that function.
    Material shows the light image with the light palette and the dark one with the dark palette.
    """
    images = images_html(page, drawn(page.build, name, plot or name, kwargs), alt)
    caption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="cl-figure">{images}{caption}</figure>'


def drawn(build, layout: str, plot: str, kwargs: dict) -> dict[str, tuple[bytes, tuple[int, int]]]:
    """``plot(axes of layout, **kwargs)`` of the ``figures`` module as PNG, per colour scheme
    (``{"light": (png, (width, height)), "dark": ...}``, sizes in CSS pixels); cached by
    everything it depends on."""
    plots = resolve(build.figures)
    draw = getattr(plots, plot)
    key = hashlib.sha256(pickle.dumps((layout, plot, sorted(kwargs.items()), build.salt)))
    cached = build.cache / "cells" / f"figure-{key.hexdigest()}.json"
    if cached.is_file():
        return {scheme: (bytes.fromhex(png), size) for scheme, (png, size) in json.loads(cached.read_text()).items()}
    rendered = {}
    for scheme in ("light", "dark"):
        with plots.theme(scheme):
            fig, axes = plots.figure(layout)
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
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({s: (png.hex(), size) for s, (png, size) in rendered.items()}))
    return rendered


def images_html(page, rendered: dict, alt: str, classes: dict[str, str] | None = None) -> str:
    """One ``<img>`` per colour scheme, stored with ``page``; Material shows the one of its
    palette (``#only-light``, ``#only-dark``). ``classes`` gives each scheme's image a class."""
    classes = {scheme: f' class="{name}"' for scheme, name in (classes or {}).items()}
    return "".join(
        f'<img{classes.get(scheme, "")} src="{page.store(png)}#only-{scheme}" alt="{html.escape(alt)}" '
        f'width="{width}" height="{height}" loading="lazy">'
        for scheme, (png, (width, height)) in rendered.items()
    )


def render(value, spec: str | None) -> str:
    if spec:
        return format(value, spec)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{int(value):,}"
    return str(value)


def expand(markdown: str, page) -> str:
    """Replace every macro outside code in ``markdown`` (of ``page``, a `state.Page`)."""
    scope, where = namespace(page), page.where

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
