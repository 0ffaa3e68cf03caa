"""The ```` ```python run ```` fence: a Python block the reader can edit and run in the page.

The block renders as ordinary highlighted code inside a ``div.cl-cell``; the page's
JavaScript turns it into an editor with controls. Without JavaScript it stays a readable
code block.
"""

from __future__ import annotations

import html

MARKER = "run"


class PageCells:
    """Numbers the runnable cells of the page being rendered (set by the hook per page)."""

    count = 0


def validate(language, inputs, options, attrs, md) -> bool:
    """Claim only fences carrying the marker; plain ```` ```python ```` stays a code block."""
    if MARKER not in inputs:
        return False
    options.update(inputs)
    return True


def format(source, language, class_name, options, md, **kwargs) -> str:
    PageCells.count += 1
    number = PageCells.count
    highlighted = md.preprocessors["fenced_code_block"].highlight(
        src=source, language="python", options={}, md=md,
        classes=None, id_value="", attrs={},
    )
    return (
        f'<div class="cl-cell" role="group" aria-label="Code cell {number}" '
        f'data-cell="{number}">\n{highlighted}\n'
        f'<textarea class="cl-cell__source" hidden>{html.escape(source)}</textarea>\n'
        '<div class="cl-cell__output" aria-live="polite"></div>\n</div>'
    )
