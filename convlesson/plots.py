"""The lesson's figures, drawn with matplotlib from convlesson's own numbers.

Every function draws into the Axes (or Figure) it is given and returns what
it drew, so a page can check the picture against the math::

    import matplotlib.pyplot as plt
    from convlesson import plots

    fig, ax = plt.subplots(figsize=(4, 4), layout="constrained")
    plots.grid(ax, [[1, 2], [3, 4]])

Given ``None`` instead, a function makes its own `matplotlib.figure.Figure`
(not a pyplot figure: nothing global changes) at the fixed size `figure`
gives it; the returned artists know it (``artist.figure``).

Colours follow one legend in every figure: **blue** is the input, **orange**
the kernel (and its window on the input), **teal** the output. `theme`
switches between the two colour schemes of the site; within it, figures have
transparent backgrounds, so they sit on the page's own colour::

    with plots.theme("dark"):
        fig, axes = plots.figure("conv_step")
        plots.conv_step(*axes, step=4)
        fig.savefig("conv_step-dark.svg")

Importing this module imports matplotlib (not pyplot); ``import convlesson``
does not.
"""

from __future__ import annotations

import contextlib
import fractions
import math

import matplotlib
import matplotlib.axes
import matplotlib.colors
import numpy as np
from cycler import cycler
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator, PercentFormatter

from . import architectures, images, kernels
from ._checks import padding_sides
from .conv import conv2d
from .pool import avg_pool2d, max_pool2d
from .shapes import conv2d_params, linear_params, output_size
from .steps import Step, conv_steps

__all__ = [
    "EXAMPLE_INPUT", "EXAMPLE_KERNEL", "GALLERY", "INKS", "PALETTES", "confusion_matrix", "conv_step",
    "dense_vs_conv", "diverging", "feature_map", "feature_maps", "figure", "filters", "grid", "kernel_gallery",
    "network_shapes", "palette", "pooling", "residual_block", "stride_padding", "theme", "training_curves",
]

# Colours ------------------------------------------------------------------------------------

PALETTES = {
    "light": {
        "input": "#1f77b4", "kernel": "#e8710a", "output": "#0e9384",
        "extra": ("#7e57c2", "#d63d5c"),
        "text": "#212121", "muted": "#757575", "background": "#ffffff",
    },
    "dark": {
        "input": "#64b5f6", "kernel": "#ffa94d", "output": "#3ad1bf",
        "extra": ("#b39ddb", "#f48fb1"),
        "text": "#e3e5ee", "muted": "#9aa0b0", "background": "#1e2129",
    },
}
"""Colours of each scheme: input, kernel and output roles, two extra accents, text, muted lines
and the page background (Material's default and slate schemes) that the figures sit on."""

_scheme = "light"


def palette(scheme=None):
    """The colours of ``scheme`` (``'light'`` or ``'dark'``), by default the active one.

    Examples
    --------
    >>> palette("light")["input"]
    '#1f77b4'
    """
    scheme = _scheme if scheme is None else scheme
    if scheme not in PALETTES:
        raise ValueError(f"scheme must be 'light' or 'dark', got {scheme!r}")
    return PALETTES[scheme]


def _rc(scheme):
    """rcParams for ``scheme``: transparent backgrounds, the scheme's text and line colours."""
    c = palette(scheme)
    return {
        "figure.facecolor": "none", "axes.facecolor": "none",
        "savefig.facecolor": "none", "savefig.transparent": True,
        "text.color": c["text"], "axes.labelcolor": c["text"], "axes.titlecolor": c["text"],
        "axes.edgecolor": c["muted"], "xtick.color": c["muted"], "ytick.color": c["muted"],
        "xtick.labelcolor": c["text"], "ytick.labelcolor": c["text"],
        "grid.color": c["muted"], "grid.alpha": 0.3,
        "legend.facecolor": c["background"], "legend.edgecolor": c["muted"], "legend.framealpha": 0.9,
        "legend.labelcolor": c["text"],
        "axes.prop_cycle": cycler(color=[c["input"], c["output"], c["kernel"], *c["extra"]]),
        "axes.spines.top": False, "axes.spines.right": False,
        "font.size": 10, "axes.titlesize": 11, "figure.titlesize": 12,
    }


@contextlib.contextmanager
def theme(scheme="light"):
    """Draw in the site's ``'light'`` or ``'dark'`` colour scheme inside a ``with`` block.

    Sets matplotlib's rcParams (transparent backgrounds; text, axes, ticks
    and the colour cycle of the scheme) and the colours the functions of this
    module use, then restores both. Create the figure inside the block, as
    some settings are read when it is made.

    Yields
    ------
    dict
        The scheme's colours (see `PALETTES`).
    """
    global _scheme
    colors = palette(scheme)
    previous = _scheme
    _scheme = scheme
    try:
        with matplotlib.rc_context(_rc(scheme)):
            yield colors
    finally:
        _scheme = previous


def diverging(scheme=None):
    """The signed colour map of a scheme: negative blue, 0 the page's colour, positive orange-red.

    Zero blends into the page, so on the dark scheme a mostly-zero feature map
    does not glare white.
    """
    c = palette(scheme)
    if c["background"] == PALETTES["dark"]["background"]:
        colors = ["#a8d8ff", "#3f86c8", c["background"], "#d0603a", "#ffb890"]
    else:
        colors = ["#08306b", "#3a87d0", c["background"], "#ec6a2c", "#7f1d05"]
    stops = list(zip((0.0, 0.32, 0.5, 0.68, 1.0), colors))
    return matplotlib.colors.LinearSegmentedColormap.from_list(f"convlesson_{scheme or _scheme}", stops)


def _opaque(color, alpha):
    """``color`` at ``alpha`` over the page background, as an opaque colour (hides what is behind)."""
    r, g, b, _ = _rgba(color)
    bg = _rgba(palette()["background"])
    return (alpha * r + (1 - alpha) * bg[0], alpha * g + (1 - alpha) * bg[1], alpha * b + (1 - alpha) * bg[2], 1.0)


def _rgba(color, alpha=None):
    """``color`` as an RGBA tuple; ``alpha`` replaces its own alpha if given."""
    return matplotlib.colors.to_rgba(color, alpha)


def _ink(face):
    """Near-black or near-white text, whichever contrasts more with ``face`` seen over the page."""
    r, g, b, a = _rgba(face)
    bg = _rgba(palette()["background"])
    seen = [a * x + (1 - a) * y for x, y in zip((r, g, b), bg[:3])]
    return max(INKS, key=lambda ink: _contrast(ink, seen))


INKS = ("#111111", "#f5f6fa")
"""Text colours for numbers on coloured cells: `_ink` picks the one that reads best."""


