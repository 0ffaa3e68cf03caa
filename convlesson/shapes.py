"""Shape arithmetic: output sizes, parameter counts and receptive fields.

These functions take and return plain ints, so a network can be sized on paper
(or in a browser cell) before any array exists. They use PyTorch's names and
rules, so the numbers agree with ``nn.Conv2d``, ``nn.MaxPool2d`` and
``nn.Linear``.
"""

from __future__ import annotations

from typing import NamedTuple

from ._checks import as_bool, as_int, as_ints, check_fits, check_groups, is_int


def output_size(size, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Number of positions a kernel takes along one axis of the input.

    PyTorch's formula for ``Conv2d`` and the pooling layers::

        out = ⌊(size + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1

    With ``dilation=1`` this is the lesson's ⌊(W − K + 2P)/S⌋ + 1: the kernel
    has ``W + 2P − K`` pixels of room to slide, a stride-``S`` jump fits
    ⌊room/S⌋ times, and the starting position adds one.

    Parameters
    ----------
    size : int
        Length ``W`` of the input along the axis, before padding.
    kernel_size : int
        Kernel length ``K``.
    stride : int, default 1
        Step ``S`` between neighbouring kernel positions.
    padding : int, default 0
        Zeros ``P`` added on each side. (For ``padding='same'`` the output
        length is ``size``; ``'valid'`` is ``padding=0``.)
    dilation : int, default 1
        Spacing between kernel taps; the kernel then spans ``dilation·(K − 1) + 1``.
    ceil_mode : bool, default False
        Round up instead of down (pooling only), so a last, partial window
        counts, except a window that would start in the right padding, which
        PyTorch drops.

    Returns
    -------
    int
        The output length, at least 1.

    Raises
    ------
    ValueError
        If the (dilated) kernel is larger than the padded input, so that
        there is no output. (With ``ceil_mode`` PyTorch lets the single
        window hang over the end by up to ``stride − 1``.)

    Examples
    --------
    >>> output_size(5, 3)
    3
    >>> output_size(5, 3, padding=1)
    5
    >>> output_size(32, 2, stride=2)
    16
    >>> output_size(6, 3, stride=2), output_size(6, 3, stride=2, ceil_mode=True)
    (2, 3)
    """
    size = as_int(size, "size", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    ceil_mode = as_bool(ceil_mode, "ceil_mode")
    check_fits((kernel_size,), (dilation,), (size + 2 * padding,), (stride,) if ceil_mode else None)
    room = size + 2 * padding - dilation * (kernel_size - 1) - 1
    if not ceil_mode:
        return room // stride + 1
    out = -(-room // stride) + 1  # ⌈room / stride⌉ + 1
    if (out - 1) * stride >= size + padding:
        out -= 1  # the last window would start in the right padding: PyTorch drops it
    return out


def conv2d_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    """Number of learnable numbers in ``nn.Conv2d(in_channels, out_channels, kernel_size)``.

    Each of the ``C_out`` filters has ``(C_in / groups)·kH·kW`` weights, plus
    one bias::

        params = C_out · ((C_in / groups)·kH·kW + 1)

    Parameters
    ----------
    in_channels, out_channels : int
        ``C_in`` and ``C_out``; both must be divisible by ``groups``.
    kernel_size : int or tuple of 2 ints
        ``k`` for a square kernel, or ``(kH, kW)``.
    bias : bool, default True
        Whether each filter has a bias.
    groups : int, default 1
        Channel groups: each filter sees only ``C_in / groups`` input channels.

    Returns
    -------
    int

    Examples
    --------
    >>> conv2d_params(64, 128, 3)
    73856
    >>> conv2d_params(3, 32, 3, bias=False)
    864
    >>> conv2d_params(32, 32, 3, groups=32)  # depthwise: one 3x3 filter per channel
    320
    """
    in_channels = as_int(in_channels, "in_channels", minimum=1)
    out_channels = as_int(out_channels, "out_channels", minimum=1)
    kh, kw = as_ints(kernel_size, "kernel_size", 2, minimum=1)
    bias = as_bool(bias, "bias")
    groups = as_int(groups, "groups", minimum=1)
    check_groups(groups, in_channels, out_channels)
    return out_channels * (in_channels // groups * kh * kw + int(bias))


def conv2d_macs(in_channels, out_channels, kernel_size, out_height, out_width, groups=1):
    """Multiply–adds one image costs in ``nn.Conv2d(in_channels, out_channels, kernel_size)``.

    Each of the ``C_out·H'·W'`` outputs is a dot product of one filter,
    ``(C_in / groups)·kH·kW`` weights, with the window under it: one multiply
    and one add per weight (the bias is left out, as is usual)::

        macs = C_out · H' · W' · (C_in / groups) · kH · kW

    Unlike the parameter count, it grows with the size of the output map.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or tuple of 2 ints
    out_height, out_width : int
        ``H'`` and ``W'``, the output's size (see `output_size`).
    groups : int, default 1

    Returns
    -------
    int

    Examples
    --------
    >>> conv2d_macs(3, 32, 3, 32, 32)
    884736
    >>> conv2d_macs(64, 128, 1, 8, 8)  # a 1×1 convolution: 64 per output
    524288
    """
    in_channels = as_int(in_channels, "in_channels", minimum=1)
    out_channels = as_int(out_channels, "out_channels", minimum=1)
    kh, kw = as_ints(kernel_size, "kernel_size", 2, minimum=1)
    out_height = as_int(out_height, "out_height", minimum=1)
    out_width = as_int(out_width, "out_width", minimum=1)
    groups = as_int(groups, "groups", minimum=1)
    check_groups(groups, in_channels, out_channels)
    return out_channels * out_height * out_width * (in_channels // groups) * kh * kw


def linear_params(in_features, out_features, bias=True):
    """Number of learnable numbers in ``nn.Linear(in_features, out_features)``.

    ``params = out·(in + 1)``: one weight per input and a bias, per output.

    Examples
    --------
    >>> linear_params(4096, 10)
    40970
    """
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    bias = as_bool(bias, "bias")
    return out_features * (in_features + int(bias))


class ReceptiveField(NamedTuple):
    """Receptive field of the outputs of one layer, measured in input pixels.

    Attributes
    ----------
    layer : int
        Position of the layer in the stack, from 1 (the input is layer 0).
    rf : int
        Size ``r`` of the input region that one output of this layer sees.
    jump : int
        Distance ``j`` in the input between neighbouring outputs: the product
        of the strides so far.
    padding : int
        Effective padding ``P``: the first output's region starts at input
        index ``−P``.
    """

    layer: int
    rf: int
    jump: int
    padding: int


_LAYER_DEFAULTS = {"kernel_size": None, "stride": 1, "padding": 0, "dilation": 1}


def receptive_field(layers):
    """Receptive field, jump and effective padding after each layer of a stack.

    Follows Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional
    Neural Networks", Distill 2019. Starting from the input (``r₀ = 1``,
    ``j₀ = 1``, ``P₀ = 0``), layer ``l`` with kernel ``k``, stride ``s``,
    padding ``p`` and dilation ``d`` gives::

        k_eff = d·(k − 1) + 1
        r_l   = r_{l−1} + (k_eff − 1)·j_{l−1}
        j_l   = j_{l−1}·s
        P_l   = P_{l−1} + p·j_{l−1}

    Output ``i`` of layer ``l`` then sees input pixels ``i·j_l − P_l`` to
    ``i·j_l − P_l + r_l − 1``. Pooling layers count like convolutions;
    element-wise layers (ReLU) change nothing and are left out. The numbers
    are for one axis; with square kernels, strides and paddings they hold for
    both.

    Parameters
    ----------
    layers : sequence of int, tuple or dict
        One entry per conv or pooling layer: ``kernel_size`` alone, a tuple
        ``(kernel_size, stride, padding, dilation)`` whose trailing items may
        be left out, or a dict with those keys (only ``kernel_size`` is
        required). Missing values are ``stride=1, padding=0, dilation=1``, as
        in ``nn.Conv2d``.

    Returns
    -------
    list of ReceptiveField
        ``ReceptiveField(layer, rf, jump, padding)`` for each layer, in order.

    Examples
    --------
    Two 3×3 convolutions see as far as one 5×5:

    >>> receptive_field([3, 3])[-1].rf
    5

    The lesson's network: conv 3×3 pad 1, max pool 2, conv 3×3 pad 1, max pool 2.

    >>> for field in receptive_field([(3, 1, 1), (2, 2), dict(kernel_size=3, padding=1), (2, 2)]):
    ...     print(field)
    ReceptiveField(layer=1, rf=3, jump=1, padding=1)
    ReceptiveField(layer=2, rf=4, jump=2, padding=1)
    ReceptiveField(layer=3, rf=8, jump=2, padding=3)
    ReceptiveField(layer=4, rf=10, jump=4, padding=3)
    """
    if isinstance(layers, (str, dict)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a list of layers, got {layers!r}")
    layer_args = [_layer_args(layer, f"layers[{i}]") for i, layer in enumerate(layers)]
    r, j, p = 1, 1, 0
    fields = []
    for number, (k, s, pad, d) in enumerate(layer_args, start=1):
        k_eff = d * (k - 1) + 1
        r = r + (k_eff - 1) * j
        p = p + pad * j
        j = j * s
        fields.append(ReceptiveField(number, r, j, p))
    return fields


def _layer_args(layer, name):
    """Return ``(kernel_size, stride, padding, dilation)`` for one entry of ``layers``."""
    keys = list(_LAYER_DEFAULTS)
    if is_int(layer):
        layer = (layer,)
    if isinstance(layer, (tuple, list)):
        if not 1 <= len(layer) <= 4:
            raise ValueError(
                f"{name} must have 1 to 4 values {tuple(keys)}, got {len(layer)}: {layer!r}"
            )
        layer = dict(zip(keys, layer))
    if not isinstance(layer, dict):
        raise TypeError(
            f"{name} must be an int, a tuple {tuple(keys)} or a dict with those keys, got {layer!r}"
        )
    unknown = [key for key in layer if key not in _LAYER_DEFAULTS]
    if unknown:
        raise ValueError(f"{name} has unknown keys {unknown}; allowed: {keys}")
    if "kernel_size" not in layer:
        raise ValueError(f"{name} needs a 'kernel_size', got {layer!r}")
    args = {**_LAYER_DEFAULTS, **layer}
    return (
        as_int(args["kernel_size"], f"{name} kernel_size", minimum=1),
        as_int(args["stride"], f"{name} stride", minimum=1),
        as_int(args["padding"], f"{name} padding", minimum=0),
        as_int(args["dilation"], f"{name} dilation", minimum=1),
    )
