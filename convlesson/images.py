"""Sample images for the lessons, made or loaded without any download.

Every image is a float64 array with values in [0, 1]. Grayscale images have
shape ``(H, W)``; colour images ``(H, W, 3)``, the layout of
``matplotlib``'s ``imshow``. The convolution functions want the channels
first, ``(3, H, W)``: convert with `to_chw` and back with `to_hwc`.

- `photo`: Grace Hopper's portrait, from the sample data that matplotlib
  ships (Pyodide's matplotlib too).
- `step_edge`, `checkerboard`, `shapes`: small synthetic images whose edges
  are exactly where we put them.
- `resize`: area-averaging resize in plain numpy.

>>> from convlesson import images
>>> images.checkerboard(4, squares=2)
array([[0., 0., 1., 1.],
       [0., 0., 1., 1.],
       [1., 1., 0., 0.],
       [1., 1., 0., 0.]])
"""

from __future__ import annotations

import functools

import numpy as np

from ._checks import as_bool, as_float_array, as_int, as_ints

LUMA = np.array([0.299, 0.587, 0.114])
"""Weights of R, G and B in gray (ITU-R BT.601, as in Pillow's ``convert('L')``)."""


def photo(size=None, gray=True):
    """Grace Hopper's portrait, the head-and-shoulders square of it.

    matplotlib ships the photo (600 rows of 512 pixels) as sample data; the top 512×512
    square keeps the whole head.

    Parameters
    ----------
    size : int, optional
        Side of the returned square; default 512, the photo's own. Smaller
        sizes average the pixels they cover (see `resize`).
    gray : bool, default True
        Return gray levels ``(size, size)`` (BT.601 luma, `LUMA`) instead of
        colour ``(size, size, 3)``.

    Returns
    -------
    ndarray, shape (size, size) or (size, size, 3), float64 in [0, 1]

    Examples
    --------
    >>> photo(64).shape, photo(64, gray=False).shape
    ((64, 64), (64, 64, 3))
    """
    gray = as_bool(gray, "gray")
    image = _hopper()[:512]
    if gray:
        image = image @ LUMA
    if size is None:
        return image.copy()
    # clip: the averaging weights sum to 1 only up to rounding
    return np.clip(resize(image, as_int(size, "size", minimum=1)), 0.0, 1.0)


@functools.cache
def _hopper():
    """The photo as floats in [0, 1], shape (600, 512, 3), decoded once."""
    # matplotlib is imported here, not at the top, so that `import convlesson`
    # stays quick: loading matplotlib takes about a second in the browser.
    import matplotlib.cbook
    import matplotlib.image

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = matplotlib.image.imread(file, format="jpg")
    image = rgb / 255.0
    image.flags.writeable = False
    return image


def step_edge(size=32):
    """A dark left half and a bright right half: one vertical edge.

    Returns
    -------
    ndarray, shape (size, size)
        0 in columns ``< size // 2``, 1 from there on.

    Examples
    --------
    >>> step_edge(4)
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [0., 0., 1., 1.]])
    """
    size = as_int(size, "size", minimum=2)
    image = np.zeros((size, size))
    image[:, size // 2 :] = 1.0
    return image


def checkerboard(size=32, squares=4):
    """A board of ``squares × squares`` alternating dark and bright squares.

    The top-left square is dark. When ``squares`` does not divide ``size``
    the squares differ in size by one pixel.

    Returns
    -------
    ndarray, shape (size, size)
    """
    size = as_int(size, "size", minimum=1)
    squares = as_int(squares, "squares", minimum=1)
    if squares > size:
        raise ValueError(f"squares must be at most size={size}, got squares={squares}")
    square = np.arange(size) * squares // size  # which square each row (or column) is in
    return ((square[:, None] + square[None, :]) % 2).astype(float)


def shapes(size=64):
    """A square, a disk and a triangle on a dark background.

    Three gray levels (1, 0.75, 0.5) give edges of different contrast:
    straight ones, curved ones and slanted ones.

    Returns
    -------
    ndarray, shape (size, size)

    Examples
    --------
    >>> image = shapes(64)
    >>> image.shape, sorted(np.unique(image).tolist())
    ((64, 64), [0.0, 0.5, 0.75, 1.0])
    """
    size = as_int(size, "size", minimum=8)
    y, x = (np.mgrid[0:size, 0:size] + 0.5) / size  # pixel centres, in [0, 1]
    square = (abs(x - 0.27) < 0.17) & (abs(y - 0.3) < 0.17)
    disk = (x - 0.72) ** 2 + (y - 0.3) ** 2 < 0.18**2
    triangle = (y < 0.92) & (abs(x - 0.5) < 0.6 * (y - 0.55))  # apex at (0.5, 0.55)
    image = np.zeros((size, size))
    image[square] = 1.0
    image[disk] = 0.75
    image[triangle] = 0.5
    return image


def resize(image, size):
    """Resize by area averaging: each new pixel is the mean of the old area it covers.

    Along each axis, new pixel ``i`` of ``n_out`` covers old coordinates
    ``[i·n_in/n_out, (i+1)·n_in/n_out)``; the weight of old pixel ``j`` is
    the length of its overlap with that span, divided by the span. This is a
    matrix ``A`` of shape ``(n_out, n_in)`` per axis, and the resized image is
    ``A_rows @ image @ A_cols.T``. Shrinking averages (no aliasing); growing
    repeats pixels, blending at the seams.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
    size : int or tuple of 2 ints
        New ``(height, width)``; an int gives a square.

    Returns
    -------
    ndarray, shape (height, width) or (height, width, C)

    Examples
    --------
    >>> resize(np.array([[0.0, 1.0], [1.0, 1.0]]), 1)
    array([[0.75]])
    >>> resize(step_edge(8), 2)
    array([[0., 1.],
           [0., 1.]])
    """
    image = as_float_array(image, "image")
    if image.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got shape {image.shape}")
    height, width = as_ints(size, "size", 2, minimum=1)
    rows = _area_weights(image.shape[0], height)
    cols = _area_weights(image.shape[1], width)
    planes = np.moveaxis(image.reshape(*image.shape[:2], -1), -1, 0)  # (C, H, W)
    out = rows @ planes @ cols.T
    return np.moveaxis(out, 0, -1).reshape(height, width, *image.shape[2:])


def _area_weights(n_in, n_out):
    """Matrix (n_out, n_in) whose row i averages the old pixels under new pixel i."""
    span = n_in / n_out
    start = np.arange(n_out)[:, None] * span
    old = np.arange(n_in)[None, :]
    overlap = np.minimum(start + span, old + 1) - np.maximum(start, old)
    return np.clip(overlap, 0, None) / span


def to_chw(image):
    """Channels-last ``(H, W, C)`` (for ``imshow``) to channels-first ``(C, H, W)`` (for `conv2d`).

    Returns a view: no pixels are copied.

    Examples
    --------
    >>> to_chw(np.zeros((32, 24, 3))).shape
    (3, 32, 24)
    """
    image = np.asarray(image)
    if image.ndim != 3:
        raise ValueError(
            f"image must have shape (H, W, C), got shape {image.shape}; "
            "a gray (H, W) image becomes one channel with image[None]"
        )
    return np.moveaxis(image, -1, 0)


def to_hwc(x):
    """Channels-first ``(C, H, W)`` back to channels-last ``(H, W, C)``, as a view.

    Examples
    --------
    >>> to_hwc(np.zeros((3, 32, 24))).shape
    (32, 24, 3)
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (C, H, W), got shape {x.shape}")
    return np.moveaxis(x, 0, -1)