def _luminance(color):
    """Relative luminance of a colour (WCAG 2.1)."""
    rgb = np.array(matplotlib.colors.to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _role(color):
    """A role name ('input', 'kernel', 'output', 'muted') or any matplotlib colour, as a colour."""
    return palette().get(color, color) if isinstance(color, str) else color


# Figures ----------------------------------------------------------------------------------

_FIGURES = {
    # name: (figsize, subplots keywords)
    "dense_vs_conv": ((8.0, 3.0), {"ncols": 2}),
    "kernel_gallery": ((7.5, 5.6), None),
    "feature_map": ((3.6, 3.6), {}),
    "grid": ((3.6, 3.6), {}),
    "conv_step": ((8.0, 3.2), {"ncols": 3, "width_ratios": (7, 3.5, 5)}),
    "conv_step_signal": ((8.0, 1.8), {"ncols": 3, "width_ratios": (7, 3.2, 5)}),  # conv_step on a 1-D x
    "stride_padding": ((6.4, 3.8), {}),
    "pooling": ((6.0, 3.0), {"ncols": 2, "width_ratios": (4, 2.6)}),
    "network_shapes": ((9.0, 3.6), {}),
    "filters": ((6.0, 3.6), {}),
    "feature_maps": ((8.0, 5.2), None),
    "residual_block": ((4.2, 4.8), {}),
    "training_curves": ((8.0, 3.2), {"ncols": 2}),
    "confusion_matrix": ((5.0, 4.6), {}),
}


def figure(name, pyplot=False):
    """A new figure of the fixed size for the plot ``name``, and its Axes.

    Parameters
    ----------
    name : str
        A function of this module, e.g. ``'conv_step'``; ``'conv_step_signal'``
        is `conv_step`'s shape for a 1-D signal.
    pyplot : bool, default False
        Make it with ``matplotlib.pyplot`` (so that a notebook or a page cell
        shows it) instead of as a bare `matplotlib.figure.Figure`.

    Returns
    -------
    fig : Figure
        ``layout="constrained"``.
    axes : Axes, array of Axes or None
        What the function takes first: one Axes, an array of them (unpack
        with ``*axes``), or None for the functions that take the figure
        (``kernel_gallery``).

    Examples
    --------
    >>> fig, axes = figure("conv_step")
    >>> len(axes), fig.get_size_inches().tolist()
    (3, [8.0, 3.2])
    """
    if name not in _FIGURES:
        raise ValueError(f"no figure called {name!r}; choose one of: {', '.join(_FIGURES)}")
    figsize, subplots = _FIGURES[name]
    if pyplot:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, layout="constrained")
    else:
        fig = Figure(figsize=figsize, layout="constrained")
    if subplots is None:
        return fig, None
    subplots = dict(subplots)
    gridspec = {key: subplots.pop(key) for key in ("width_ratios",) if key in subplots}
    return fig, fig.subplots(**subplots, gridspec_kw=gridspec or None)


def _axes(ax, name):
    """``ax`` as given, or the Axes of a new `figure(name)` when it is None."""
    return figure(name)[1] if ax is None else ax


def _fontsize(ax, shape, longest):
    """A font size (points) that fits ``longest`` characters in a cell of a ``shape`` grid on ``ax``."""
    box = ax.get_window_extent()
    points = 72 / ax.figure.dpi
    cell = min(box.width / shape[1], box.height / shape[0]) * points
    return float(np.clip(min(0.42 * cell, 1.5 * cell / max(longest, 1)), 5, 13))


def _number(value):
    """A cell's number as text: integers without a decimal point, others to 2 decimals."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == round(value) and abs(value) < 1e6:
        return str(int(round(value)))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _fraction(value):
    """A kernel entry as a short fraction: 0.0625 as '1/16'."""
    f = fractions.Fraction(float(value)).limit_denominator(64)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


# Grids of numbers ------------------------------------------------------------------------


def _cells(ax, values, x0=0.0, y0=0.0, color="input", cmap=None, fmt=None, fontsize=None,
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
        faces = np.broadcast_to(_rgba(_role(color), alpha), (h, w, 4))
    edge = _rgba(_role(color) if cmap is None else palette()["muted"], edge_alpha)
    squares = [Rectangle((x0 + j, y0 + i), 1, 1) for i in range(h) for j in range(w)]
    cells = PatchCollection(squares, facecolors=np.asarray(faces).reshape(-1, 4), edgecolors=[edge],
                            linewidths=1.0, zorder=zorder)
    ax.add_collection(cells)
    texts = []
    if numbers:
        fmt = fmt or _number
        strings = [[fmt(v) for v in row] for row in values]
        size = fontsize or _fontsize(ax, (h, w), max(len(s) for row in strings for s in row))
        faces = np.asarray(faces)
        for i in range(h):
            for j in range(w):
                ink = _ink(faces[i, j]) if cmap is not None else palette()["text"]
                texts.append(ax.text(x0 + j + 0.5, y0 + i + 0.5, strings[i][j], ha="center", va="center",
                                     fontsize=size, color=ink, zorder=zorder + 2))
    return {"cells": cells, "texts": texts}


def _frame(ax, width, height, x0=0.0, y0=0.0, margin=0.15, rows=None):
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


def _window(ax, row, col, height, width, x0=0.0, y0=0.0, color="kernel", dashed=False, fill=0.3):
    """An outlined (and lightly filled) window over cells, e.g. the kernel's position."""
    rect = Rectangle((x0 + col, y0 + row), width, height, facecolor=_rgba(_role(color), fill),
                     edgecolor=_role(color), linewidth=2.5, linestyle="--" if dashed else "-", zorder=4)
    ax.add_patch(rect)
    return rect


def _highlight(highlight, shape):
    """The cells (as a boolean mask) and, for a rectangle, its (row, col, height, width)."""
    if isinstance(highlight, tuple) and len(highlight) == 2 and all(isinstance(h, slice) for h in highlight):
        rows, cols = (range(*h.indices(n)) for h, n in zip(highlight, shape))
        highlight = (rows.start, cols.start, len(rows), len(cols))
    mask = np.asarray(highlight)
    if mask.dtype == bool:
        if mask.shape != shape:
            raise ValueError(f"highlight mask has shape {mask.shape}, values have shape {shape}")
        return mask, None
    box = tuple(int(v) for v in highlight)
    if len(box) == 2:
        box = (*box, 1, 1)
    if len(box) != 4:
        raise ValueError(f"highlight must be (row, col), (row, col, height, width) or a mask, got {highlight!r}")
    row, col, height, width = box
    mask = np.zeros(shape, dtype=bool)
    mask[row : row + height, col : col + width] = True
    return mask, box


def grid(ax, values, highlight=None, cmap=None, color="input", fmt=None, fontsize=None):
    """A small array drawn as a grid of cells with each number written in its cell.

    Parameters
    ----------
    ax : Axes or None
    values : array_like, shape (H, W) or (W,)
        A 1-D array is drawn as one row.
    highlight : (row, col), (row, col, height, width), (slice, slice) or bool array, optional
        Cells to mark as the kernel's window: orange fill and outline.
    cmap : str or Colormap, optional
        Colour the cells by value (text turns light or dark to stay
        readable) instead of the flat tint of ``color``.
    color : str, default 'input'
        ``'input'`` (blue), ``'kernel'`` (orange), ``'output'`` (teal) or any
        matplotlib colour: the cells' tint and outline.
    fmt : callable, optional
        Number to text; default: integers as ``3``, others as ``0.25``.
    fontsize : float, optional
        Default: as large as fits in a cell.

    Returns
    -------
    dict
        ``cells`` (PatchCollection, row by row), ``texts`` (list of Text, row
        by row), ``window`` (Rectangle or None).

    Examples
    --------
    >>> fig, ax = figure("grid")
    >>> drawn = grid(ax, [[1, 2], [3, 4]], highlight=(0, 0))
    >>> [t.get_text() for t in drawn["texts"]]
    ['1', '2', '3', '4']
    """
    ax = _axes(ax, "grid")
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[None]
    if values.ndim != 2:
        raise ValueError(f"values must have shape (H, W) or (W,), got shape {values.shape}")
    drawn = _cells(ax, values, color=color, cmap=cmap, fmt=fmt, fontsize=fontsize)
    drawn["window"] = None
    if highlight is not None:
        mask, box = _highlight(highlight, values.shape)
        if box is not None:
            drawn["window"] = _window(ax, *box)
        else:
            for i, j in zip(*np.nonzero(mask)):
                _window(ax, i, j, 1, 1)
    _frame(ax, values.shape[1], values.shape[0])
    return drawn


