"""Array plumbing the layers share: memory layout, padding, checks, windows, matrix products."""

from __future__ import annotations

import contextlib
import functools
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._checks import dilated

_NO_BLAS = sys.platform == "emscripten"  # Pyodide


def _full(shape, value, dtype):
    """An (N, C, H, W) array of ``value``, laid out in memory as (C, H, W, N): batch fastest.

    numpy's inner loops run along the axis that varies fastest in memory.
    On small images the batch is the longest axis, and the layers' arithmetic
    on slices of every s-th pixel runs several times faster with it
    innermost. Values and shapes are as usual; only the memory order differs.
    """
    n, c, h, w = shape
    return np.full((c, h, w, n), value, dtype=dtype).transpose(3, 0, 1, 2)


def _matmul(a, b):
    """``a @ b``; in Pyodide, with the operands first copied contiguous along the summed axis.

    Pyodide's numpy has no BLAS, and its own matrix product runs two to three
    times faster on rows of ``a`` and columns of ``b`` that lie contiguously
    in memory. BLAS needs no such copies.
    """
    if _NO_BLAS:
        a, b = np.ascontiguousarray(a), np.ascontiguousarray(b.swapaxes(-1, -2)).swapaxes(-1, -2)
    return a @ b


def _batch_fastest(x):
    """x (N, C, H, W) laid out as `_full` lays arrays out; copied only if it is not already."""
    if x.transpose(1, 2, 3, 0).flags.c_contiguous:
        return x
    copy = _full(x.shape, 0, x.dtype)
    copy[...] = x
    return copy


def _pad(x, pads, value=0.0):
    """x (N, C, H, W) with ``value`` around it, laid out batch fastest; x itself if pads are 0.

    ``pads`` is ((top, bottom), (left, right)).
    """
    (top, bottom), (left, right) = pads
    if not top + bottom + left + right:
        return x
    n, c, h, w = x.shape
    x_pad = _full((n, c, top + h + bottom, left + w + right), value, x.dtype)
    x_pad[:, :, top : top + h, left : left + w] = x
    return x_pad


def _crop(a, pads):
    """Remove ``pads``, ((top, bottom), (left, right)), from the last two axes of ``a``."""
    (top, bottom), (left, right) = pads
    return a[..., top : a.shape[-2] - bottom, left : a.shape[-1] - right]


def _image_batch(method):
    """Let a method written for a batch (N, C, H, W) take one image (C, H, W) too, as PyTorch does.

    The batch is also laid out batch fastest (see `_full`): arithmetic mixing
    memory orders makes numpy's loops jump about in memory.
    """

    @functools.wraps(method)
    def wrapper(self, a):
        a = np.asarray(a)
        if a.ndim == 3:
            return method(self, a[None])[0]
        return method(self, _batch_fastest(a) if a.ndim == 4 else a)

    return wrapper


def _check_images(layer, shape, channels=None):
    """Raise unless ``shape`` is (N, C, H, W) or (C, H, W), with ``channels`` channels if given."""
    c = "C" if channels is None else channels
    if len(shape) not in (3, 4) or (channels is not None and shape[-3] != channels):
        raise ValueError(
            f"{layer!r} expects input of shape (N, {c}, H, W) or ({c}, H, W), "
            f"got shape {tuple(shape)}"
        )


@contextlib.contextmanager
def _naming(layer, shape):
    """Put the layer and the input shape in front of a ValueError from the shape formulas."""
    try:
        yield
    except ValueError as error:
        raise ValueError(f"{layer!r} cannot take input of shape {tuple(shape)}: {error}") from None


def _taps(kernel_size, stride, dilation, out_size):
    """Where each kernel tap reads, in all windows at once: one (rows, cols) pair of slices per tap.

    Tap (u, v) of window (i, j) reads pixel (i·s + u·d, j·s + v·d) of the
    padded input. Over all windows that is every s-th row from u·d on, H' of
    them, and likewise for the columns. A pooling layer is then a loop over
    its kH·kW taps, each step vectorised arithmetic on one strided slice.
    """
    (kh, kw), (sh, sw), (dh, dw), (h_out, w_out) = kernel_size, stride, dilation, out_size
    rows = [slice(u * dh, u * dh + sh * (h_out - 1) + 1, sh) for u in range(kh)]
    cols = [slice(v * dw, v * dw + sw * (w_out - 1) + 1, sw) for v in range(kw)]
    return [(r, c) for r in rows for c in cols]


def _windows(x_pad, kernel_size, stride, dilation):
    """A view (no copy) of every window of x_pad (N, C, H_pad, W_pad): (N, C, H', W', kH, kW)."""
    view = sliding_window_view(x_pad, dilated(kernel_size, dilation), axis=(2, 3))
    return view[:, :, :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]]


def _add_windows(dwindows, padded_shape, kernel_size, stride, dilation):
    """Add each window's gradient, dwindows (N, C, H', W', kH, kW), back where it was read.

    The adjoint of `_windows` ("col2im"), one vectorised addition per tap.
    Pixels that no window read get zero.
    """
    dx_pad = _full(padded_shape, 0, dwindows.dtype)
    taps = _taps(kernel_size, stride, dilation, dwindows.shape[2:4])
    for (u, v), (rows, cols) in zip(np.ndindex(*kernel_size), taps):
        dx_pad[:, :, rows, cols] += dwindows[..., u, v]
    return dx_pad
