"""Small image datasets that ship with the package, and mini-batches.

- `load_digits` and `digits_split`: 1,797 handwritten digits of 8×8 pixels,
  from the UCI Machine Learning Repository (Alpaydin & Kaynak, CC BY 4.0; the
  citation is in ``convlesson/datasets/README.md``). The file is inside the
  package, so nothing is downloaded, in the browser either.
- `to_digit_grid`: a drawn bitmap reduced to the digits' 8×8 grid of 0–16 levels, the way the
  data set was made.
- `shapes_dataset`: synthetic images of lines, corners and blobs, made from a seed.
- `batches`: cut arrays into (shuffled) mini-batches, as PyTorch's ``DataLoader`` does.

Images come as float32 batches ``(N, 1, H, W)`` with values in [0, 1], the
layout `convlesson.nn` takes, and labels as int64 ``(N,)``.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np

from ._checks import as_int

SHAPE_CLASSES = ("horizontal line", "vertical line", "diagonal line", "corner", "blob")


def load_digits():
    """All 1,797 handwritten digits, as float images in [0, 1] and their labels.

    Each image is a 32×32 bitmap of a digit written by one of 13 people,
    reduced to 8×8 by counting the black pixels of each 4×4 block, so each
    pixel is 0 to 16; it is returned divided by 16.

    Returns
    -------
    images : ndarray, float32, shape (1797, 1, 8, 8)
    labels : ndarray, int64, shape (1797,)
        The digit, 0 to 9; each appears 174 to 183 times.

    Examples
    --------
    >>> images, labels = load_digits()
    >>> images.shape, labels[:10]
    ((1797, 1, 8, 8), array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    """
    with (files(__package__) / "datasets" / "digits.npz").open("rb") as file, np.load(file) as stored:
        images, labels = stored["images"], stored["labels"]
    return (images[:, None] / np.float32(16)).astype(np.float32), labels.astype(np.int64)


def digits_split():
    """The digits split, once and for all, into 1,442 training and 355 test images.

    Within each digit, in file order, every fifth image (the 5th, 10th, …)
    is a test image. So each digit is 19–20 % test, and the split uses no
    random numbers: it is the same on every machine and in every version.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Images (N, 1, 8, 8) float32 and labels (N,) int64, in file order.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = digits_split()
    >>> x_train.shape, x_test.shape
    ((1442, 1, 8, 8), (355, 1, 8, 8))
    """
    images, labels = load_digits()
    rank = np.empty(len(labels), dtype=np.int64)  # position of each image among its digit's
    for digit in range(10):
        where = np.flatnonzero(labels == digit)
        rank[where] = np.arange(where.size)
    test = rank % 5 == 4
    return (images[~test], labels[~test]), (images[test], labels[test])


DIGIT_BOX = 32
"""Side of the bitmap each digit was normalised into before the 4×4 counting."""


def to_digit_grid(bitmap, threshold=0.5):
    """A drawn digit as the digits data set stores one: 8×8 counts from 0 to 16.

    The UCI "optdigits" images were made from 32×32 bitmaps: each written digit was
    size-normalised into the 32×32 box, then every 4×4 block's black pixels were counted. Here:

    1. ink is every pixel ``> threshold``;
    2. the ink's bounding box is scaled by one factor (the shape is kept) so that its longer
       side fills the 32 pixels, and centred along the shorter side;
    3. each pixel of the 32×32 box samples the drawn pixel under its centre (nearest neighbour):
       box pixel ``i`` along an axis sits at ``(i + 0.5 − offset) / scale`` pixels into the ink's
       box, where ``offset = (32 − scale·extent) / 2``;
    4. the box's 4×4 blocks are counted.

    Parameters
    ----------
    bitmap : array_like, shape (H, W)
        The drawing, ink bright (e.g. 1) on a dark (0) background, any size.
    threshold : float, default 0.5

    Returns
    -------
    ndarray, int64, shape (8, 8)
        Each value 0 to 16; all zero when nothing is drawn. Divide by 16 for the network's input.

    Examples
    --------
    >>> bar = np.zeros((64, 64))
    >>> bar[10:50, 30:34] = 1          # a vertical bar, 40 rows by 4 columns
    >>> to_digit_grid(bar)[0]
    array([0, 0, 0, 8, 8, 0, 0, 0])
    """
    ink = np.asarray(bitmap, dtype=float) > threshold
    if ink.ndim != 2:
        raise ValueError(f"bitmap must have shape (H, W), got shape {ink.shape}")
    if not ink.any():
        return np.zeros((8, 8), dtype=np.int64)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    height, width = rows[-1] + 1 - rows[0], cols[-1] + 1 - cols[0]
    scale = DIGIT_BOX / max(height, width)
    box = ink[np.ix_(_box_sources(rows[0], height, scale), _box_sources(cols[0], width, scale))]
    box &= np.outer(_box_inside(height, scale), _box_inside(width, scale))
    return box.reshape(8, 4, 8, 4).sum(axis=(1, 3)).astype(np.int64)


def _box_sources(start, extent, scale):
    """For each of the 32 box pixels along one axis, the drawn pixel under its centre."""
    offset = (DIGIT_BOX - scale * extent) / 2
    position = (np.arange(DIGIT_BOX) + 0.5 - offset) / scale
    return start + np.clip(np.floor(position), 0, extent - 1).astype(np.int64)


def _box_inside(extent, scale):
    """Which of the 32 box pixels along one axis fall on the ink's box (the rest stay blank)."""
    offset = (DIGIT_BOX - scale * extent) / 2
    position = (np.arange(DIGIT_BOX) + 0.5 - offset) / scale
    return (position >= 0) & (position < extent)


def shapes_dataset(n_per_class=100, size=16, seed=0, noise=0.05):
    """Synthetic images of five kinds of shape, drawn at random but the same for the same seed.

    The classes, named in ``SHAPE_CLASSES``:

    0. horizontal line: one row, spanning at least half the width;
    1. vertical line: the same, turned;
    2. diagonal line: one pixel wide, rising or falling, corner to corner or off centre;
    3. corner: a horizontal and a vertical arm meeting at a point, either way round;
    4. blob: a round Gaussian spot.

    Positions, lengths, directions and blob sizes vary; Gaussian noise of
    standard deviation ``noise`` is added, and values are clipped to [0, 1].

    Parameters
    ----------
    n_per_class : int, default 100
    size : int, default 16
        Height and width, at least 8.
    seed : int, default 0
    noise : float, default 0.05

    Returns
    -------
    images : ndarray, float32, shape (5·n_per_class, 1, size, size)
    labels : ndarray, int64, shape (5·n_per_class,)
        Shuffled, so that a leading slice holds a mix of the classes.

    Examples
    --------
    >>> images, labels = shapes_dataset(10, size=12, seed=1)
    >>> images.shape, np.bincount(labels)
    ((50, 1, 12, 12), array([10, 10, 10, 10, 10]))
    """
    n = as_int(n_per_class, "n_per_class", minimum=1)
    size = as_int(size, "size", minimum=8)
    rng = np.random.default_rng(seed)
    y, x = np.arange(size)[:, None], np.arange(size)[None, :]  # each pixel's row and column
    quarter = size // 4

    def draw(low, high):
        """A random int in [low, high) for each image, shaped (n, 1, 1) to broadcast over pixels."""
        return rng.integers(low, high, (n, 1, 1))

    def segment(along, across, at, start, end):
        """The pixels where ``across == at`` and ``start <= along <= end``: a straight segment."""
        return (across == at) & (along >= start) & (along <= end)

    horizontal = segment(x, y, draw(1, size - 1), draw(0, quarter), draw(size - quarter, size))
    vertical = segment(y, x, draw(1, size - 1), draw(0, quarter), draw(size - quarter, size))
    offset, rising = draw(-quarter, quarter + 1), draw(0, 2) == 1
    diagonal = np.where(rising, y + x == size - 1 + offset, y - x == offset)
    # a corner at (cy, cx): an arm along its row and one along its column, each pointing either way
    cy, cx = draw(quarter, size - quarter), draw(quarter, size - quarter)
    arm, sy, sx = draw(quarter, size // 2), 2 * draw(0, 2) - 1, 2 * draw(0, 2) - 1
    corner = segment(sx * (x - cx), y, cy, 0, arm) | segment(sy * (y - cy), x, cx, 0, arm)
    centre = rng.uniform(size / 4, 3 * size / 4, (2, n, 1, 1))
    sigma = rng.uniform(size / 12, size / 6, (n, 1, 1))
    blob = np.exp(-((y - centre[0]) ** 2 + (x - centre[1]) ** 2) / (2 * sigma**2))

    images = np.concatenate([horizontal, vertical, diagonal, corner, blob]).astype(np.float64)
    images = np.clip(images + noise * rng.standard_normal(images.shape), 0, 1)
    labels = np.repeat(np.arange(len(SHAPE_CLASSES)), n)
    order = rng.permutation(len(labels))
    return images[order, None].astype(np.float32), labels[order]


def batches(x, y, batch_size, shuffle=False, rng=None):
    """Mini-batches ``(x[i], y[i])`` of ``batch_size`` samples; the last may be smaller.

    Like iterating over PyTorch's ``DataLoader(..., drop_last=False)``.

    Parameters
    ----------
    x, y : ndarray, shapes (N, ...) and (N, ...)
    batch_size : int
    shuffle : bool, default False
        Visit the samples in a new random order.
    rng : numpy.random.Generator or int, optional
        Generator (or seed) for the order; a fresh unseeded one if not given.

    Returns
    -------
    iterator of (ndarray, ndarray)

    Examples
    --------
    >>> [yb.tolist() for _, yb in batches(np.zeros((5, 2)), np.arange(5), 2)]
    [[0, 1], [2, 3], [4]]
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    order = np.random.default_rng(rng).permutation(len(x)) if shuffle else np.arange(len(x))
    starts = range(0, len(x), batch_size)
    return ((x[order[i : i + batch_size]], y[order[i : i + batch_size]]) for i in starts)