# Feature maps -----------------------------------------------------------------------------


def feature_map(ax, x, title=None, cmap=None, signed=None, vmin=None, vmax=None):
    """An array shown as an image: a feature map, a kernel, or a photo.

    Parameters
    ----------
    ax : Axes or None
    x : array_like, shape (H, W)
    title : str, optional
    cmap : str or Colormap, optional
        Default `diverging` for signed maps (orange-red positive, blue
        negative, 0 the page's colour) and ``'gray'`` otherwise.
    signed : bool, optional
        Centre the colours on 0. By default, when ``x`` has negative values
        and its mean is small next to its spread (what an edge detector gives).
    vmin, vmax : float, optional
        Colour limits, instead of the ones chosen from ``x`` (below).

    Returns
    -------
    AxesImage
        Its data is ``x`` itself; only the colour limits are chosen: symmetric
        around 0 (98th percentile of ``|x|``) when signed, the 0.5th to 99.5th
        percentile otherwise.
    """
    ax = _axes(ax, "feature_map")
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (H, W), got shape {x.shape}")
    if signed is None:
        signed = bool(x.min() < 0 and abs(x.mean()) < 0.5 * x.std())
    if signed:
        limit = float(np.percentile(np.abs(x), 98)) or float(np.abs(x).max()) or 1.0
        low, high, cmap = -limit, limit, cmap or diverging()
    else:
        low, high = (float(v) for v in np.percentile(x, (0.5, 99.5)))
        high = high if high > low else low + 1.0
        cmap = cmap or "gray"
    low, high = (low if vmin is None else vmin), (high if vmax is None else vmax)
    image = ax.imshow(x, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(palette()["muted"])
    if title:
        ax.set_title(title)
    return image


GALLERY = ["identity", "edge", "sobel_y", "box_blur", "sharpen", "laplacian"]
"""The kernels `kernel_gallery` shows by default."""


def kernel_gallery(fig, image=None, names=None, ncols=3):
    """A photo convolved with named kernels, one panel per kernel, each kernel's numbers inset.

    Each panel is ``conv2d(image, kernels.get(name))`` (no padding, so 2
    pixels smaller than the image), shown with `feature_map`: kernels that
    add up to 0 (edge detectors) on the signed `diverging` scale, the
    others (blurs, sharpen) in gray on the input's own range, so that
    overshoots clip as they would on a screen.

    Parameters
    ----------
    fig : Figure, SubFigure or None
        Where to add the panels.
    image : array_like, shape (H, W) or (H, W, 3), optional
        Default ``images.photo(128)``, Grace Hopper's portrait; colour images
        are turned gray with `images.LUMA`.
    names : list of str, optional
        Kernel names from `convlesson.kernels`; default `GALLERY`.
    ncols : int, default 3

    Returns
    -------
    dict
        Kernel name → the panel's AxesImage.
    """
    if fig is None:
        fig, _ = figure("kernel_gallery")
    image = images.photo(128) if image is None else np.asarray(image, dtype=float)
    if image.ndim == 3:
        image = image @ images.LUMA
    names = list(GALLERY if names is None else names)
    rows = math.ceil(len(names) / ncols)
    axes = np.atleast_1d(fig.subplots(rows, ncols, squeeze=False)).ravel()
    drawn = {}
    for ax, name in zip(axes, names):
        weight = kernels.get(name)
        out = conv2d(image, weight)
        signed = bool(abs(weight.sum()) < 1e-9)
        limits = {} if signed else {"vmin": float(image.min()), "vmax": float(image.max())}
        drawn[name] = feature_map(ax, out, title=name.replace("_", " "), signed=signed, **limits)
        inset = ax.inset_axes([0.02, 0.02, 0.3, 0.3])
        inset.add_patch(Rectangle((-0.2, -0.2), 3.4, 3.4, facecolor=palette()["background"], edgecolor="none"))
        _cells(inset, weight, color="kernel", fmt=_fraction, alpha=0.3, edge_alpha=0.9,
               fontsize=6.5 if any(v != round(v) for v in weight.ravel()) else 8)
        _frame(inset, 3, 3, margin=0.2)
    for ax in axes[len(names):]:
        ax.set_axis_off()
    return drawn


# Convolution, step by step ----------------------------------------------------------------

EXAMPLE_INPUT = np.array([[3, 0, 1, 2, 7],
                          [1, 5, 8, 9, 3],
                          [2, 7, 2, 5, 1],
                          [0, 1, 3, 1, 7],
                          [4, 2, 1, 6, 2]], dtype=float)
"""The 5×5 input of `conv_step` and the lesson's worked example."""

EXAMPLE_KERNEL = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float)
"""The 3×3 kernel of `conv_step`: right column minus left column (``kernels.get('edge')``)."""


