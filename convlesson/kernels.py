"""Classic hand-made 3×3 kernels, by name.

Before networks learned their kernels, image processing wrote them by hand;
a trained network's first layer ends up with similar ones. Each kernel here is
meant for `convlesson.conv2d`, which does not flip it (cross-correlation): so
``edge`` and ``sobel_x`` answer positively where the image gets brighter from
left to right, and ``sobel_y`` where it gets brighter from top to bottom.

>>> from convlesson import kernels
>>> kernels.names()
['identity', 'edge', 'box_blur', 'gaussian_blur', 'sharpen', 'sobel_x', 'sobel_y', 'laplacian', 'emboss']
>>> kernels.get("edge")
array([[-1.,  0.,  1.],
       [-1.,  0.,  1.],
       [-1.,  0.,  1.]])
"""

from __future__ import annotations

import difflib

import numpy as np


def _read_only(rows, scale=1):
    """A read-only float array, so the table below cannot be changed by accident."""
    a = np.array(rows, dtype=float) / scale
    a.flags.writeable = False
    return a


KERNELS = {
    "identity": (
        _read_only([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
        "copies the image: only the centre pixel counts",
    ),
    "edge": (
        _read_only([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
        "right column minus left column: large at vertical edges, 0 on flat areas",
    ),
    "box_blur": (
        _read_only([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 9),
        "mean of the 3×3 neighbourhood: smooths noise and edges",
    ),
    "gaussian_blur": (
        _read_only([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 16),
        "weighted mean, nearer pixels count more: a softer blur",
    ),
    "sharpen": (
        _read_only([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
        "centre pixel boosted against its 4 neighbours: crisper edges",
    ),
    "sobel_x": (
        _read_only([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
        "horizontal gradient, middle row weighted twice: vertical edges",
    ),
    "sobel_y": (
        _read_only([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
        "vertical gradient, middle column weighted twice: horizontal edges",
    ),
    "laplacian": (
        _read_only([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
        "neighbours minus centre: edges in every direction, 0 on flat areas and ramps",
    ),
    "emboss": (
        _read_only([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
        "diagonal gradient (bottom-right minus top-left) plus the image: a stamped look",
    ),
}
"""Kernel name -> (read-only 3×3 float array, one-line description)."""


def names():
    """Names of the kernels, in the order of `KERNELS`."""
    return list(KERNELS)


def get(name):
    """A fresh, writable copy of the kernel called ``name``.

    Parameters
    ----------
    name : str
        One of `names()`, e.g. ``'box_blur'``.

    Returns
    -------
    ndarray, shape (3, 3), float64

    Examples
    --------
    >>> get("sharpen")
    array([[ 0., -1.,  0.],
           [-1.,  5., -1.],
           [ 0., -1.,  0.]])
    >>> float(get("box_blur").sum())  # a blur keeps the brightness
    1.0
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    if name not in KERNELS:
        close = difflib.get_close_matches(name, KERNELS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(f"unknown kernel {name!r}; {hint}choose one of: {', '.join(KERNELS)}")
    return KERNELS[name][0].copy()


def describe():
    """A table of the kernels, one per line: name, then what it does.

    Examples
    --------
    >>> print(describe())  # doctest: +NORMALIZE_WHITESPACE
    identity       copies the image: only the centre pixel counts
    edge           right column minus left column: large at vertical edges, 0 on flat areas
    box_blur       mean of the 3×3 neighbourhood: smooths noise and edges
    gaussian_blur  weighted mean, nearer pixels count more: a softer blur
    sharpen        centre pixel boosted against its 4 neighbours: crisper edges
    sobel_x        horizontal gradient, middle row weighted twice: vertical edges
    sobel_y        vertical gradient, middle column weighted twice: horizontal edges
    laplacian      neighbours minus centre: edges in every direction, 0 on flat areas and ramps
    emboss         diagonal gradient (bottom-right minus top-left) plus the image: a stamped look
    """
    width = max(map(len, KERNELS))
    return "\n".join(f"{name:<{width}}  {text}" for name, (_, text) in KERNELS.items())
