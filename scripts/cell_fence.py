"""The ```` ```python run ```` fence: a Python block the reader can edit and run in the page.

Options after ``run``, space-separated:

- ``hidden``: a setup cell; it runs (at build and before later cells) but is not shown;
- ``readonly``: the reader can run the code but not edit it;
- ``raises``: the code is meant to raise; the build shows the error instead of failing;
- ``isolated``: the cell has a namespace of its own (the figures' cells use it, so that
  their variables never replace the lesson's); it runs without the page's earlier cells.

At build each cell runs in CPython (:mod:`cell_exec`) and its output is written under it, so
the page reads complete without JavaScript. The page's JavaScript turns the block into an
editor with controls, and live output replaces the build's.
"""

from __future__ import annotations

import base64
import hashlib
import html
import struct

from mkdocs.utils import get_relative_url
from pymdownx.superfences import SuperFencesException

import cell_exec
import cell_render

MARKER = "run"
OPTIONS = {"hidden", "readonly", "raises", "isolated"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class CurrentPage:
    """The page being rendered: set by the hook before each page's Markdown is converted."""

    page = None
    run: cell_exec.PageRun | None = None
    count = 0
    images: dict[str, bytes] = {}  # every stored file (PNGs, figures' data), by site path

    @classmethod
    def start(cls, page, salt: str):
        cls.page, cls.count = page, 0
        cls.run = cell_exec.PageRun(page.file.src_uri, salt)


def validate(language, inputs, options, attrs, md) -> bool:
    """Claim only fences carrying the marker; plain ```` ```python ```` stays a code block."""
    if MARKER not in inputs:
        return False
    unknown = set(inputs) - OPTIONS - {MARKER}
    if unknown:
        raise SuperFencesException(
            f"unknown option(s) {sorted(unknown)} on a `python run` fence; "
            f"allowed: {sorted(OPTIONS)}"
        )
    options.update(inputs)
    return True


def format(source, language, class_name, options, md, **kwargs) -> str:
    page = CurrentPage
    page.count += 1
    number = page.count
    try:
        outputs = page.run.run(number, source, raises="raises" in options, isolated="isolated" in options)
    except cell_exec.CellError as error:
        raise SuperFencesException(f"{page.page.file.src_uri}: {error}") from None
    flags = "".join(f" data-{flag}" for flag in sorted(OPTIONS & set(options)))
    return cell_html(number, source, md, outputs, flags + (" hidden" if "hidden" in options else ""))


def cell_html(number: int, source: str, md, outputs, flags: str = "") -> str:
    """The markup of cell ``number``: its code, highlighted, and its build-time output."""
    return (
        f'<div class="cl-cell" role="group" aria-label="Code cell {number}" '
        f'data-cell="{number}"{flags}>\n{highlight(source, md)}\n'
        f'<textarea class="cl-cell__source" hidden>{html.escape(source)}</textarea>\n'
        f'<div class="cl-cell__output" aria-live="polite">'
        f"{cell_render.render(outputs, image_url)}</div>\n</div>"
    )


def highlight(source: str, md) -> str:
    """Python highlighted as the page's other code blocks are."""
    return md.preprocessors["fenced_code_block"].highlight(
        src=source, language="python", options={}, md=md, classes=None, id_value="", attrs={},
    )


def image_url(png_b64: str) -> str:
    """Keep a cell's figure for the post-build step and return its URL relative to the page."""
    return store_image(base64.b64decode(png_b64))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header (its IHDR chunk comes first)."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("a figure marked image/png is not a PNG")
    return struct.unpack(">II", data[16:24])


def store_image(data: bytes, page_url: str | None = None) -> str:
    """Keep a PNG for the post-build step and return its URL relative to the page: the page at
    ``page_url``, by default the page whose Markdown is being converted."""
    return store_file(data, ".png", page_url)


def store_file(data: bytes, suffix: str, page_url: str | None = None) -> str:
    """Keep a file (named by its content) for the post-build step; its URL as `store_image`'s."""
    name = f"assets/cells/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    CurrentPage.images[name] = data
    return get_relative_url(name, CurrentPage.page.url if page_url is None else page_url)