def conv_step(ax_in, ax_k, ax_out, step=0, x=None, weight=None, stride=1, padding=0):
    """One position of the kernel: the input with the window, the kernel, the output so far.

    The steps are `convlesson.conv_steps`: the window (orange) on the padded
    input (blue; padding zeros in gray), the kernel (orange) with the step's
    products added up under it, and the output (teal) filled in up to this
    step, its newest cell outlined in orange. The three panels share one cell size.

    Parameters
    ----------
    ax_in, ax_k, ax_out : Axes or None
        None for all three: a new `figure('conv_step')`.
    step : int or Step, default 0
        Which step: its index in raster order, or a record from
        ``conv_steps(x, weight, stride, padding)``.
    x : array_like, shape (H, W) or (L,), optional
        Default `EXAMPLE_INPUT`. A 1-D signal is drawn as one row.
    weight : array_like, shape (kH, kW) or (K,), optional
        Default `EXAMPLE_KERNEL`; 1-D with a 1-D ``x``.
    stride, padding : int, optional
        As in `convlesson.conv2d`.

    Returns
    -------
    dict
        ``input``, ``kernel``, ``output`` (each as `grid` returns:
        ``cells``, ``texts``), ``window`` (Rectangle on the input),
        ``current`` (Rectangle on the output), ``caption`` (Text: the
        nonzero products added up), ``step`` (the Step drawn).
    """
    if ax_in is None or ax_k is None or ax_out is None:
        _, (ax_in, ax_k, ax_out) = figure("conv_step")
    x = EXAMPLE_INPUT if x is None else np.asarray(x, dtype=float)
    weight = EXAMPLE_KERNEL if weight is None else np.asarray(weight, dtype=float)
    signal = x.ndim == 1
    if signal:  # a 1-D signal is drawn as one row: the same sums, with 2-D indices
        x, weight, stride, padding, step = _as_row(x, weight, stride, padding, step)
    steps = conv_steps(x, weight, stride, padding)
    index = _step_index(step, steps)
    current = steps[index]
    out_shape = tuple(np.max([s.out_index for s in steps], axis=0) + 1)
    pads = padding_sides(padding, weight.shape, (1, 1), (1, 1))
    c = palette()

    # input, padded: zeros around it in gray
    x_pad = np.pad(x, pads)
    inside = np.pad(np.ones(x.shape, dtype=bool), pads)
    faces = np.where(inside[..., None], _rgba(c["input"], 0.16), _rgba(c["muted"], 0.06))
    # one cell size and font size in all three panels
    rows = max(x_pad.shape[0], weight.shape[0] + 3, out_shape[0])
    longest = max(len(_number(v)) for v in (*x_pad.ravel(), *weight.ravel(), *(s.total for s in steps)))
    size = _fontsize(ax_in, (rows, x_pad.shape[1]), longest)
    drawn_in = _cells(ax_in, x_pad, faces=faces, fontsize=size)
    for text, real in zip(drawn_in["texts"], inside.ravel()):
        if not real:
            text.set_color(c["muted"])
    window = _window(ax_in, *current.origin, *weight.shape)
    _frame(ax_in, x_pad.shape[1], x_pad.shape[0], rows=rows)
    padded = f", padded by {max(pads[0][0], pads[1][0])}" if x_pad.shape != x.shape else ""
    ax_in.set_title(f"{_size_text(x.shape, signal)}{padded}")

    drawn_k = _cells(ax_k, weight, color="kernel", alpha=0.3, edge_alpha=0.9, fontsize=size)
    _frame(ax_k, weight.shape[1], weight.shape[0], rows=rows)
    ax_k.set_title("kernel")
    caption = ax_k.text(weight.shape[1] / 2, weight.shape[0] + 0.35, _sum_text(current.products, current.total),
                        ha="center", va="top", fontsize=min(size, 10), color=c["text"])

    # output: filled up to this step
    values = np.full(out_shape, np.nan)
    for s in steps[: index + 1]:
        values[s.out_index] = s.total
    done = np.isfinite(values)
    faces = np.where(done[..., None], _rgba(c["output"], 0.22), _rgba(c["muted"], 0.04))
    drawn_out = _cells(ax_out, np.nan_to_num(values), faces=faces, color="output", edge_alpha=0.7,
                       fontsize=size)
    for text, filled in zip(drawn_out["texts"], done.ravel()):
        text.set_visible(bool(filled))
    i, j = current.out_index
    cell = _window(ax_out, i, j, 1, 1, fill=0.0)
    _frame(ax_out, out_shape[1], out_shape[0], rows=rows)
    ax_out.set_title(_size_text(out_shape, signal, "output"))
    return {"input": drawn_in, "kernel": drawn_k, "output": drawn_out, "window": window,
            "current": cell, "caption": caption, "step": current}


def _as_row(x, weight, stride, padding, step):
    """A 1-D convolution's arguments for `conv_steps` on one row: (L,) → (1, L), stride s → (1, s)."""
    if weight.ndim != 1:
        raise ValueError(f"a 1-D x needs a 1-D weight (K,), got shape {weight.shape}")
    stride = (1, stride) if not isinstance(stride, (tuple, list)) else (1, *stride)
    if isinstance(padding, (tuple, list)):
        padding = (0, *padding)
    elif not isinstance(padding, str):
        padding = (0, padding)
    if isinstance(step, Step) and len(step.out_index) == 1:
        step = step._replace(out_index=(0, *step.out_index))
    return x[None], weight[None], stride, padding, step


def _size_text(shape, signal, what="input"):
    """'input 5×5', or for a signal 'input, 7 samples'."""
    return f"{what}, {shape[1]} samples" if signal else f"{what} {shape[0]}×{shape[1]}"


def _sum_text(products, total, most=5):
    """The products of one step added up, zeros left out, at most ``most`` terms a line: '$-5 + 9 - 7 = -3$'."""
    terms = [float(v) for v in np.ravel(products) if v != 0]
    if not terms:
        return "all products 0\n= 0"
    parts = [("-" if v < 0 else "+") + " " + _number(abs(v)) for v in terms]
    parts[0] = parts[0].replace("+ ", "").replace("- ", "-")
    per_line = math.ceil(len(parts) / math.ceil(len(parts) / most))
    lines = [" ".join(parts[i : i + per_line]) for i in range(0, len(parts), per_line)]
    lines[-1] += f" = {_number(total)}"
    return "\n".join(f"${line}$" for line in lines)


def _step_index(step, steps):
    """Index of ``step`` (an int, or a Step record) in ``steps``."""
    if isinstance(step, Step):
        for index, s in enumerate(steps):
            if s.out_index == tuple(step.out_index):
                return index
        raise ValueError(f"step {step.out_index} is not a step of this convolution")
    if not isinstance(step, (int, np.integer)) or not -len(steps) <= step < len(steps):
        raise ValueError(f"step must be an index in [0, {len(steps)}) or a Step, got {step!r}")
    return int(step) % len(steps)


def stride_padding(ax, size=5, kernel=3, stride=1, padding=0):
    """Where a kernel goes on a padded input, and the output size that follows.

    Draws the input (blue) inside its zero padding (gray, dashed), the first
    window (orange) and the next one along (dashed), a dot at the centre of
    every window position, and the output (teal) beside it: one cell per dot.
    The caption works ⌊(W − K + 2P)/S⌋ + 1 out with `convlesson.output_size`.

    Parameters
    ----------
    ax : Axes or None
    size, kernel, stride, padding : int
        ``W``, ``K``, ``S``, ``P`` (square input and kernel).

    Returns
    -------
    dict
        ``input`` and ``output`` (`grid` dicts), ``windows`` (list of
        Rectangle), ``centers`` (PathCollection, one dot per output),
        ``caption`` (Text), ``out`` (int, the output size).
    """
    ax = _axes(ax, "stride_padding")
    out = output_size(size, kernel, stride, padding)
    c = palette()
    n = size + 2 * padding
    faces = np.broadcast_to(_rgba(c["input"], 0.18), (n, n, 4)).copy()
    inside = np.zeros((n, n), dtype=bool)
    inside[padding : padding + size, padding : padding + size] = True
    faces[~inside] = _rgba(c["muted"], 0.06)
    drawn_in = _cells(ax, np.zeros((n, n)), faces=faces, numbers=False)
    drawn_in["cells"].set_linestyles([(0, (3, 2)) if not v else "solid" for v in inside.ravel()])
    drawn_in["cells"].set_edgecolors([_rgba(c["muted"], 0.6) if not v else _rgba(c["input"], 0.7)
                                      for v in inside.ravel()])
    windows = [_window(ax, 0, 0, kernel, kernel, fill=0.18)]
    if out > 1:
        windows.append(_window(ax, 0, stride, kernel, kernel, dashed=True, fill=0.0))
    centers_xy = (np.arange(out) * stride + kernel / 2)
    gx, gy = np.meshgrid(centers_xy, centers_xy)
    centers = ax.scatter(gx.ravel(), gy.ravel(), s=18, color=c["kernel"], zorder=6, edgecolors="none")

    if out > 1:  # the stride, measured between the first two windows
        ax.add_patch(FancyArrowPatch((0, -0.45), (stride, -0.45), arrowstyle="<|-|>", mutation_scale=9,
                                     shrinkA=0, shrinkB=0, color=c["kernel"], linewidth=1.3))
        ax.text(stride / 2, -0.7, f"stride {stride}", ha="center", va="bottom", fontsize=9, color=c["kernel"])

    x0, y0 = n + 2.2, (n - out) / 2
    drawn_out = _cells(ax, np.zeros((out, out)), x0=x0, y0=y0, color="output", alpha=0.25, numbers=False)
    ox, oy = np.meshgrid(x0 + np.arange(out) + 0.5, y0 + np.arange(out) + 0.5)
    ax.scatter(ox.ravel(), oy.ravel(), s=10, color=c["kernel"], zorder=6, edgecolors="none")
    ax.text(x0 + out / 2, y0 - 0.3, f"output {out}×{out}", ha="center", va="bottom", color=c["output"])
    ax.add_patch(FancyArrowPatch((n + 0.4, n / 2), (x0 - 0.4, n / 2), arrowstyle="-|>", mutation_scale=14,
                                 color=c["muted"], linewidth=1.5))
    formula = (rf"$\lfloor (W - K + 2P)\,/\,S \rfloor + 1 = "
               rf"\lfloor ({size} - {kernel} + 2\cdot{padding})\,/\,{stride} \rfloor + 1 = {out}$")
    caption = ax.text((x0 + out) / 2, n + 0.55, formula, ha="center", va="top", fontsize=11, color=c["text"])
    padded = f" (gray: padding {padding})" if padding else ""
    ax.set_title(f"input {size}×{size}{padded}, kernel {kernel}×{kernel}, stride {stride}")
    ax.set_xlim(-0.3, x0 + out + 0.3)
    ax.set_ylim(n + 1.8, -1.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"input": drawn_in, "output": drawn_out, "windows": windows, "centers": centers,
            "caption": caption, "out": out}


