"""Drawing helpers for the widgets' static renderings, for readers without JavaScript.

Each widget's ``static(data)`` draws its default state from the data computed with convlesson
and returns ``(png_bytes, alt_text)`` (network_shapes returns an HTML table instead). Figures are made with ``matplotlib.figure.Figure``, not pyplot, so that
nothing touches the pyplot state the build's cells use. Helpers take the Axes first and return
what they drew, in the explicit Axes style.
"""

from __future__ import annotations

import html
import io

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convlesson.plots.colors import LEGEND, SURFACES, TEXT, WINDOWS


# The legend of every figure, in its light scheme (convlesson's legend: the page's colours too).
BLUE, ORANGE, TEAL, VIOLET, MUTED = (LEGEND[role].light for role in ("input", "kernel", "output", "negative", "muted"))
INK, PAPER = TEXT["text"].light, SURFACES["surface"].light
WINDOW_COLORS = [LEGEND[role].light for role in WINDOWS]  # one colour per 2×2 pooling window
DIVERGING = LinearSegmentedColormap.from_list("violet_white_teal", [VIOLET, PAPER, TEAL])
DPI = 144


def tint(color, amount):
    """``color`` mixed into white: 0 is white, 1 the colour itself."""
    return tuple(1 - amount * (1 - c) for c in to_rgb(color))


def ink_on(face):
    """Dark text on light fills, white text on dark ones."""
    r, g, b = to_rgb(face)
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else PAPER


def number(value) -> str:
    """A value as the page shows it: at most two decimals, a true minus sign."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


def paren(text: str) -> str:
    """A negative number in parentheses, so that (−1)·0 does not read as −(1·0)."""
    return f"({text})" if text.startswith("−") else text


def draw_cells(ax, values, x, y, faces, *, edge="#ffffff", text=True, size=10, linestyle="-"):
    """Draw a grid of unit squares with top-left corner at (x, y) (y grows downwards).

    ``faces`` is one colour or a grid of colours like ``values``; returns the patches.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    single = isinstance(faces, str) or (isinstance(faces, tuple) and np.isscalar(faces[0]))
    patches = []
    for (i, j), value in np.ndenumerate(values):
        face = faces if single else faces[i][j]
        patch = Rectangle((x + j, y + i), 1, 1, facecolor=face, edgecolor=edge, linewidth=1.2,
                          linestyle=linestyle)
        ax.add_patch(patch)
        patches.append(patch)
        if text and not np.isnan(value):
            ax.text(x + j + 0.5, y + i + 0.52, number(value), ha="center", va="center",
                    fontsize=size, color=ink_on(face))
    return patches


def outline(ax, x, y, width, height, color, linewidth=3):
    """A rectangle's outline (the kernel's window); returns the patch."""
    patch = Rectangle((x, y), width, height, fill=False, edgecolor=color, linewidth=linewidth)
    ax.add_patch(patch)
    return patch


def label(ax, x, y, text, **kwargs):
    """A label in the figure's muted colour; returns the Text."""
    return ax.text(x, y, text, color=kwargs.pop("color", MUTED), fontsize=kwargs.pop("fontsize", 10),
                   **kwargs)


def canvas(width, height, xlim, ylim):
    """A Figure with one frameless Axes whose y axis points down, like the page's grids."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    ax.set_xlim(*xlim)
    ax.set_ylim(ylim[1], ylim[0])
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None}, facecolor=PAPER)
    return buffer.getvalue()


def intensity_faces(values, color, low=0.0, high=1.0):
    """Tints of ``color`` for each value, from white at ``low`` to full at ``high``."""
    span = (high - low) or 1.0
    return [[tint(color, 0.08 + 0.92 * float(np.clip((v - low) / span, 0, 1))) for v in row]
            for row in np.atleast_2d(values)]


#
