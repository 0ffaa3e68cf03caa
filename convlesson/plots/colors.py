"""The colour legend of every figure, with a light and a dark shade of each colour.

**Blue** is the input, **orange** the kernel (and its window on the
input), **teal** the output, **violet** a value below zero. The figures
drawn here and the page's interactive ones (through `css_variables`) take
their colours from this one module, so the legend reads the same
everywhere, in Material's light (``default``) and dark (``slate``) schemes.

WCAG 2.1 asks 3:1 contrast of graphics with what is behind them (1.4.11)
and 4.5:1 of text (1.4.3); `low_contrast` lists the colours here that fall
short on a surface of their scheme, and there are none:

>>> from convlesson.plots.colors import css_variables, low_contrast
>>> low_contrast()
[]
>>> print(css_variables().splitlines()[1])
  --cl-input: #2563eb;
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

SCHEMES = ("light", "dark")


class Shades(NamedTuple):
    """One colour in the light scheme and in the dark one, as ``'#rrggbb'``."""

    light: str
    dark: str


LEGEND = {
    "input": Shades("#2563eb", "#60a5fa"),
    "kernel": Shades("#ea580c", "#fb923c"),
    "output": Shades("#0d9488", "#2dd4bf"),
    "negative": Shades("#7c3aed", "#a78bfa"),
    "accent": Shades("#db2777", "#f472b6"),  # a fifth colour, where a figure needs one more
    "muted": Shades("#5b6472", "#a3aab8"),  # padding, axes, wires
}
"""Colours that mean something in a figure: lines, outlines, fills; at least 3:1 on every surface."""

TEXT = {
    "text": Shades("#212121", "#e3e5ee"),
    "input-text": Shades("#1d4ed8", "#93c5fd"),
    "kernel-text": Shades("#c2410c", "#fdba74"),
    "output-text": Shades("#0f766e", "#5eead4"),
    "negative-text": Shades("#6d28d9", "#c4b5fd"),
}
"""Text, and the legend's colours as text (a label in the input's blue); at least 4.5:1 on every surface."""

SURFACES = {
    "background": Shades("#ffffff", "#1e2129"),  # Material's page
    "surface": Shades("#ffffff", "#262a36"),  # what an interactive figure's cells are mixed into
    "panel": Shades("#f8fafc", "#1f232d"),  # behind an interactive figure
}
"""What the figures sit on."""

EMPTY = Shades("#e5e7eb", "#3a3f4d")
"""A cell with no value yet."""

INKS = ("#000000", "#ffffff")
"""Dark and light text for numbers on coloured cells: whichever contrasts more with the cell."""

WINDOWS = ("input", "kernel", "output", "accent")
"""Legend colours of neighbouring pooling windows, in turn."""

DIVERGING = Shades(light=("#08306b", "#3a87d0", "#ec6a2c", "#7f1d05"),
                   dark=("#a8d8ff", "#3f86c8", "#d0603a", "#ffb890"))
"""Stops of the signed colour map, most negative to most positive, the page's colour at 0 between them:
blue below zero and orange-red above, dark ends on the light page and light ends on the dark one."""


def rgb(color):
    """``(r, g, b)`` in [0, 1] from ``'#rrggbb'`` or from a sequence of 3 or 4 numbers in [0, 1]."""
    if isinstance(color, str):
        hex_digits = color.removeprefix("#")
        return tuple(int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return tuple(float(c) for c in color[:3])


def luminance(color):
    """Relative luminance (WCAG 2.1): ``0.2126 R + 0.7152 G + 0.0722 B`` of the linearised channels.

    Each channel c in [0, 1] is linearised as c / 12.92 up to 0.04045 and
    ((c + 0.055) / 1.055)^2.4 above.

    Examples
    --------
    >>> luminance("#000000"), luminance("#ffffff")
    (0.0, 1.0)
    """
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG contrast ratio ``(L1 + 0.05) / (L2 + 0.05)``, L1 the lighter: 1 (same) to 21 (black on white).

    Examples
    --------
    >>> round(contrast("#000000", "#ffffff"), 2), contrast("#2563eb", "#2563eb")
    (21.0, 1.0)
    """
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def low_contrast():
    """The colours that fall short of WCAG's minimum on a surface of their own scheme.

    Returns
    -------
    list of (str, str, str, float)
        ``(name, scheme, surface, ratio)`` for each `LEGEND` colour under
        3:1 and each `TEXT` colour under 4.5:1 on a `SURFACES` colour;
        empty when every colour reads.
    """
    failures = []
    for (group, minimum), scheme, surface in itertools.product([(LEGEND, 3.0), (TEXT, 4.5)], SCHEMES, SURFACES):
        for name, shades in group.items():
            ratio = contrast(getattr(shades, scheme), getattr(SURFACES[surface], scheme))
            if ratio < minimum:
                failures.append((name, scheme, surface, ratio))
    return failures


def css_variables():
    """The legend as CSS custom properties: the light scheme on ``:root``, the dark one under slate.

    Every colour of `LEGEND`, `TEXT` and `SURFACES` is ``--cl-<name>``;
    `EMPTY` is ``--cl-empty``, `INKS` are ``--cl-ink`` and ``--cl-paper``,
    and `WINDOWS` are ``--cl-win-1`` … ``--cl-win-4``, each naming its
    legend colour.

    Returns
    -------
    str
        Two CSS rules, ``:root { … }`` and ``[data-md-color-scheme="slate"] { … }``.
    """
    colors = {**LEGEND, **TEXT, **SURFACES, "empty": EMPTY}
    rules = []
    for scheme, selector in zip(SCHEMES, (":root", '[data-md-color-scheme="slate"]')):
        values = {name: getattr(shades, scheme) for name, shades in colors.items()}
        values |= {"ink": INKS[0], "paper": INKS[1]}
        values |= {f"win-{i}": f"var(--cl-{name})" for i, name in enumerate(WINDOWS, start=1)}
        body = "".join(f"  --cl-{name}: {value};\n" for name, value in values.items())
        rules.append(f"{selector} {{\n{body}}}\n")
    return "".join(rules)