def pooling(ax_in, ax_out, x=None, kernel_size=2, mode="max"):
    """Pooling windows on a small grid, each window in its own colour, and the pooled output.

    With ``mode='max'`` the winning number of each window is circled and
    written bold; the output is `convlesson.max_pool2d` (or `avg_pool2d`)
    with stride = kernel size, each cell in its window's colour.

    Parameters
    ----------
    ax_in, ax_out : Axes or None
    x : array_like, shape (H, W), optional
        Default the lesson's 4×4 grid ``[[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 1, 2], [7, 1, 3, 4]]``.
    kernel_size : int, default 2
    mode : {'max', 'avg'}

    Returns
    -------
    dict
        ``input``, ``output`` (`grid` dicts), ``winners`` (list of Circle,
        empty for 'avg').
    """
    if ax_in is None or ax_out is None:
        _, (ax_in, ax_out) = figure("pooling")
    x = np.array([[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 1, 2], [7, 1, 3, 4]], float) if x is None else np.asarray(x, float)
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    out = max_pool2d(x, kernel_size) if mode == "max" else avg_pool2d(x, kernel_size)
    c = palette()
    colors = [c["input"], c["kernel"], c["output"], c["extra"][0]]
    window_color = [[colors[2 * (i % 2) + (j % 2)] for j in range(out.shape[1])] for i in range(out.shape[0])]
    k = kernel_size
    faces = np.broadcast_to(_rgba(c["muted"], 0.04), (*x.shape, 4)).copy()
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            faces[i * k : (i + 1) * k, j * k : (j + 1) * k] = _rgba(window_color[i][j], 0.22)
    drawn_in = _cells(ax_in, x, faces=faces, color="muted", edge_alpha=0.5)
    winners = []
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            ax_in.add_patch(Rectangle((j * k, i * k), k, k, fill=False, edgecolor=window_color[i][j],
                                      linewidth=2.5, zorder=4))
            if mode == "max":
                block = x[i * k : (i + 1) * k, j * k : (j + 1) * k]
                r, q = np.unravel_index(np.argmax(block), block.shape)
                ring = Circle((j * k + q + 0.5, i * k + r + 0.5), 0.36, fill=False, linewidth=1.8,
                              edgecolor=window_color[i][j], zorder=5)
                ax_in.add_patch(ring)
                winners.append(ring)
                drawn_in["texts"][(i * k + r) * x.shape[1] + j * k + q].set_fontweight("bold")
    _frame(ax_in, x.shape[1], x.shape[0])
    ax_in.set_title(f"input {x.shape[0]}×{x.shape[1]}")
    out_faces = np.array([[_rgba(col, 0.3) for col in row] for row in window_color])
    drawn_out = _cells(ax_out, out, faces=out_faces, color="muted", edge_alpha=0.5)
    drawn_out["cells"].set_edgecolors([col for row in window_color for col in row])
    drawn_out["cells"].set_linewidth(2.5)
    for text in drawn_out["texts"]:
        text.set_fontweight("bold")
    _frame(ax_out, out.shape[1], out.shape[0] + (x.shape[0] - out.shape[0]), y0=-(x.shape[0] - out.shape[0]) / 2)
    ax_out.set_title(f"{mode} pool {k}×{k}, stride {k}")
    return {"input": drawn_in, "output": drawn_out, "winners": winners}


# Networks ---------------------------------------------------------------------------------


def _short(layer):
    """A two-word name for a layer in `network_shapes`."""
    if isinstance(layer, architectures.Conv):
        return f"conv {layer.kernel_size}×{layer.kernel_size}"
    if isinstance(layer, architectures.Pool):
        return f"{layer.mode} pool {layer.kernel_size}"
    if isinstance(layer, architectures.AdaptiveAvgPool):
        return "avg pool"
    if isinstance(layer, architectures.Linear):
        return "linear"
    if isinstance(layer, architectures.Inception):
        return "inception"
    if isinstance(layer, architectures.BasicBlock):
        return "residual"
    return type(layer).__name__.lower()


_PASS_THROUGH = (architectures.ReLU, architectures.BatchNorm, architectures.Dropout, architectures.InceptionAux)


