"""Pooling layers as numpy functions that compute what PyTorch computes.

A pooling layer slides a window over each channel on its own and replaces the
window by one summary number: its largest value (`max_pool2d`) or its mean
(`avg_pool2d`). `global_avg_pool2d` averages a whole feature map.

Shapes
------
``x`` is ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``; the output has the
same rank, with ``H' = output_size(H, kH, stride, padding, dilation,
ceil_mode)`` (see `convlesson.shapes.output_size`) and likewise ``W'``.

Rules taken from PyTorch
------------------------
- ``stride`` defaults to ``kernel_size``: windows tile the input.
- ``padding`` may be at most half the kernel, ``padding <= kernel_size // 2``.
- Max pooling pads with ``−inf``, which never wins a max; average pooling
  pads with zeros.
- ``ceil_mode=True`` rounds the output size up, adding a last window that
  hangs over the edge, unless that window would start in the right padding.
- The average divides the window's sum by a count. With
  ``count_include_pad=True`` the count is the window clipped to the padded
  input (padding zeros count, the overhang of ``ceil_mode`` does not); with
  ``False`` it is the number of real pixels in the window.

Numbers follow `convlesson.conv`: float arrays keep their precision, integer
arrays are computed in float64, bool and complex arrays are refused, and a NaN
in a window makes that output NaN (max pooling included, as in PyTorch).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_bool, as_float_array, as_ints, check_fits, dilated
from .shapes import output_size


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Largest value in each window, channel by channel (``F.max_pool2d``).

    Parameters
    ----------
    x : ndarray, shape (H, W), (C, H, W) or (N, C, H, W)
    kernel_size : int or tuple of 2 ints
        Window size ``(kH, kW)``.
    stride : int or tuple of 2 ints, optional
        Step between windows; defaults to ``kernel_size``.
    padding : int or tuple of 2 ints, default 0
        ``−inf`` added on each side; at most ``kernel_size // 2``.
    dilation : int or tuple of 2 ints, default 1
        Spacing between the pixels a window looks at.
    ceil_mode : bool, default False
        Round the output size up instead of down.

    Returns
    -------
    ndarray, shape (H', W'), (C, H', W') or (N, C, H', W')

    Examples
    --------
    A 2×2 window with stride 2 keeps the largest of each 2×2 block:

    >>> x = np.array([[1, 3, 2, 1],
    ...               [4, 2, 0, 1],
    ...               [5, 6, 1, 2],
    ...               [7, 1, 3, 4]])
    >>> max_pool2d(x, 2)
    array([[4., 2.],
           [7., 4.]])
    """
    x, kernel, stride, pads, dilation = _pool_args(
        x, kernel_size, stride, padding, dilation, ceil_mode
    )
    return _windows(x, kernel, stride, pads, dilation, fill=-np.inf).max(axis=(-2, -1))


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean of each window, channel by channel (``F.avg_pool2d``).

    Parameters
    ----------
    x : ndarray, shape (H, W), (C, H, W) or (N, C, H, W)
    kernel_size : int or tuple of 2 ints
        Window size ``(kH, kW)``.
    stride : int or tuple of 2 ints, optional
        Step between windows; defaults to ``kernel_size``.
    padding : int or tuple of 2 ints, default 0
        Zeros added on each side; at most ``kernel_size // 2``.
    ceil_mode : bool, default False
        Round the output size up instead of down.
    count_include_pad : bool, default True
        Whether padding zeros count in the divisor (see the module notes).

    Returns
    -------
    ndarray, shape (H', W'), (C, H', W') or (N, C, H', W')

    Examples
    --------
    >>> x = np.arange(16.0).reshape(4, 4)
    >>> avg_pool2d(x, 2)
    array([[ 2.5,  4.5],
           [10.5, 12.5]])

    With padding, the zeros pull the border averages down unless excluded:

    >>> avg_pool2d(np.ones((2, 2)), 2, stride=1, padding=1)
    array([[0.25, 0.5 , 0.25],
           [0.5 , 1.  , 0.5 ],
           [0.25, 0.5 , 0.25]])
    >>> avg_pool2d(np.ones((2, 2)), 2, stride=1, padding=1, count_include_pad=False)
    array([[1., 1., 1.],
           [1., 1., 1.],
           [1., 1., 1.]])
    """
    x, kernel, stride, pads, _ = _pool_args(x, kernel_size, stride, padding, 1, ceil_mode)
    count_include_pad = as_bool(count_include_pad, "count_include_pad")
    sums = _windows(x, kernel, stride, pads, (1, 1), fill=0.0).sum(axis=(-2, -1))
    (h, w), (h_out, w_out) = x.shape[-2:], sums.shape[-2:]
    rows = _window_counts(h, kernel[0], stride[0], pads[0][0], h_out, count_include_pad)
    cols = _window_counts(w, kernel[1], stride[1], pads[1][0], w_out, count_include_pad)
    divisor = np.outer(rows, cols)  # window (i, j) counts rows[i] · cols[j] pixels
    return sums / divisor.astype(sums.dtype)


def global_avg_pool2d(x):
    """Mean of each whole feature map, kept as a 1×1 map.

    Like PyTorch's ``nn.AdaptiveAvgPool2d(1)``, the two spatial axes stay, with
    length 1, so that the result has the rank of the input; ``.reshape(N, C)``
    (or ``nn.Flatten``) turns it into one number per channel.

    Parameters
    ----------
    x : ndarray, shape (H, W), (C, H, W) or (N, C, H, W)

    Returns
    -------
    ndarray, shape (1, 1), (C, 1, 1) or (N, C, 1, 1)

    Examples
    --------
    >>> global_avg_pool2d(np.arange(8.0).reshape(2, 2, 2))
    array([[[1.5]],
    <BLANKLINE>
           [[5.5]]])
    """
    x = _check_image(x)
    return x.mean(axis=(-2, -1), keepdims=True)


def _check_image(x):
    """Return x as a float array of shape (H, W), (C, H, W) or (N, C, H, W)."""
    x = as_float_array(x, "x")
    if not 2 <= x.ndim <= 4:
        raise ValueError(
            f"x must have shape (H, W), (C, H, W) or (N, C, H, W), got shape {x.shape}"
        )
    return x


def _pool_args(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Check the arguments the pools share; return them with padding as (before, after) pairs.

    The ``after`` side gets whatever extra ``ceil_mode``'s last window needs.
    """
    x = _check_image(x)
    kernel = as_ints(kernel_size, "kernel_size", 2, minimum=1)
    stride = kernel if stride is None else as_ints(stride, "stride", 2, minimum=1)
    padding = as_ints(padding, "padding", 2, minimum=0)
    dilation = as_ints(dilation, "dilation", 2, minimum=1)
    ceil_mode = as_bool(ceil_mode, "ceil_mode")
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(
            f"padding {padding} must be at most half of kernel_size {kernel}, that is "
            f"<= {tuple(k // 2 for k in kernel)}, as in PyTorch; use less padding or a larger kernel"
        )
    size = x.shape[-2:]
    padded = tuple(n + 2 * p for n, p in zip(size, padding))
    check_fits(kernel, dilation, padded, stride if ceil_mode else None)
    pads = []
    for n, k, s, p, d, e in zip(size, kernel, stride, padding, dilation, dilated(kernel, dilation)):
        last_end = (output_size(n, k, s, p, d, ceil_mode) - 1) * s + e  # in the padded input
        pads.append((p, max(p, last_end - n - p)))
    return x, kernel, stride, tuple(pads), dilation


def _windows(x, kernel, stride, pads, dilation, fill):
    """View every pooling window: shape (..., H', W', kH, kW), padded with ``fill``."""
    x_pad = np.pad(x, ((0, 0),) * (x.ndim - 2) + pads, constant_values=fill)
    windows = sliding_window_view(x_pad, dilated(kernel, dilation), axis=(-2, -1))
    return windows[..., :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]]


def _window_counts(size, kernel, stride, padding, n_out, count_include_pad):
    """Divisor of each window along one axis, PyTorch's rule.

    Window ``i`` covers input indices ``start`` to ``start + kernel − 1`` with
    ``start = i·stride − padding``. Clipped to the padded input it ends at
    ``size + padding`` at most; clipped to the real input it spans
    ``max(start, 0)`` to ``min(end, size)``.
    """
    start = np.arange(n_out) * stride - padding
    end = np.minimum(start + kernel, size + padding)
    if count_include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)
