"""The ```` ```python run ```` fence: a Python block the reader can edit and run in the page.

Options after ``run``, space-separated:

- ``hidden``: a setup cell; it runs (at build and before later cells) but is not shown;
- ``readonly``: the reader can run the code but not edit it;
- ``raises``: the code is meant to raise; the build shows the error instead of failing;
- ``isolated``: the cell has a namespace of its own (the figures' cells use it, so that
  their variables never replace the lesson's); it runs without the page's earlier cells.

At build each cell runs in CPython (`cells.PageRun`) and its output is written under it, so
the page reads complete without JavaScript. The page's JavaScript turns the block into an
editor with controls, and live output replaces the build's.
"""

from __future__ import annotations

import base64
import html

from pymdownx.superfences import SuperFencesException

from . import cells, output

MARKER = "run"
OPTIONS = {"hidden", "readonly", "raises", "isolated"}


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


def format(page, source: str, options: dict, md) -> str:
    """The cell's markup, with its build-time output (``page`` is the `state.Page`)."""
    number = page.next_cell()
    try:
        outputs = page.run.run(number, source, raises="raises" in options, isolated="isolated" in options)
    except cells.CellError as error:
        raise SuperFencesException(f"{page.where}: {error}") from None
    flags = "".join(f" data-{flag}" for flag in sorted(OPTIONS & set(options)))
    return cell_html(number, source, md, output.render(outputs, lambda png: page.store(base64.b64decode(png))),
                     flags + (" hidden" if "hidden" in options else ""))


def cell_html(number: int, source: str, md, rendered: str, flags: str = "") -> str:
    """The markup of cell ``number``: its code, highlighted, and its output (``rendered`` HTML)."""
    return (
        f'<div class="cl-cell" role="group" aria-label="Code cell {number}" '
        f'data-cell="{number}"{flags}>\n{highlight(source, md)}\n'
        f'<textarea class="cl-cell__source" hidden>{html.escape(source)}</textarea>\n'
        f'<div class="cl-cell__output" aria-live="polite">'
        f"{rendered}</div>\n</div>"
    )


def highlight(source: str, md) -> str:
    """Python highlighted as the page's other code blocks are."""
    return md.preprocessors["fenced_code_block"].highlight(
        src=source, language="python", options={}, md=md, classes=None, id_value="", attrs={},
    )