def network_shapes(ax, layers=None, input_shape=None):
    """The activations of a network as boxes: H×W shrinks, channels grow, then a vector of scores.

    Each image-shaped activation ``(C, H, W)`` is a box, H tall, W deep
    (drawn slanted) and C wide (on a square-root scale); a vector ``(F,)`` is
    a thin bar whose height grows with log F. Each box is labelled with the
    layer that made it and its shape, as `architectures.summary` gives it;
    ReLU, BatchNorm and dropout keep the shape and are folded into the box
    before them ("conv 3×3 + ReLU"). The input is blue, the rest teal;
    an orange square marks the kernel window of each convolution.

    Parameters
    ----------
    ax : Axes or None
    layers : str, Network or list of layer specs, optional
        Default ``architectures.seed_net()``.
    input_shape : tuple of int, optional
        Needed for a plain list of specs.

    Returns
    -------
    dict
        ``boxes`` (list of lists of Polygon, one list per box), ``labels``
        (list of Text: the shapes, in `architectures.format_shape` form),
        ``names`` (list of Text), ``shapes`` (list of tuple, input first).
    """
    ax = _axes(ax, "network_shapes")
    net = architectures._network(layers if layers is not None else "seed_net", input_shape)
    summary = architectures.summary(net)
    c = palette()
    stages = [("input", net.input_shape, None)]
    for layer, row in zip(net, summary.rows):
        if isinstance(layer, _PASS_THROUGH) and len(stages) > 1:
            if isinstance(layer, architectures.ReLU) and "+" not in stages[-1][0]:
                stages[-1] = (stages[-1][0] + " + ReLU", row.output_shape, stages[-1][2])
            continue
        stages.append((_short(layer), row.output_shape, layer))

    images_ = [s for _, s, _ in stages if len(s) == 3]
    max_hw = max(max(s[1], s[2]) for s in images_)
    max_c = max(s[0] for s in images_)
    height = 3.0  # of the largest box
    vectors = [s[0] for _, s, _ in stages if len(s) == 1]
    max_f = max(vectors) if vectors else 2

    def dims(shape):
        if len(shape) == 3:
            ch, h, w = shape
            return 0.15 + 1.1 * math.sqrt(ch / max_c), height * h / max_hw, 0.5 * height * w / max_hw
        return 0.18, height * (0.25 + 0.75 * math.log(shape[0] + 1) / math.log(max_f + 1)), 0.0

    boxes, labels, names, x = [], [], [], 0.0
    previous = None
    for index, (name, shape, layer) in enumerate(stages):
        width, h, depth = dims(shape)
        color = c["input"] if index == 0 else c["output"]
        y0 = -h / 2 - depth * 0.35
        dx, dy = depth * 0.75, depth * 0.7
        front = Polygon([(x, y0), (x + width, y0), (x + width, y0 + h), (x, y0 + h)], closed=True)
        top = Polygon([(x, y0 + h), (x + dx, y0 + h + dy), (x + width + dx, y0 + h + dy), (x + width, y0 + h)])
        side = Polygon([(x + width, y0), (x + width + dx, y0 + dy), (x + width + dx, y0 + h + dy), (x + width, y0 + h)])
        faces = []
        for poly, alpha in ((side, 0.45), (top, 0.3), (front, 0.6)):
            poly.set_facecolor(_rgba(color, alpha))
            poly.set_edgecolor(color)
            poly.set_linewidth(1.2)
            ax.add_patch(poly)
            faces.append(poly)
        boxes.append(faces)
        centre = x + (width + dx) / 2
        labels.append(ax.text(centre, -height / 2 - 0.75, architectures.format_shape(shape), ha="center",
                              va="top", fontsize=9, color=c["text"]))
        names.append(ax.text(centre, height / 2 + 0.9, name.replace(" + ", "\n+ "), ha="center", va="bottom",
                             fontsize=9, color=c["text"] if index else c["input"]))
        box = (x, shape, y0, h, width, dx, dy)
        if previous is not None and isinstance(layer, architectures.Conv) and len(previous[1]) == 3:
            _kernel_mark(ax, previous, layer, box, c["kernel"])
        previous = box
        x += width + dx + (1.2 if len(shape) == 3 else 0.9)
    ax.set_xlim(-0.4, x - 0.6)
    ax.set_ylim(-height / 2 - 1.6, height / 2 + 2.0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"boxes": boxes, "labels": labels, "names": names, "shapes": [s for _, s, _ in stages]}


def _kernel_mark(ax, previous, conv, box, color):
    """The kernel's window on the H×W face of the box before a conv, lines to the pixel it makes."""

    def face_point(geometry, u, v):  # u along W (slanted), v along H, in [0, 1]
        x, _, y0, h, width, dx, dy = geometry
        return (x + width + u * dx, y0 + u * dy + v * h)

    _, (_, height, width), *_ = previous
    # the window's share of the face, but at least 15% of it, so that it shows
    fu, fv = (float(np.clip(conv.kernel_size / n, 0.15, 0.5)) for n in (width, height))
    u, v = 0.5 - fu / 2, 0.5 - fv / 2
    corners = [face_point(previous, u, v), face_point(previous, u + fu, v),
               face_point(previous, u + fu, v + fv), face_point(previous, u, v + fv)]
    ax.add_patch(Polygon(corners, closed=True, facecolor=_rgba(color, 0.45), edgecolor=color,
                         linewidth=1.2, zorder=5))
    target = face_point(box, 0.5, 0.5)
    lines = LineCollection([[corners[1], target], [corners[2], target]], colors=[_rgba(color, 0.9)],
                           linewidths=0.9, zorder=5)
    ax.add_collection(lines)



def dense_vs_conv(ax_dense, ax_conv, n_inputs=6, kernel_size=3):
    """Wires of a fully connected layer next to those of a convolution, same inputs, same outputs.

    Left: every input pixel (blue squares) is wired to every neuron (teal),
    each wire its own weight. Right: each output sees only ``kernel_size``
    neighbours, through the same ``kernel_size`` weights everywhere (one
    colour per weight). The weight counts in the titles come from
    `convlesson.linear_params` and `convlesson.conv2d_params`, the number of
    outputs from `convlesson.output_size`.

    Parameters
    ----------
    ax_dense, ax_conv : Axes or None
    n_inputs : int, default 6
    kernel_size : int, default 3
        At most 5 (one colour per weight).

    Returns
    -------
    dict
        ``dense`` and ``conv``, each a dict of ``inputs``, ``neurons``
        (PathCollection) and ``wires`` (LineCollection, one segment per
        weight use).
    """
    if ax_dense is None or ax_conv is None:
        _, (ax_dense, ax_conv) = figure("dense_vs_conv")
    c = palette()
    weight_colors = [c["kernel"], *c["extra"], c["input"], c["muted"]]
    if not 1 <= kernel_size <= len(weight_colors):
        raise ValueError(f"kernel_size must be 1 to {len(weight_colors)}, got {kernel_size}")
    n_out = output_size(n_inputs, kernel_size)
    dense_weights = linear_params(n_inputs, n_out, bias=False)
    conv_weights = conv2d_params(1, 1, (1, kernel_size), bias=False)
    xs_in = np.arange(n_inputs, dtype=float)
    drawn = {}

    def nodes(ax, xs_out):
        inputs = ax.scatter(xs_in, np.zeros(n_inputs), marker="s", s=260, color=_opaque(c["input"], 0.3),
                            edgecolors=c["input"], linewidths=1.5, zorder=3)
        neurons = ax.scatter(xs_out, np.full(len(xs_out), 2.0), marker="o", s=300,
                             color=_opaque(c["output"], 0.3), edgecolors=c["output"], linewidths=1.5, zorder=3)
        ax.text(-0.7, 0, "input", ha="right", va="center", color=c["input"])
        ax.text(-0.7, 2, "output", ha="right", va="center", color=c["output"])
        ax.set_xlim(-2.3, n_inputs - 0.5)
        ax.set_ylim(-0.45, 2.45)
        ax.set_axis_off()
        return inputs, neurons

    # fully connected: outputs spread over the same width
    xs_dense = np.linspace(0, n_inputs - 1, n_out + 2)[1:-1]
    inputs, neurons = nodes(ax_dense, xs_dense)
    segments = [[(xi, 0.0), (xo, 2.0)] for xo in xs_dense for xi in xs_in]
    wires = LineCollection(segments, colors=[_rgba(c["muted"], 0.75)], linewidths=1.0, zorder=1)
    ax_dense.add_collection(wires)
    ax_dense.set_title(f"Fully connected\n{n_inputs} × {n_out} = {dense_weights} weights, one per wire")
    drawn["dense"] = {"inputs": inputs, "neurons": neurons, "wires": wires}

    # convolution: output j sits over its window, wire t has weight w_t
    xs_conv = np.arange(n_out) + (kernel_size - 1) / 2
    inputs, neurons = nodes(ax_conv, xs_conv)
    segments, colors = [], []
    for j, xo in enumerate(xs_conv):
        for t in range(kernel_size):
            segments.append([(j + t, 0.0), (xo, 2.0)])
            colors.append(weight_colors[t])
    wires = LineCollection(segments, colors=colors, linewidths=2.2, zorder=1)
    ax_conv.add_collection(wires)
    handles = [Line2D([], [], color=weight_colors[t], linewidth=2.2, label=f"$w_{t + 1}$")
               for t in range(kernel_size)]
    ax_conv.legend(handles=handles, loc="center left", bbox_to_anchor=(0.0, 0.5), frameon=False,
                   handlelength=1.4, fontsize=9)
    ax_conv.set_title(f"Convolution\n{conv_weights} weights, shared by every position")
    drawn["conv"] = {"inputs": inputs, "neurons": neurons, "wires": wires}
    return drawn


