"""Plain layers as specs: what each does to a shape, and how many parameters it has.

Shapes are ``(C, H, W)`` for images and ``(F,)`` for vectors, without the
batch axis. Every spec answers four questions: ``output_shape(shape)``,
``params()``, ``rf()`` (its (kernel, stride, padding, dilation) steps, for
`convlesson.receptive_field`) and ``depth()`` (layers with weights on the
longest path). `Spec` gives the answers of a layer that keeps the shape
and has no weights; each layer overrides what it changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._checks import as_bool, as_int, as_ints, is_int
from ..shapes import conv2d_params, linear_params, output_size
from ..summary import format_shape


def check_image(layer, shape, channels=None):
    """Return ``(C, H, W)`` from ``shape``, or raise a ValueError naming the layer."""
    if len(shape) != 3 or (channels is not None and shape[0] != channels):
        c = "C" if channels is None else channels
        raise ValueError(f"{layer} expects an input of shape ({c}, H, W), got {format_shape(shape)}")
    return tuple(shape)


class Spec:
    """A layer without weights that keeps the shape: what every spec does unless it says otherwise.

    A subclass's ``kind`` names its layers in tables: ``relu1``, ``relu2``… (see `Network`).
    """

    def output_shape(self, shape):
        return tuple(shape)

    def params(self):
        return 0

    def rf(self):
        return []

    def depth(self):
        return 0

    def __str__(self):
        return f"{type(self).__name__}()"


@dataclass(frozen=True)
class Conv(Spec):
    """``nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups, bias, dilation)``.

    Square kernels only. Output ``(C_out, H', W')`` with ``H' = output_size(H, k, s, p, d)``;
    ``C_out·((C_in/groups)·k·k + bias)`` parameters.

    Examples
    --------
    >>> conv = Conv(3, 64, 11, stride=4, padding=2)
    >>> conv.output_shape((3, 224, 224)), conv.params()
    ((64, 55, 55), 23296)
    """

    in_channels: int
    out_channels: int
    kernel_size: int
    stride: int = 1
    padding: int = 0
    groups: int = 1
    bias: bool = True
    dilation: int = 1

    kind = "conv"

    def __post_init__(self):
        for name in ("in_channels", "out_channels", "kernel_size", "stride", "groups", "dilation"):
            as_int(getattr(self, name), f"Conv {name}", minimum=1)
        as_int(self.padding, "Conv padding", minimum=0)
        as_bool(self.bias, "Conv bias")

    def output_shape(self, shape):
        _, h, w = check_image(self, shape, self.in_channels)
        k, s, p, d = self.rf()[0]
        return (self.out_channels, output_size(h, k, s, p, d), output_size(w, k, s, p, d))

    def params(self):
        return conv2d_params(self.in_channels, self.out_channels, self.kernel_size, self.bias, self.groups)

    def rf(self):
        return [(self.kernel_size, self.stride, self.padding, self.dilation)]

    def depth(self):
        return 1

    def __str__(self):
        extra = [("stride", 1), ("padding", 0), ("dilation", 1), ("groups", 1), ("bias", True)]
        options = "".join(f", {key}={getattr(self, key)}" for key, default in extra
                          if getattr(self, key) != default)
        return f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}{options})"


@dataclass(frozen=True)
class Pool(Spec):
    """``nn.MaxPool2d`` (``mode='max'``) or ``nn.AvgPool2d`` (``mode='avg'``); no parameters.

    ``stride`` defaults to ``kernel_size``, as in PyTorch.

    Examples
    --------
    >>> Pool(3, stride=2).output_shape((64, 55, 55))
    (64, 27, 27)
    >>> Pool(3, stride=2, ceil_mode=True).output_shape((64, 112, 112))
    (64, 56, 56)
    """

    kernel_size: int
    stride: int | None = None
    padding: int = 0
    ceil_mode: bool = False
    mode: str = "max"

    kind = "pool"

    def __post_init__(self):
        as_int(self.kernel_size, "Pool kernel_size", minimum=1)
        if self.stride is not None:
            as_int(self.stride, "Pool stride", minimum=1)
        as_int(self.padding, "Pool padding", minimum=0)
        as_bool(self.ceil_mode, "Pool ceil_mode")
        if self.mode not in ("max", "avg"):
            raise ValueError(f"Pool mode must be 'max' or 'avg', got {self.mode!r}")

    def output_shape(self, shape):
        c, h, w = check_image(self, shape)
        k, s, p, _ = self.rf()[0]
        return (c, output_size(h, k, s, p, 1, self.ceil_mode), output_size(w, k, s, p, 1, self.ceil_mode))

    def rf(self):
        stride = self.kernel_size if self.stride is None else self.stride
        return [(self.kernel_size, stride, self.padding, 1)]

    def __str__(self):
        stride = self.rf()[0][1]
        options = f"kernel_size={self.kernel_size}, stride={stride}"
        options += f", padding={self.padding}" if self.padding else ""
        options += ", ceil_mode=True" if self.ceil_mode else ""
        return f"{self.mode.capitalize()}Pool2d({options})"


@dataclass(frozen=True)
class AdaptiveAvgPool(Spec):
    """``nn.AdaptiveAvgPool2d(output_size)``: average into a fixed ``(h, w)`` grid, whatever the input.

    ``AdaptiveAvgPool(1)`` is global average pooling. No parameters. Its
    windows depend on the input size, so it has no fixed receptive-field
    step (``rf()`` is empty; see `rf_layers`).

    Examples
    --------
    >>> AdaptiveAvgPool((6, 6)).output_shape((256, 6, 6))
    (256, 6, 6)
    >>> AdaptiveAvgPool(1).output_shape((2048, 7, 7))
    (2048, 1, 1)
    """

    output_size: int | tuple = 1

    kind = "avgpool"

    def __post_init__(self):
        as_ints(self.output_size, "AdaptiveAvgPool output_size", 2, minimum=1)

    def output_shape(self, shape):
        c, _, _ = check_image(self, shape)
        return (c, *as_ints(self.output_size, "output_size", 2, minimum=1))

    def __str__(self):
        size = self.output_size
        return f"AdaptiveAvgPool2d({size if is_int(size) else tuple(size)})"


@dataclass(frozen=True)
class BatchNorm(Spec):
    """``nn.BatchNorm2d(channels)``: a scale γ and a shift β per channel, ``2·C`` parameters.

    Its running mean and variance are buffers, not parameters, and are not
    counted. It has weights but, as in the usual layer counts, depth 0.

    Examples
    --------
    >>> BatchNorm(64).params()
    128
    """

    channels: int

    kind = "bn"

    def __post_init__(self):
        as_int(self.channels, "BatchNorm channels", minimum=1)

    def output_shape(self, shape):
        return check_image(self, shape, self.channels)

    def params(self):
        return 2 * self.channels

    def __str__(self):
        return f"BatchNorm2d({self.channels})"


@dataclass(frozen=True)
class Linear(Spec):
    """``nn.Linear(in_features, out_features, bias)``: ``out·(in + bias)`` parameters.

    Examples
    --------
    >>> Linear(4096, 10).output_shape((4096,)), Linear(4096, 10).params()
    ((10,), 40970)
    """

    in_features: int
    out_features: int
    bias: bool = True

    kind = "fc"

    def __post_init__(self):
        as_int(self.in_features, "Linear in_features", minimum=1)
        as_int(self.out_features, "Linear out_features", minimum=1)
        as_bool(self.bias, "Linear bias")

    def output_shape(self, shape):
        if tuple(shape) != (self.in_features,):
            hint = " (add a Flatten first)" if len(shape) == 3 else ""
            raise ValueError(
                f"{self} expects an input of shape ({self.in_features},), got {format_shape(shape)}{hint}"
            )
        return (self.out_features,)

    def params(self):
        return linear_params(self.in_features, self.out_features, self.bias)

    def depth(self):
        return 1

    def __str__(self):
        bias = "" if self.bias else ", bias=False"
        return f"Linear({self.in_features}, {self.out_features}{bias})"


@dataclass(frozen=True)
class ReLU(Spec):
    """``nn.ReLU()``: max(0, x), element by element; keeps the shape."""

    kind = "relu"


@dataclass(frozen=True)
class Dropout(Spec):
    """``nn.Dropout(p)``: zeroes a fraction ``p`` of the numbers while training; keeps the shape."""

    p: float = 0.5

    kind = "dropout"

    def __str__(self):
        return f"Dropout(p={self.p})"


@dataclass(frozen=True)
class Flatten(Spec):
    """``nn.Flatten()``: ``(C, H, W)`` to ``(C·H·W,)``."""

    kind = "flatten"

    def output_shape(self, shape):
        return (math.prod(shape),)
