"""The convolution layer: forward by im2col and a matrix product, backward by their gradients."""

from __future__ import annotations

import math

import numpy as np

from .._checks import as_bool, as_float_array, as_int, as_ints, check_groups, padding_sides
from ..shapes import output_size
from ._arrays import (
    _add_windows, _check_images, _crop, _image_batch, _matmul, _naming, _pad, _windows,
)
from .module import Module, _uniform


class Conv2d(Module):
    """2-D convolution with learned filters (``torch.nn.Conv2d``): `convlesson.conv2d` as a layer.

    Parameters
    ----------
    in_channels, out_channels : int
        ``C_in`` and ``C_out``; both divisible by ``groups``.
    kernel_size : int or tuple of 2 ints
        ``(kH, kW)``.
    stride, padding, dilation, groups
        As in `convlesson.conv2d`; padding may also be ``'same'`` or ``'valid'``.
    bias : bool, default True
    dtype : numpy dtype, default float32
    rng : numpy.random.Generator, optional
        For the initial weights; the package's generator (see `manual_seed`) if not given.

    Attributes
    ----------
    weight : Parameter, shape (C_out, C_in/groups, kH, kW)
        Initialised from U(−1/√fan_in, 1/√fan_in), ``fan_in = C_in/groups·kH·kW``.
    bias : Parameter, shape (C_out,), or None
        Initialised from the same distribution.

    Examples
    --------
    >>> conv = Conv2d(3, 32, 3, padding=1)
    >>> conv
    Conv2d(3, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> conv(np.zeros((2, 3, 32, 32))).shape
    (2, 32, 32, 32)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, *, dtype=np.float32, rng=None):
        self.in_channels = as_int(in_channels, "in_channels", minimum=1)
        self.out_channels = as_int(out_channels, "out_channels", minimum=1)
        self.kernel_size = as_ints(kernel_size, "kernel_size", 2, minimum=1)
        self.stride = as_ints(stride, "stride", 2, minimum=1)
        self.dilation = as_ints(dilation, "dilation", 2, minimum=1)
        self.groups = as_int(groups, "groups", minimum=1)
        check_groups(self.groups, self.in_channels, self.out_channels)
        self.pads = padding_sides(padding, self.kernel_size, self.stride, self.dilation)
        self.padding = padding if isinstance(padding, str) else tuple(p for p, _ in self.pads)
        fan_in = self.in_channels // self.groups * math.prod(self.kernel_size)
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = _uniform(shape, fan_in, dtype, rng)
        has_bias = as_bool(bias, "bias")
        self.bias = _uniform((self.out_channels,), fan_in, dtype, rng) if has_bias else None

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + (", bias=False" if self.bias is None else "")

    def output_shape(self, input_shape):
        """``(N, C_out, H', W')`` with ``H' = ⌊(H + p_top + p_bottom − d·(kH − 1) − 1)/s⌋ + 1``."""
        _check_images(self, input_shape, self.in_channels)
        with _naming(self, input_shape):
            axes = zip(input_shape[-2:], self.kernel_size, self.stride, self.pads, self.dilation)
            sizes = [output_size(size + before + after, k, s, 0, d)
                     for size, k, s, (before, after), d in axes]
        return (*input_shape[:-3], self.out_channels, *sizes)

    @_image_batch
    def forward(self, x):
        """Correlate the batch with the filters: x (N, C_in, H, W) → out (N, C_out, H', W').

        ``out[n, o, i, j] = b[o] + Σ_{c,u,v} w[o, c, u, v]·x_pad[n, c, i·s + u·d, j·s + v·d]``,
        c running over the channels of o's group. As `convlesson.conv2d` does,
        copy the windows into the columns of a matrix (im2col), so that the
        sums are one matrix product per group: ``out = w·cols + b``. The
        columns are ordered (i, j, n), batch last, like the layout of the
        arrays (see `_full`). Caches the columns.
        """
        x = as_float_array(x, "x")
        n, (h_out, w_out), g = len(x), self.output_shape(x.shape)[2:], self.groups
        x_pad = _pad(x, self.pads)
        windows = _windows(x_pad, self.kernel_size, self.stride, self.dilation)
        # im2col: windows (N, C_in, H', W', kH, kW) become, per group, a matrix with
        # a row for each (c, u, v) and a column for each (i, j, n)
        cols = windows.transpose(1, 4, 5, 2, 3, 0).reshape(g, -1, h_out * w_out * n)
        w = self.weight.data.reshape(g, self.out_channels // g, -1)  # o × (c, u, v)
        out = _matmul(w, cols).reshape(self.out_channels, h_out, w_out, n)
        if self.bias is not None:
            out += self.bias.data[:, None, None, None]
        self.cache = x_pad.shape, cols
        return out.transpose(3, 0, 1, 2)

    @_image_batch
    def backward(self, dout):
        """From dout = ∂L/∂out (N, C_out, H', W'), add ∂L/∂w and ∂L/∂b and return ∂L/∂x.

        The forward pass is the matrix product ``out = w·cols + b``, so the
        gradients are matrix products too. col2im then adds each column's
        gradient back onto the pixels the column was copied from. ∂L/∂x has
        the input's shape, (N, C_in, H, W).
        """
        padded_shape, cols = self.cache
        n, c_out, h_out, w_out = dout.shape
        g = self.groups
        w = self.weight.data.reshape(g, c_out // g, -1)
        dout_rows = dout.transpose(1, 2, 3, 0).reshape(g, c_out // g, -1)  # o × (i, j, n)
        if self.bias is not None:
            self.bias.grad += dout.sum(axis=(0, 2, 3))  # ∂L/∂b[o] = Σ_{n,i,j} dout[n, o, i, j]
        # ∂L/∂w[o, (c, u, v)] = Σ_{(i,j,n)} dout[o, (i, j, n)]·cols[(c, u, v), (i, j, n)]
        dw = _matmul(dout_rows, cols.transpose(0, 2, 1))
        self.weight.grad += dw.reshape(self.weight.data.shape)
        # ∂L/∂cols[(c, u, v), (i, j, n)] = Σ_o w[o, (c, u, v)]·dout[o, (i, j, n)]
        dcols = _matmul(w.transpose(0, 2, 1), dout_rows)
        dcols = dcols.reshape(self.in_channels, *self.kernel_size, h_out, w_out, n)
        dwindows = dcols.transpose(5, 0, 3, 4, 1, 2)  # (N, C, H', W', kH, kW)
        dx_pad = _add_windows(dwindows, padded_shape, self.kernel_size, self.stride, self.dilation)
        return _crop(dx_pad, self.pads)
