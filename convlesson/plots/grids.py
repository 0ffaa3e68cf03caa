"""Arrays drawn as they are: a grid of numbers, a feature map, a photo through a gallery of kernels."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Rectangle

from .. import images, kernels
from ..conv import conv2d
from .cells import draw_cells, draw_window, fraction, frame
from .figures import axes_or_new, figure
from .schemes import diverging, palette


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
    ax = axes_or_new(ax, "grid")
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[None]
    if values.ndim != 2:
        raise ValueError(f"values must have shape (H, W) or (W,), got shape {values.shape}")
    drawn = draw_cells(ax, values, color=color, cmap=cmap, fmt=fmt, fontsize=fontsize)
    drawn["window"] = None
    if highlight is not None:
        mask, box = _highlight(highlight, values.shape)
        if box is not None:
            drawn["window"] = draw_window(ax, *box)
        else:
            for i, j in zip(*np.nonzero(mask)):
                draw_window(ax, i, j, 1, 1)
    frame(ax, values.shape[1], values.shape[0])
    return drawn


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
    ax = axes_or_new(ax, "feature_map")
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
        draw_cells(inset, weight, color="kernel", fmt=fraction, alpha=0.3, edge_alpha=0.9,
               fontsize=6.5 if any(v != round(v) for v in weight.ravel()) else 8)
        frame(inset, 3, 3, margin=0.2)
    for ax in axes[len(names):]:
        ax.set_axis_off()
    return drawn
