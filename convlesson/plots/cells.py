"""Cells of numbers: the drawing under every grid figure, one unit square per array entry.

Cell ``(i, j)`` is the square from ``(x0 + j, y0 + i)`` to ``(x0 + j + 1,
y0 + i + 1)``, rows going down, its number written at its centre.
"""

from __future__ import annotations

import fractions
import math

import matplotlib.colors
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from .schemes import ink_on, palette, rgba, role_color


def fit_fontsize(ax, shape, longest):
    """A font size (points) that fits ``longest`` characters in a cell of a ``shape`` grid on ``ax``."""
    box = ax.get_window_extent()
    points = 72 / ax.figure.dpi
    cell = min(box.width / shape[1], box.height / shape[0]) * points
    return float(np.clip(min(0.42 * cell, 1.5 * cell / max(longest, 1)), 5, 13))


def number(value):
    """A cell's number as text: integers without a decimal point, others to 2 decimals."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == round(value) and abs(value) < 1e6:
        return str(int(round(value)))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fraction(value):
    """A kernel entry as a short fraction: 0.0625 as '1/16'."""
    f = fractions.Fraction(float(value)).limit_denominator(64)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def draw_cells(ax, values, x0=0.0, y0=0.0, color="input", cmap=None, fmt=None, fontsize=None,
           faces=None, alpha=0.16, edge_alpha=0.7, numbers=True, zorder=1):
    """Draw ``values`` as square cells with unit side, the top-left corner at (x0, y0), rows going down.

    Returns ``{"cells": PatchCollection, "texts": list of Text}``.
    """
    values = np.asarray(values, dtype=float)
    h, w = values.shape
    if faces is None and cmap is not None:
        finite = values[np.isfinite(values)]
        lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
        norm = matplotlib.colors.Normalize(lo, hi if hi > lo else lo + 1)
        faces = matplotlib.colormaps[cmap](norm(values)) if isinstance(cmap, str) else cmap(norm(values))
    if faces is None:
        faces = np.broadcast_to(rgba(role_color(color), alpha), (h, w, 4))
    edge = rgba(role_color(color) if cmap is None else palette()["muted"], edge_alpha)
    squares = [Rectangle((x0 + j, y0 + i), 1, 1) for i in range(h) for j in range(w)]
    cells = PatchCollection(squares, facecolors=np.asarray(faces).reshape(-1, 4), edgecolors=[edge],
                            linewidths=1.0, zorder=zorder)
    ax.add_collection(cells)
    texts = []
    if numbers:
        fmt = fmt or number
        strings = [[fmt(v) for v in row] for row in values]
        size = fontsize or fit_fontsize(ax, (h, w), max(len(s) for row in strings for s in row))
        faces = np.asarray(faces)
        for i in range(h):
            for j in range(w):
                ink = ink_on(faces[i, j]) if cmap is not None else palette()["text"]
                texts.append(ax.text(x0 + j + 0.5, y0 + i + 0.5, strings[i][j], ha="center", va="center",
                                     fontsize=size, color=ink, zorder=zorder + 2))
    return {"cells": cells, "texts": texts}


def frame(ax, width, height, x0=0.0, y0=0.0, margin=0.15, rows=None):
    """Show the region [x0, x0 + width] × [y0, y0 + height] with rows going down, square cells, no axis.

    With ``rows``, show that many rows' height instead, centred on the region: side-by-side
    panels of one height given the same ``rows`` then draw cells of the same size.
    """
    ax.set_xlim(x0 - margin, x0 + width + margin)
    if rows is None:
        ax.set_ylim(y0 + height + margin, y0 - margin)
    else:
        middle = y0 + height / 2
        ax.set_ylim(middle + rows / 2 + margin, middle - rows / 2 - margin)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw_window(ax, row, col, height, width, x0=0.0, y0=0.0, color="kernel", dashed=False, fill=0.3):
    """An outlined (and lightly filled) window over cells, e.g. the kernel's position."""
    rect = Rectangle((x0 + col, y0 + row), width, height, facecolor=rgba(role_color(color), fill),
                     edgecolor=role_color(color), linewidth=2.5, linestyle="--" if dashed else "-", zorder=4)
    ax.add_patch(rect)
    return rect
