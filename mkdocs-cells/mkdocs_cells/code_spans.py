"""Fewer elements in highlighted code: unwrap the Pygments spans that Material colours as plain code.

Pygments puts every name (``n``) and every run of spaces (``w``) of a code block in its own
``<span>``, a fifth of the elements of a page full of code. Material gives both the colour of
the code around them (``--md-code-hl-name-color`` is ``--md-code-fg-color``; ``w`` has no rule),
so without the span the code looks the same. It loads faster: every time the page's style
changes as it starts, the browser styles and lays out each element again.
"""

from __future__ import annotations

import re

PLAIN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def unwrap(html: str) -> str:
    """The page with its plain-coloured token spans replaced by their text."""
    return PLAIN.sub(r"\1", html)
