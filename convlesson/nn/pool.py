"""Pooling layers: MaxPool2d, AvgPool2d and AdaptiveAvgPool2d."""

from __future__ import annotations

import numpy as np

from .._checks import as_bool, as_float_array, as_int, as_ints, dilated, is_int
from ..shapes import output_size
from ._arrays import _check_images, _crop, _full, _image_batch, _naming, _pad, _taps
from .module import Module


class _Pool2d(Module):
    """What MaxPool2d and AvgPool2d share: PyTorch's arguments and the geometry of the windows."""

    def __init__(self, kernel_size, stride, padding, dilation, ceil_mode):
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = kernel_size if stride is None else stride
        self.ceil_mode = as_bool(ceil_mode, "ceil_mode")
        self._kernel = as_ints(kernel_size, "kernel_size", 2, minimum=1)
        self._stride = as_ints(self.stride, "stride", 2, minimum=1)
        self._padding = as_ints(padding, "padding", 2, minimum=0)
        self._dilation = as_ints(dilation, "dilation", 2, minimum=1)
        if any(p > k // 2 for p, k in zip(self._padding, self._kernel)):
            raise ValueError(
                f"padding {self._padding} must be at most half of kernel_size {self._kernel}, "
                f"that is <= {tuple(k // 2 for k in self._kernel)}, as in PyTorch"
            )

    def output_shape(self, input_shape):
        """``(N, C, H', W')``, H' by `convlesson.output_size` (rounded up with ``ceil_mode``)."""
        _check_images(self, input_shape)
        axes = zip(input_shape[-2:], self._kernel, self._stride, self._padding, self._dilation)
        with _naming(self, input_shape):
            sizes = [output_size(*args, self.ceil_mode) for args in axes]
        return (*input_shape[:-2], *sizes)

    def _geometry(self, input_shape):
        """The padding ((top, bottom), (left, right)) and the taps for an input of ``input_shape``.

        The bottom and right padding also cover the overhang of ceil_mode's
        last window, which reaches pixel (H' − 1)·s + d·(k − 1) of the padded input.
        """
        out_size = self.output_shape(input_shape)[-2:]
        spans = dilated(self._kernel, self._dilation)
        axes = zip(input_shape[-2:], out_size, self._stride, self._padding, spans)
        pads = tuple((p, max(p, (n_out - 1) * s + span - n - p)) for n, n_out, s, p, span in axes)
        return pads, _taps(self._kernel, self._stride, self._dilation, out_size)


class MaxPool2d(_Pool2d):
    """Largest value of each window (``torch.nn.MaxPool2d``); see `convlesson.max_pool2d`.

    Parameters
    ----------
    kernel_size : int or tuple of 2 ints
    stride : int or tuple of 2 ints, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of 2 ints, default 0
        ``−inf`` on each side, at most ``kernel_size // 2``.
    dilation : int or tuple of 2 ints, default 1
    ceil_mode : bool, default False

    Examples
    --------
    >>> MaxPool2d(2)
    MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> MaxPool2d(2)(np.zeros((2, 32, 32, 32))).shape
    (2, 32, 16, 16)
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)
        self.dilation = dilation

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")

    @_image_batch
    def forward(self, x):
        """Largest value of each window: x (N, C, H, W) → out (N, C, H', W').

        The maximum over the kH·kW taps, taken one tap at a time for all
        windows at once. Caches the padded input, the padding, the taps and out.
        """
        x = as_float_array(x, "x")
        pads, taps = self._geometry(x.shape)
        x_pad = _pad(x, pads, -np.inf)
        out = x_pad[:, :, taps[0][0], taps[0][1]]
        for rows, cols in taps[1:]:
            out = np.maximum(out, x_pad[:, :, rows, cols])
        self.cache = x_pad, pads, taps, out
        return out

    @_image_batch
    def backward(self, dout):
        """out is the winning pixel of each window, so ∂out/∂x is 1 there and 0 at the others.

        As in PyTorch, the winner is the first tap holding the maximum; a
        window containing NaN passes no gradient back.
        """
        x_pad, pads, taps, out = self.cache
        dx_pad = _full(x_pad.shape, 0, dout.dtype)
        open_windows = np.ones_like(out, dtype=bool)  # windows whose winner is not found yet
        for rows, cols in taps:
            wins = open_windows & (x_pad[:, :, rows, cols] == out)
            dx_pad[:, :, rows, cols] += wins * dout
            open_windows &= ~wins
        return _crop(dx_pad, pads)


class AvgPool2d(_Pool2d):
    """Mean of each window (``torch.nn.AvgPool2d``); see `convlesson.avg_pool2d`.

    Parameters
    ----------
    kernel_size, stride, padding, ceil_mode
        As in `MaxPool2d` (the padding is zeros).
    count_include_pad : bool, default True
        Whether padding zeros count in the divisor.
    divisor_override : int, optional
        Divide every window's sum by this instead.

    Examples
    --------
    >>> AvgPool2d(2)
    AvgPool2d(kernel_size=2, stride=2, padding=0)
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = as_bool(count_include_pad, "count_include_pad")
        if divisor_override is not None:
            divisor_override = as_int(divisor_override, "divisor_override", minimum=1)
        self.divisor_override = divisor_override

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    @_image_batch
    def forward(self, x):
        """Sum of each window over its count of pixels: x (N, C, H, W) → out (N, C, H', W').

        Caches the padded shape, the padding, the taps and the counts (H', W').
        """
        x = as_float_array(x, "x")
        pads, taps = self._geometry(x.shape)
        x_pad = _pad(x, pads)
        counts = self._counts(x.shape[-2:], pads, taps).astype(x.dtype)
        self.cache = x_pad.shape, pads, taps, counts
        return sum(x_pad[:, :, rows, cols] for rows, cols in taps) / counts

    @_image_batch
    def backward(self, dout):
        """out = Σ window / count, so each pixel of a window gets ∂out/∂x = 1/count."""
        padded_shape, pads, taps, counts = self.cache
        share = dout / counts
        dx_pad = _full(padded_shape, 0, share.dtype)
        for rows, cols in taps:
            dx_pad[:, :, rows, cols] += share
        return _crop(dx_pad, pads)

    def _counts(self, size, pads, taps):
        """Divisor of each window (H', W'), by PyTorch's rule.

        The window sums of a mask of the pixels that count: the image, its
        zero padding if ``count_include_pad``, never ceil_mode's overhang.
        """
        (top, bottom), (left, right) = pads
        padding = float(self.count_include_pad)
        mask = _pad(np.ones((1, 1, *size)), ((top, top), (left, left)), padding)
        mask = _pad(mask, ((0, bottom - top), (0, right - left)))
        counts = sum(mask[0, 0, rows, cols] for rows, cols in taps)
        if self.divisor_override is not None:
            return np.full_like(counts, self.divisor_override)
        return counts


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size (``torch.nn.AdaptiveAvgPool2d``), whatever the input.

    Output row i averages input rows ⌊i·H/H'⌋ to ⌈(i + 1)·H/H'⌉ − 1, PyTorch's
    bins (neighbours overlap by a row when H' does not divide H); columns
    likewise. ``AdaptiveAvgPool2d(1)`` is global average pooling.

    Parameters
    ----------
    output_size : int or tuple of 2 (int or None)
        ``(H', W')``; None keeps that axis's input size.

    Examples
    --------
    >>> AdaptiveAvgPool2d(1)(np.ones((2, 64, 7, 7))).shape
    (2, 64, 1, 1)
    """

    def __init__(self, output_size):
        self.output_size = output_size
        sizes = (output_size, output_size) if is_int(output_size) else tuple(output_size)
        if len(sizes) != 2 or not all(s is None or (is_int(s) and s >= 1) for s in sizes):
            raise ValueError(
                f"output_size must be an int >= 1 or a pair of them (or None), got {output_size!r}"
            )
        self._sizes = sizes

    def extra_repr(self):
        return f"output_size={self.output_size}"

    def output_shape(self, input_shape):
        """``(N, C, H', W')``, an axis given as None keeping its input size."""
        _check_images(self, input_shape)
        sizes = (n if s is None else s for n, s in zip(input_shape[-2:], self._sizes))
        return (*input_shape[:-2], *sizes)

    @_image_batch
    def forward(self, x):
        """``out = A_h·x·A_wᵀ``: x (N, C, H, W) → out (N, C, H', W').

        Row i of A_h (H', H) holds 1/(bin size) on output row i's bin, so A_h·x
        averages the bins of rows; ·A_wᵀ does the columns. Caches A_h and A_w.
        """
        x = as_float_array(x, "x")
        h_out, w_out = self.output_shape(x.shape)[-2:]
        a_h = _bin_means(x.shape[2], h_out, x.dtype)
        a_w = _bin_means(x.shape[3], w_out, x.dtype)
        self.cache = a_h, a_w
        return a_h @ x @ a_w.T

    @_image_batch
    def backward(self, dout):
        """out = A_h·x·A_wᵀ is linear in x, so ∂L/∂x = A_hᵀ·dout·A_w."""
        a_h, a_w = self.cache
        return a_h.T @ dout @ a_w


def _bin_means(size, bins, dtype):
    """Matrix (bins, size) whose row i averages PyTorch's bin i, [⌊i·n/m⌋, ⌈(i + 1)·n/m⌉).

    n is ``size`` and m is ``bins``.
    """
    i = np.arange(bins)[:, None]
    start, end = i * size // bins, -(-(i + 1) * size // bins)
    inside = (np.arange(size) >= start) & (np.arange(size) < end)
    return (inside / (end - start)).astype(dtype)