def residual_block(ax):
    """A residual block: two weight layers compute F(x), a shortcut carries x around them, y = F(x) + x.

    Returns
    -------
    dict
        ``layers`` (list of FancyBboxPatch), ``arrows`` (list of
        FancyArrowPatch, the shortcut last), ``plus`` (Circle), ``texts``
        (list of Text).
    """
    ax = _axes(ax, "residual_block")
    c = palette()
    arrow = dict(arrowstyle="-|>", mutation_scale=14, linewidth=1.6, color=c["text"], zorder=2)
    layers, texts = [], []
    ys = {"x": 5.6, "layer1": 4.2, "layer2": 2.4, "plus": 1.0, "out": 0.0}
    for key, label in (("layer1", "weight layer (conv 3×3)"), ("layer2", "weight layer (conv 3×3)")):
        box = FancyBboxPatch((-1.5, ys[key] - 0.35), 3.0, 0.7, boxstyle="round,pad=0.02,rounding_size=0.15",
                             facecolor=_rgba(c["kernel"], 0.25), edgecolor=c["kernel"], linewidth=1.5, zorder=3)
        ax.add_patch(box)
        layers.append(box)
        texts.append(ax.text(0, ys[key], label, ha="center", va="center", fontsize=10, zorder=4))
    texts.append(ax.text(0, ys["x"] + 0.1, "$x$", ha="center", va="bottom", fontsize=14, color=c["input"]))
    plus = Circle((0, ys["plus"]), 0.28, facecolor=_rgba(c["output"], 0.25), edgecolor=c["output"],
                  linewidth=1.5, zorder=3)
    ax.add_patch(plus)
    texts.append(ax.text(0, ys["plus"], "+", ha="center", va="center", fontsize=15, zorder=4))
    arrows = [
        FancyArrowPatch((0, ys["x"]), (0, ys["layer1"] + 0.37), **arrow),
        FancyArrowPatch((0, ys["layer1"] - 0.37), (0, ys["layer2"] + 0.37), **arrow),
        FancyArrowPatch((0, ys["layer2"] - 0.37), (0, ys["plus"] + 0.3), **arrow),
        FancyArrowPatch((0, ys["plus"] - 0.3), (0, ys["out"] - 0.35), **arrow),
    ]
    texts.append(ax.text(0.12, (ys["layer1"] + ys["layer2"]) / 2, "ReLU", ha="left", va="center", fontsize=9))
    texts.append(ax.text(0, ys["out"] - 0.45, r"$y = \mathrm{ReLU}(F(x) + x)$", ha="center", va="top",
                         fontsize=12, color=c["output"]))
    texts.append(ax.text(-1.75, (ys["layer1"] + ys["layer2"]) / 2, "$F(x)$", ha="right", va="center",
                         fontsize=13, color=c["kernel"]))
    shortcut = Path([(0, ys["x"] - 0.35), (2.3, ys["x"] - 0.35), (2.3, ys["plus"]), (0.3, ys["plus"])])
    arrows.append(FancyArrowPatch(path=shortcut, arrowstyle="-|>", mutation_scale=14, linewidth=2.0,
                                  color=c["input"], zorder=2))
    texts.append(ax.text(2.42, (ys["x"] + ys["plus"]) / 2, "identity\nshortcut: $x$", ha="left",
                         va="center", fontsize=10, color=c["input"]))
    for a in arrows:
        ax.add_patch(a)
    ax.set_xlim(-2.6, 4.2)
    ax.set_ylim(-1.2, 6.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"layers": layers, "arrows": arrows, "plus": plus, "texts": texts}


# Trained networks --------------------------------------------------------------------------


def filters(fig_or_ax, weights, ncols=None, cmap="gray"):
    """First-layer filters ``(C_out, C_in, k, k)`` as a mosaic of small images, one per filter.

    Each filter is scaled to [0, 1] on its own (its smallest weight black, its
    largest white), so its pattern shows whatever its size. Three input
    channels are shown as colour (RGB); one channel in ``cmap``.

    Parameters
    ----------
    fig_or_ax : Figure, Axes or None
    weights : array_like, shape (C_out, 1 or 3, k, k)
    ncols : int, optional
        Filters per row; default a divisor of C_out between √C_out and
        2√C_out (8 for 32 filters), else ⌈√C_out⌉.
    cmap : str, default 'gray'
        For one-channel filters.

    Returns
    -------
    AxesImage
        An RGBA mosaic: filter ``i`` fills rows ``r·(k + 1)`` to
        ``r·(k + 1) + k − 1`` and the same columns from ``q·(k + 1)``, with
        ``r, q = divmod(i, ncols)``; the 1-pixel gaps are transparent.
    """
    if fig_or_ax is None:
        _, ax = figure("filters")
    elif isinstance(fig_or_ax, matplotlib.axes.Axes):
        ax = fig_or_ax
    else:
        ax = fig_or_ax.add_subplot()
    w = np.asarray(weights, dtype=float)
    if w.ndim != 4 or w.shape[1] not in (1, 3):
        raise ValueError(f"weights must have shape (C_out, 1 or 3, k, k), got shape {w.shape}; "
                         "to see one input channel of a deeper layer pass weights[:, :1]")
    n, channels, kh, kw = w.shape
    ncols = ncols or _columns(n)
    lo = w.min(axis=(1, 2, 3), keepdims=True)
    span = w.max(axis=(1, 2, 3), keepdims=True) - lo
    scaled = (w - lo) / np.where(span > 0, span, 1.0)
    if channels == 3:
        tiles = np.concatenate([scaled.transpose(0, 2, 3, 1), np.ones((n, kh, kw, 1))], axis=-1)
    else:
        tiles = matplotlib.colormaps[cmap](scaled[:, 0])
    image = ax.imshow(_mosaic(tiles, ncols), interpolation="nearest")
    ax.set_axis_off()
    ax.set_title(f"{n} filters of {channels}×{kh}×{kw}")
    return image


def _mosaic(tiles, ncols):
    """RGBA tiles ``(n, h, w, 4)`` laid out ``ncols`` to a row, with transparent 1-pixel gaps."""
    n, h, w, _ = tiles.shape
    nrows = math.ceil(n / ncols)
    mosaic = np.zeros((nrows * (h + 1) - 1, ncols * (w + 1) - 1, 4))
    for i in range(n):
        r, q = divmod(i, ncols)
        mosaic[r * (h + 1) : r * (h + 1) + h, q * (w + 1) : q * (w + 1) + w] = tiles[i]
    return mosaic


