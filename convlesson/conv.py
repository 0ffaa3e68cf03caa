"""Convolution layers as numpy functions that compute what PyTorch computes.

``conv1d`` and ``conv2d`` slide a kernel over the input and, at each position,
add up the element-wise products of kernel and window. The kernel is not
flipped: this is cross-correlation, which deep learning (and PyTorch's
``F.conv1d`` and ``F.conv2d``) calls convolution. ``convolve2d`` flips the
kernel first, giving the convolution of signal processing
(``scipy.signal.convolve2d``).

For output channel ``o`` at position ``(i, j)``, with stride ``s``, dilation
``d`` and ``x_pad`` the input with ``padding`` zeros around it::

    out[o, i, j] = bias[o] + Σ_c Σ_u Σ_v weight[o, c, u, v] · x_pad[c, i·s_h + u·d_h, j·s_w + v·d_w]

where ``c`` runs over the input channels of ``o``'s group (all of them when
``groups=1``).

Shapes
------
The output has the rank of the input::

    x                  weight                          output
    (H, W)             (kH, kW)                        (H', W')
    (C_in, H, W)       (C_out, C_in/groups, kH, kW)    (C_out, H', W')
    (N, C_in, H, W)    (C_out, C_in/groups, kH, kW)    (N, C_out, H', W')

with ``H' = output_size(H, kH, stride, padding, dilation)``, and the same for
``W'``. Other pairings are refused, not guessed at: a 2-D image with a 4-D
weight is ``x[None]``, a 2-D kernel over one channel is ``weight[None, None]``.
``conv1d`` is the same with one spatial axis: ``(L,)``, ``(C_in, L)`` or
``(N, C_in, L)`` and a weight ``(K,)`` or ``(C_out, C_in/groups, K)``.

Numbers
-------
Float arrays keep their precision (float32 in, float32 out, as in PyTorch);
mixed precisions promote as numpy does, and the bias takes the dtype of the
result. Integer arrays are computed in float64, so the result is float64
(PyTorch refuses integer convolution).
bool, complex and non-numeric arrays are refused. NaN and inf propagate as in
PyTorch: an output is NaN when its window holds a NaN, even under a zero
weight, since 0·NaN is NaN. An inf under a zero weight gives NaN too, and
numpy reports that one with a ``RuntimeWarning`` (silence it with
``np.errstate(invalid="ignore")``).

Errors
------
Every argument is checked before anything is computed. A wrong type raises
``TypeError``, a wrong value ``ValueError``; the message names the argument,
the value given and what would be accepted.

How it is computed
------------------
``corr2d_loop`` is the definition, two loops and one windowed sum. The fast
functions compute the same sums without a Python loop: pad the input, view
every window at once (``sliding_window_view``, no copy), copy the windows into
the columns of a matrix ("im2col", one per image and group) and multiply it by
the filters flattened into rows: a BLAS matrix product does all the
multiply-adds. The copy holds ``C_in·kH·kW·N·H'·W'`` numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import (
    as_float_array,
    as_int,
    as_ints,
    check_fits,
    check_groups,
    dilated,
    padding_sides,
)


def corr2d_loop(x, kernel):
    """Cross-correlation of an image with a kernel, written as two plain loops.

    The reference the fast functions are tested against: size the output,
    then at each position multiply the window by the kernel and add up.
    No padding, stride 1; ``O(H'·W'·kH·kW)`` Python-level work, so keep the
    image small.

    Parameters
    ----------
    x : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)

    Returns
    -------
    ndarray, shape (H − kH + 1, W − kW + 1)

    Examples
    --------
    >>> x = np.arange(9.0).reshape(3, 3)
    >>> k = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> corr2d_loop(x, k)
    array([[19., 25.],
           [37., 43.]])
    """
    x = as_float_array(x, "x")
    kernel = as_float_array(kernel, "kernel")
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"x and kernel must be 2-D, (H, W) and (kH, kW), got shapes {x.shape} and {kernel.shape}"
        )
    check_fits(kernel.shape, (1, 1), x.shape)
    h, w = kernel.shape
    y = np.zeros((x.shape[0] - h + 1, x.shape[1] - w + 1), dtype=np.result_type(x, kernel))
    for i in range(y.shape[0]):
        for j in range(y.shape[1]):
            y[i, j] = (x[i : i + h, j : j + w] * kernel).sum()
    return y


def conv_matrix(kernel, input_shape, stride=1, padding=0):
    """The dense weight matrix that computes ``conv2d(x, kernel, stride=…, padding=…)``.

    A convolution is a linear map, so it is a matrix: row ``r`` of the result
    belongs to output position ``(i, j) = divmod(r, W')`` and holds the kernel's
    weights in the columns of the input pixels under the kernel there, and 0
    everywhere else. Every row holds the same ``kH·kW`` weights (tied weights),
    shifted; weights that fall on the zero padding are left out. So, for an
    input ``x`` of shape ``input_shape``::

        conv_matrix(kernel, x.shape) @ x.ravel() == conv2d(x, kernel).ravel()

    Parameters
    ----------
    kernel : array_like, shape (kH, kW)
    input_shape : tuple of 2 ints
        ``(H, W)`` of the input.
    stride : int or tuple of 2 ints, default 1
    padding : int or tuple of 2 ints, default 0
        Zeros on each side, as in `conv2d` (a number, not ``'same'``).

    Returns
    -------
    ndarray, shape (H'·W', H·W)
        ``H' = output_size(H, kH, stride, padding)``, and the same for ``W'``.

    Examples
    --------
    >>> m = conv_matrix(np.array([[1.0, -1.0]]), (1, 3))
    >>> m
    array([[ 1., -1.,  0.],
           [ 0.,  1., -1.]])
    """
    kernel = as_float_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, (kH, kW), got shape {kernel.shape}")
    h, w = as_ints(input_shape, "input_shape", 2, minimum=1)
    sh, sw = as_ints(stride, "stride", 2, minimum=1)
    ph, pw = as_ints(padding, "padding", 2, minimum=0)
    kh, kw = kernel.shape
    check_fits(kernel.shape, (1, 1), (h + 2 * ph, w + 2 * pw))
    h_out, w_out = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    matrix = np.zeros((h_out * w_out, h * w), dtype=kernel.dtype)
    for i in range(h_out):
        for j in range(w_out):
            for u in range(kh):
                for v in range(kw):
                    row, col = i * sh + u - ph, j * sw + v - pw
                    if 0 <= row < h and 0 <= col < w:  # else the weight sits on the zero padding
                        matrix[i * w_out + j, row * w + col] = kernel[u, v]
    return matrix


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation, the convolution layer of PyTorch (``F.conv2d``).

    Parameters
    ----------
    x : ndarray, shape (H, W), (C_in, H, W) or (N, C_in, H, W)
        Input image, volume or batch.
    weight : ndarray, shape (kH, kW) or (C_out, C_in/groups, kH, kW)
        One kernel (with a 2-D ``x``), or a bank of ``C_out`` filters.
    bias : float or ndarray, shape (C_out,), optional
        Added to each output channel; a number with a 2-D ``weight``.
    stride : int or tuple of 2 ints, default 1
        Step between neighbouring kernel positions, ``(s_h, s_w)``.
    padding : int, tuple of 2 ints, 'valid' or 'same', default 0
        Zeros added on each side of each axis. ``'valid'`` adds none;
        ``'same'`` (stride 1 only) keeps the size, putting an odd extra row or
        column at the bottom or right, as PyTorch does.
    dilation : int or tuple of 2 ints, default 1
        Spacing between kernel taps.
    groups : int, default 1
        Split the channels into ``groups`` independent convolutions;
        ``groups=C_in`` is a depthwise convolution.

    Returns
    -------
    ndarray, shape (H', W'), (C_out, H', W') or (N, C_out, H', W')
        ``H' = ⌊(H + 2·p_h − d_h·(kH − 1) − 1)/s_h⌋ + 1``, likewise ``W'``.

    Notes
    -----
    The windows of each image are copied once into a ``(C_in·kH·kW, H'·W')``
    matrix, which a product with the ``(C_out, C_in·kH·kW)`` filters turns into
    the output: ``N·C_out·(C_in/groups)·kH·kW·H'·W'`` multiply-adds.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(3, 3)
    >>> k = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> conv2d(x, k)
    array([[19., 25.],
           [37., 43.]])

    An RGB batch through 32 filters of 3×3, keeping the size:

    >>> out = conv2d(np.ones((2, 3, 32, 32)), np.ones((32, 3, 3, 3)), padding=1)
    >>> out.shape
    (2, 32, 32, 32)
    >>> out[0, 0, :3, :3]
    array([[12., 18., 18.],
           [18., 27., 27.],
           [18., 27., 27.]])
    """
    return _conv(x, weight, bias, stride, padding, dilation, groups, spatial=2)


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation, the convolution layer of PyTorch (``F.conv1d``).

    Parameters
    ----------
    x : ndarray, shape (L,), (C_in, L) or (N, C_in, L)
        Input signal, channels or batch.
    weight : ndarray, shape (K,) or (C_out, C_in/groups, K)
        One kernel (with a 1-D ``x``), or a bank of ``C_out`` filters.
    bias : float or ndarray, shape (C_out,), optional
        Added to each output channel; a number with a 1-D ``weight``.
    stride : int, default 1
    padding : int, 'valid' or 'same', default 0
        As in `conv2d`.
    dilation : int, default 1
    groups : int, default 1

    Returns
    -------
    ndarray, shape (L',), (C_out, L') or (N, C_out, L')
        ``L' = ⌊(L + 2·p − d·(K − 1) − 1)/s⌋ + 1``.

    Examples
    --------
    A 3-tap kernel sliding along 5 samples fits 3 times:

    >>> conv1d(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([1.0, 0.0, -1.0]))
    array([-2., -2., -2.])
    >>> conv1d(np.ones((4, 2, 10)), np.ones((3, 2, 3)), stride=2).shape
    (4, 3, 4)
    """
    return _conv(x, weight, bias, stride, padding, dilation, groups, spatial=1)


def convolve2d(x, kernel, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """True 2-D convolution: `conv2d` with the kernel flipped on both spatial axes.

    ``convolve2d(x, k)`` equals ``conv2d(x, k[..., ::-1, ::-1])``. Flipping is
    what makes convolution commutative and associative; a network learns its
    kernels, so it does not need the flip, and PyTorch leaves it out.
    Arguments and shapes are those of `conv2d`, with ``kernel`` for ``weight``.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(3, 3)
    >>> k = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> convolve2d(x, k)
    array([[ 5., 11.],
           [23., 29.]])
    """
    return _conv(
        x, kernel, bias, stride, padding, dilation, groups, spatial=2, flip=True, name="kernel"
    )


def _conv(x, weight, bias, stride, padding, dilation, groups, spatial, flip=False, name="weight"):
    """Check the arguments of conv1d (``spatial=1``) or conv2d (``spatial=2``), then correlate.

    ``flip`` turns the correlation into a true convolution; ``name`` is what the
    caller calls its weight, for the error messages.
    """
    x = as_float_array(x, "x")
    weight = as_float_array(weight, name)
    single = _check_ranks(x, weight, spatial, name)
    stride = as_ints(stride, "stride", spatial, minimum=1)
    dilation = as_ints(dilation, "dilation", spatial, minimum=1)
    groups = as_int(groups, "groups", minimum=1)
    if single:
        batch, filters = x[None, None], weight[None, None]
    else:
        batch, filters = (x[None] if x.ndim == spatial + 1 else x), weight
    _check_channels(batch.shape[1], filters.shape, groups, name)
    pads = padding_sides(padding, filters.shape[2:], stride, dilation)
    check_fits(filters.shape[2:], dilation, _padded_size(batch.shape[2:], pads))
    bias = _check_bias(bias, filters.shape[0], single)

    if flip:
        filters = np.flip(filters, axis=tuple(range(2, 2 + spatial)))
    if spatial == 1:  # a signal is an image one pixel high
        batch, filters = batch[:, :, None, :], filters[:, :, None, :]
        stride, dilation, pads = (1, *stride), (1, *dilation), ((0, 0), *pads)
    out = _correlate(batch, filters, bias, pads, stride, dilation, groups)
    if spatial == 1:
        out = out[:, :, 0, :]
    if single:
        return out[0, 0]
    return out[0] if x.ndim == spatial + 1 else out


def _correlate(x, weight, bias, pads, stride, dilation, groups):
    """Cross-correlate a batch with a filter bank: im2col, then one matrix product per image and group.

    ``x`` is (N, C_in, H, W), ``weight`` (C_out, C_in/groups, kH, kW), ``bias``
    (C_out,) or None, ``pads`` ((top, bottom), (left, right)); the arguments
    are already checked. Returns (N, C_out, H', W').
    """
    n = x.shape[0]
    c_out, c_group, kh, kw = weight.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), *pads))
    windows = sliding_window_view(x_pad, dilated((kh, kw), dilation), axis=(2, 3))
    windows = windows[:, :, :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]]
    h_out, w_out = windows.shape[2:4]  # windows: (N, C_in, H', W', kH, kW)
    # im2col: for each image and group, a row per (channel, tap) and a column per
    # output pixel. Keeping (H', W') last makes the copy read x along its rows.
    cols = windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, groups, c_group * kh * kw, h_out * w_out)
    filters = weight.reshape(groups, c_out // groups, c_group * kh * kw)
    out = (filters @ cols).reshape(n, c_out, h_out, w_out)
    if bias is not None:
        out = out + bias.astype(out.dtype)[:, None, None]
    return out


def _padded_size(size, pads):
    """Input size after padding: ``size + before + after`` on each axis."""
    return tuple(s + before + after for s, (before, after) in zip(size, pads))


_SHAPE_NAMES = {
    1: ("(L,)", "(C_in, L)", "(N, C_in, L)", "(K,)", "(C_out, C_in/groups, K)"),
    2: ("(H, W)", "(C_in, H, W)", "(N, C_in, H, W)", "(kH, kW)", "(C_out, C_in/groups, kH, kW)"),
}


def _check_ranks(x, weight, spatial, weight_name):
    """Raise unless x and weight pair up as in the module's table; True for one image, one kernel."""
    x_single, x_unbatched, x_batched, k_single, k_bank = _SHAPE_NAMES[spatial]
    if x.ndim not in (spatial, spatial + 1, spatial + 2):
        raise ValueError(
            f"x must have shape {x_single}, {x_unbatched} or {x_batched}, got shape {x.shape}"
        )
    if weight.ndim not in (spatial, spatial + 2):
        raise ValueError(
            f"{weight_name} must have shape {k_single} or {k_bank}, got shape {weight.shape}"
        )
    if x.ndim == spatial and weight.ndim != spatial:
        raise ValueError(
            f"x of shape {x.shape} is one {x_single} input without channels, so {weight_name} "
            f"must have shape {k_single}, got shape {weight.shape}; to use a filter bank "
            f"{k_bank}, pass x[None], a one-channel {x_unbatched} input"
        )
    if x.ndim != spatial and weight.ndim == spatial:
        raise ValueError(
            f"x of shape {x.shape} has channels, so {weight_name} must have shape {k_bank}, "
            f"got shape {weight.shape}; for one kernel on a one-channel input pass "
            f"{weight_name}[None, None]"
        )
    return x.ndim == spatial


def _check_channels(in_channels, filters_shape, groups, weight_name):
    """Raise unless the filters take the input's channels, split into ``groups``."""
    out_channels, group_channels = filters_shape[:2]
    check_groups(groups, in_channels, out_channels)
    if group_channels * groups != in_channels:
        raise ValueError(
            f"x has {in_channels} channels but {weight_name} of shape {filters_shape} expects "
            f"{group_channels * groups} ({weight_name}.shape[1] · groups = {group_channels} · "
            f"{groups}); {weight_name}.shape[1] must be C_in/groups = {in_channels // groups}"
        )


def _check_bias(bias, out_channels, single):
    """Return the bias as a (C_out,) float array, or None; a number is allowed for one kernel."""
    if bias is None:
        return None
    bias = as_float_array(bias, "bias")
    if single and bias.shape in ((), (1,)):
        return bias.reshape(1)
    if bias.shape != (out_channels,):
        allowed = (
            "be a number" if single else f"have shape ({out_channels},), one per output channel"
        )
        raise ValueError(f"bias must {allowed}, got shape {bias.shape}")
    return bias
