"""Numbers in the prose, computed at build: ``{{ expr }}`` or ``{{ expr :format }}``.

``expr`` is a Python expression evaluated with ``cl`` (convlesson) and ``np`` (numpy); its value
replaces the braces. Integers get thousands separators (``{{ cl.conv2d_params(64, 128, 3) }}``
→ 73,856); ``:format`` is a format spec, as in an f-string (``{{ 1 / 3 :.2f }}`` → 0.33). A value
that is a string is inserted as it is, so a function may return a Markdown table.
Code blocks and inline code are left alone, so pages can show the braces themselves.
"""

from __future__ import annotations

import re

import numpy as np

import convlesson as cl

MACRO = re.compile(r"\{\{\s*(?P<expr>.+?)(?:\s+:(?P<spec>[^\s}]+))?\s*\}\}", re.S)
# Fenced blocks (``` or ~~~, any length, possibly indented) and inline code spans.
CODE = re.compile(r"(?ms)^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")


class MacroError(Exception):
    """An expression in a page failed to evaluate."""


def namespace() -> dict:
    return {"cl": cl, "np": np}


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