def feature_maps(fig, maps, ncols=16, cmap="gray"):
    """One image's journey through a network: a row per layer, each channel a small image.

    Within a row all channels share one scale (the row's smallest value
    black, its largest white), so a channel that barely responds looks dark
    next to one that fires.

    Parameters
    ----------
    fig : Figure or None
        Rows are added as subplots; None: a new `figure("feature_maps")`.
    maps : list of (str, array_like of shape (C, H, W) or (H, W))
        A label and that layer's output for the image, in order.
    ncols : int, default 16
        Channels per line; a row with more channels wraps.
    cmap : str, default 'gray'

    Returns
    -------
    list of AxesImage
        One per row, its data the RGBA mosaic: channel ``i`` at the
        positions `filters` describes.
    """
    fig = figure("feature_maps")[0] if fig is None else fig
    if not maps:
        raise ValueError("maps is empty: pass a list of (label, array of shape (C, H, W)) pairs")
    images = []
    axes = fig.subplots(len(maps), 1, squeeze=False)[:, 0]
    for ax, (label, x) in zip(axes, maps):
        x = np.asarray(x, dtype=float)
        x = x[None] if x.ndim == 2 else x
        if x.ndim != 3:
            raise ValueError(f"the map labelled {label!r} must have shape (C, H, W) or (H, W), "
                             f"got shape {x.shape}; for a batch pass one image, x[0]")
        span = x.max() - x.min()
        tiles = matplotlib.colormaps[cmap]((x - x.min()) / (span if span > 0 else 1.0))
        images.append(ax.imshow(_mosaic(tiles, min(ncols, len(x))), interpolation="nearest"))
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_ylabel(f"{label}\n{'×'.join(map(str, x.shape))}", rotation=0, ha="right", va="center")
        ax.set_anchor("W")
    return images


def _columns(n):
    """Columns for n tiles: a divisor of n from √n to 2√n if there is one (no ragged last row)."""
    root = math.sqrt(n)
    for ncols in range(math.ceil(root), int(2 * root) + 1):
        if n % ncols == 0:
            return ncols
    return math.ceil(root)


def _series(history):
    """Epoch numbers and named series from a list of `nn.Epoch` records or a dict of lists."""
    if isinstance(history, dict):
        series = {key: np.asarray(value, dtype=float) for key, value in history.items()
                  if key not in ("epoch", "seconds")}
        length = len(next(iter(series.values())))
        epochs = np.asarray(history.get("epoch", range(1, length + 1)))
        return epochs, series
    records = list(history)
    epochs = np.array([r.epoch for r in records])
    series = {"loss": np.array([r.loss for r in records], dtype=float)}
    if any(r.test_accuracy is not None for r in records):
        series["test_accuracy"] = np.array([np.nan if r.test_accuracy is None else r.test_accuracy
                                            for r in records], dtype=float)
    return epochs, series


_LABELS = {"loss": "training loss", "train_loss": "training loss", "val_loss": "validation loss",
           "test_loss": "test loss", "accuracy": "training accuracy", "train_accuracy": "training accuracy",
           "val_accuracy": "validation accuracy", "test_accuracy": "test accuracy"}


def training_curves(ax_loss, ax_acc, history, epochs=None):
    """Loss and accuracy per epoch, training in blue, test (or validation) in teal.

    Parameters
    ----------
    ax_loss, ax_acc : Axes or None
        Either may be None to leave that plot out (both None: a new figure).
    history : list of nn.Epoch, or dict of lists
        What `convlesson.nn.fit` returns, or a dict such as ``{"loss": [...],
        "test_accuracy": [...]}``; keys ending in ``loss`` go left,
        ``accuracy`` right, and an ``epoch`` list sets the x axis.
    epochs : int, optional
        The number of epochs planned: the x axis then spans 1…epochs from the
        start, so a plot redrawn after each epoch grows instead of rescaling.

    Returns
    -------
    dict
        ``loss`` and ``accuracy``: lists of Line2D.
    """
    if ax_loss is None and ax_acc is None:
        _, (ax_loss, ax_acc) = figure("training_curves")
    epoch_numbers, series = _series(history)
    c = palette()
    drawn = {"loss": [], "accuracy": []}
    for key, values in series.items():
        kind = "loss" if key.endswith("loss") else "accuracy" if key.endswith("accuracy") else None
        ax = {"loss": ax_loss, "accuracy": ax_acc}.get(kind)
        if ax is None:
            continue
        training = key in ("loss", "train_loss", "accuracy", "train_accuracy")
        (line,) = ax.plot(epoch_numbers, values, marker="o", markersize=4, linewidth=2,
                          color=c["input"] if training else c["output"], label=_LABELS.get(key, key))
        drawn[kind].append(line)
    for ax, kind, ylabel in ((ax_loss, "loss", "cross-entropy loss"), (ax_acc, "accuracy", "accuracy")):
        if ax is None:
            continue
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        if epochs is not None:
            ax.set_xlim(0.5, epochs + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True)
        if drawn[kind]:
            ax.legend(frameon=False, loc="lower right" if kind == "accuracy" else "upper right")
        if kind == "accuracy":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylim(0, 1.02)
        else:
            ax.set_ylim(bottom=0)
    return drawn


def confusion_matrix(ax, cm, labels=None):
    """Counts of (true class, predicted class): right answers on the diagonal.

    Each cell shows its count; its teal shading is the fraction of that
    row (that true class), so classes of different sizes compare. The title
    gives the accuracy, trace / total.

    Parameters
    ----------
    ax : Axes or None
    cm : array_like, shape (K, K)
        ``cm[i, j]``: examples of class ``i`` predicted as ``j``.
    labels : list of str, optional
        Class names; default 0 … K−1.

    Returns
    -------
    dict
        ``cells`` (PatchCollection, row by row), ``texts`` (list of Text,
        row by row), ``title`` (Text).
    """
    ax = _axes(ax, "confusion_matrix")
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square (K, K) array, got shape {cm.shape}")
    k = cm.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else [str(label) for label in labels]
    if len(labels) != k:
        raise ValueError(f"got {len(labels)} labels for {k} classes")
    c = palette()
    rows = cm.sum(axis=1, keepdims=True)
    fraction = cm / np.where(rows > 0, rows, 1)
    faces = np.array([[_rgba(c["output"], 0.04 + 0.8 * f) for f in row] for row in fraction])
    drawn = _cells(ax, cm, faces=faces, color="muted", edge_alpha=0.25, fmt=lambda v: str(int(v)))
    for text, face in zip(drawn["texts"], faces.reshape(-1, 4)):
        text.set_color(_ink(face))
    ax.set_xlim(0, k)
    ax.set_ylim(k, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(k) + 0.5, labels)
    ax.set_yticks(np.arange(k) + 0.5, labels)
    ax.tick_params(length=0)
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = cm.sum()
    accuracy = np.trace(cm) / total if total else float("nan")
    title = ax.set_title(f"accuracy {accuracy:.1%} on {int(total)} examples", pad=10, loc="center", y=-0.12)
    drawn["title"] = title
    return drawn
