"""Famous convolutional networks as lists of layer specs, sized on paper.

A spec says what a layer is (``Conv(3, 64, 11, stride=4, padding=2)``), not
what it has learned: it holds no weights. From the specs alone `summary`
works out every layer's output shape with `convlesson.output_size` and its
parameter count with `convlesson.conv2d_params` and
`convlesson.linear_params`, so even VGG-16's 138 million parameters are
counted without a single array, fast enough for a browser cell.

>>> from convlesson import architectures
>>> architectures.count_params("vgg16")
138357544
>>> print(architectures.summary("seed_net"))
seed_net, input 3×32×32
Layer     Layer spec                                Output shape  Params
========================================================================
conv1     Conv2d(3, 32, kernel_size=3, padding=1)       32×32×32     896
relu1     ReLU()                                        32×32×32       0
pool1     MaxPool2d(kernel_size=2, stride=2)            32×16×16       0
conv2     Conv2d(32, 64, kernel_size=3, padding=1)      64×16×16  18,496
relu2     ReLU()                                        64×16×16       0
pool2     MaxPool2d(kernel_size=2, stride=2)              64×8×8       0
flatten1  Flatten()                                         4096       0
fc1       Linear(4096, 10)                                    10  40,970
========================================================================
Total params                                                      60,362

The networks are the ones ``torchvision.models`` builds (LeNet-5 excepted:
torchvision has none), layer for layer, so the totals are torchvision's
published ``num_params``:

=========  ===========  ==========================================================
name       parameters   as in
=========  ===========  ==========================================================
seed_net        60,362  the lesson's small network, 3×32×32 images, 10 classes
lenet5          61,706  the PyTorch tutorial's LeNet: ReLU and max pooling, 32×32
alexnet     61,100,840  ``torchvision.models.alexnet``
vgg16      138,357,544  ``torchvision.models.vgg16`` (config D, no batch norm)
googlenet    6,624,904  ``torchvision.models.googlenet`` as loaded with weights
resnet18    11,689,512  ``torchvision.models.resnet18``
resnet50    25,557,032  ``torchvision.models.resnet50``
=========  ===========  ==========================================================

Shapes are ``(C, H, W)`` for images and ``(F,)`` for vectors, without the
batch axis. Each spec has the same four methods: ``output_shape(shape)``,
``params()``, ``rf()`` (its (kernel, stride, padding, dilation) steps along the
main path, for `convlesson.receptive_field`) and ``depth()`` (layers with
weights on the longest path).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import NamedTuple

from ._checks import as_bool, as_int, as_ints, is_int
from .shapes import conv2d_params, linear_params, output_size, receptive_field

__all__ = [
    "AdaptiveAvgPool", "BasicBlock", "BatchNorm", "Bottleneck", "Conv", "Dropout", "Flatten",
    "Inception", "InceptionAux", "Linear", "Milestone", "Network", "Pool", "ReLU", "Summary",
    "SummaryRow", "alexnet", "count_params", "depth", "format_shape", "get", "googlenet",
    "history", "lenet5", "names", "receptive_fields", "resnet18", "resnet50", "rf_layers",
    "seed_net", "summary", "vgg16",
]


def format_shape(shape):
    """Write a shape the way the tables and figures do: ``(64, 55, 55)`` as ``'64×55×55'``.

    Examples
    --------
    >>> format_shape((3, 224, 224)), format_shape((4096,))
    ('3×224×224', '4096')
    """
    return "×".join(str(n) for n in shape)


def _image(layer, shape, channels=None):
    """Return ``(C, H, W)`` from ``shape``, or raise a ValueError naming the layer."""
    if len(shape) != 3 or (channels is not None and shape[0] != channels):
        c = "C" if channels is None else channels
        raise ValueError(f"{layer} expects an input of shape ({c}, H, W), got {format_shape(shape)}")
    return shape


# Plain layers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conv:
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

    def __post_init__(self):
        for name in ("in_channels", "out_channels", "kernel_size", "stride", "groups", "dilation"):
            as_int(getattr(self, name), f"Conv {name}", minimum=1)
        as_int(self.padding, "Conv padding", minimum=0)
        as_bool(self.bias, "Conv bias")

    def output_shape(self, shape):
        _, h, w = _image(self, shape, self.in_channels)
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
class Pool:
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

    def __post_init__(self):
        as_int(self.kernel_size, "Pool kernel_size", minimum=1)
        if self.stride is not None:
            as_int(self.stride, "Pool stride", minimum=1)
        as_int(self.padding, "Pool padding", minimum=0)
        as_bool(self.ceil_mode, "Pool ceil_mode")
        if self.mode not in ("max", "avg"):
            raise ValueError(f"Pool mode must be 'max' or 'avg', got {self.mode!r}")

    def output_shape(self, shape):
        c, h, w = _image(self, shape)
        k, s, p, _ = self.rf()[0]
        return (c, output_size(h, k, s, p, 1, self.ceil_mode), output_size(w, k, s, p, 1, self.ceil_mode))

    def params(self):
        return 0

    def rf(self):
        stride = self.kernel_size if self.stride is None else self.stride
        return [(self.kernel_size, stride, self.padding, 1)]

    def depth(self):
        return 0

    def __str__(self):
        stride = self.rf()[0][1]
        options = f"kernel_size={self.kernel_size}, stride={stride}"
        options += f", padding={self.padding}" if self.padding else ""
        options += ", ceil_mode=True" if self.ceil_mode else ""
        return f"{self.mode.capitalize()}Pool2d({options})"


@dataclass(frozen=True)
class AdaptiveAvgPool:
    """``nn.AdaptiveAvgPool2d(output_size)``: average into a fixed ``(h, w)`` grid, whatever the input.

    ``AdaptiveAvgPool(1)`` is global average pooling. No parameters.

    Examples
    --------
    >>> AdaptiveAvgPool((6, 6)).output_shape((256, 6, 6))
    (256, 6, 6)
    >>> AdaptiveAvgPool(1).output_shape((2048, 7, 7))
    (2048, 1, 1)
    """

    output_size: int | tuple = 1

    def __post_init__(self):
        as_ints(self.output_size, "AdaptiveAvgPool output_size", 2, minimum=1)

    def output_shape(self, shape):
        c, _, _ = _image(self, shape)
        return (c, *as_ints(self.output_size, "output_size", 2, minimum=1))

    def params(self):
        return 0

    def rf(self):
        return []  # it mixes windows that depend on the input size; see rf_layers

    def depth(self):
        return 0

    def __str__(self):
        size = self.output_size
        return f"AdaptiveAvgPool2d({size if is_int(size) else tuple(size)})"


@dataclass(frozen=True)
class BatchNorm:
    """``nn.BatchNorm2d(channels)``: a scale γ and a shift β per channel, ``2·C`` parameters.

    Its running mean and variance are buffers, not parameters, and are not counted.

    Examples
    --------
    >>> BatchNorm(64).params()
    128
    """

    channels: int

    def __post_init__(self):
        as_int(self.channels, "BatchNorm channels", minimum=1)

    def output_shape(self, shape):
        return tuple(_image(self, shape, self.channels))

    def params(self):
        return 2 * self.channels

    def rf(self):
        return []

    def depth(self):
        return 0  # has weights, but is not counted in the usual layer counts

    def __str__(self):
        return f"BatchNorm2d({self.channels})"


@dataclass(frozen=True)
class Linear:
    """``nn.Linear(in_features, out_features, bias)``: ``out·(in + bias)`` parameters.

    Examples
    --------
    >>> Linear(4096, 10).output_shape((4096,)), Linear(4096, 10).params()
    ((10,), 40970)
    """

    in_features: int
    out_features: int
    bias: bool = True

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

    def rf(self):
        return []

    def depth(self):
        return 1

    def __str__(self):
        bias = "" if self.bias else ", bias=False"
        return f"Linear({self.in_features}, {self.out_features}{bias})"


@dataclass(frozen=True)
class ReLU:
    """``nn.ReLU()``: max(0, x), element by element; keeps the shape."""

    def output_shape(self, shape):
        return tuple(shape)

    def params(self):
        return 0

    def rf(self):
        return []

    def depth(self):
        return 0

    def __str__(self):
        return "ReLU()"


@dataclass(frozen=True)
class Dropout:
    """``nn.Dropout(p)``: zeroes a fraction ``p`` of the numbers while training; keeps the shape."""

    p: float = 0.5

    def output_shape(self, shape):
        return tuple(shape)

    def params(self):
        return 0

    def rf(self):
        return []

    def depth(self):
        return 0

    def __str__(self):
        return f"Dropout(p={self.p})"


@dataclass(frozen=True)
class Flatten:
    """``nn.Flatten()``: ``(C, H, W)`` to ``(C·H·W,)``."""

    def output_shape(self, shape):
        return (math.prod(shape),)

    def params(self):
        return 0

    def rf(self):
        return []

    def depth(self):
        return 0

    def __str__(self):
        return "Flatten()"


# Blocks: several paths from one input -----------------------------------------------------


def _run(layers, shape):
    """Output shape after ``layers`` in sequence."""
    for layer in layers:
        shape = layer.output_shape(shape)
    return tuple(shape)


def _conv_bn_relu(in_channels, out_channels, kernel_size, stride=1, padding=0):
    """torchvision's ``BasicConv2d`` and ResNet's conv-BN pairs: a conv without bias, BN, ReLU."""
    return [Conv(in_channels, out_channels, kernel_size, stride, padding, bias=False),
            BatchNorm(out_channels), ReLU()]


class _Block:
    """A layer made of named paths (``paths()``) that all start from the same input.

    Subclasses say how the paths' outputs are joined (``output_shape``) and
    which path is the main one (``main``), the one `rf_layers` follows.
    """

    main = ""

    def params(self):
        return sum(layer.params() for path in self.paths().values() for layer in path)

    def rf(self):
        return [step for layer in self.paths()[self.main] for step in layer.rf()]

    def depth(self):
        return max(sum(layer.depth() for layer in path) for path in self.paths().values())


@dataclass(frozen=True)
class Inception(_Block):
    """A GoogLeNet inception module, as torchvision builds it: four paths, outputs stacked.

    ``branch1`` is a 1×1 conv; ``branch2`` a 1×1 "reduce" conv then a 3×3;
    ``branch3`` a 1×1 reduce then a 3×3 (the paper's 5×5: torchvision kept
    a 3×3 here, the ported weights have that shape); ``branch4`` a 3×3 max
    pool (stride 1) then a 1×1 "pool projection". Every conv is torchvision's
    ``BasicConv2d``: no bias, then BatchNorm and ReLU. The paths keep H×W and
    their channels are concatenated: ``ch1x1 + ch3x3 + ch5x5 + pool_proj``.

    Examples
    --------
    >>> block = Inception(192, 64, 96, 128, 16, 32, 32)  # inception (3a)
    >>> block.output_shape((192, 28, 28)), block.params()
    ((256, 28, 28), 155872)
    """

    in_channels: int
    ch1x1: int
    ch3x3red: int
    ch3x3: int
    ch5x5red: int
    ch5x5: int
    pool_proj: int

    main = "branch2"

    def paths(self):
        c = self.in_channels
        return {
            "branch1": _conv_bn_relu(c, self.ch1x1, 1),
            "branch2": _conv_bn_relu(c, self.ch3x3red, 1) + _conv_bn_relu(self.ch3x3red, self.ch3x3, 3, padding=1),
            "branch3": _conv_bn_relu(c, self.ch5x5red, 1) + _conv_bn_relu(self.ch5x5red, self.ch5x5, 3, padding=1),
            "branch4": [Pool(3, stride=1, padding=1, ceil_mode=True)] + _conv_bn_relu(c, self.pool_proj, 1),
        }

    def output_shape(self, shape):
        _image(self, shape, self.in_channels)
        outs = [_run(path, shape) for path in self.paths().values()]
        return (sum(out[0] for out in outs), *outs[0][1:])

    def __str__(self):
        return (f"Inception({self.in_channels}→{self.ch1x1}+{self.ch3x3}+{self.ch5x5}+{self.pool_proj}"
                f"={self.ch1x1 + self.ch3x3 + self.ch5x5 + self.pool_proj})")


@dataclass(frozen=True)
class InceptionAux(_Block):
    """GoogLeNet's auxiliary classifier: a side exit used only in training.

    From the main path's ``(C, 14, 14)`` it averages to 4×4, a 1×1 conv to 128
    channels (BasicConv2d), flattens to 2048, ``Linear(2048, 1024)``, ReLU,
    dropout 0.7, ``Linear(1024, num_classes)``. The main path goes on
    unchanged, so ``output_shape`` is the input shape; ``side_shape`` is
    the side exit's ``(num_classes,)``.

    Examples
    --------
    >>> InceptionAux(512).params()
    3188968
    """

    in_channels: int
    num_classes: int = 1000

    main = "main"

    def paths(self):
        return {
            "main": [],
            "aux": [AdaptiveAvgPool((4, 4)), *_conv_bn_relu(self.in_channels, 128, 1), Flatten(),
                    Linear(2048, 1024), ReLU(), Dropout(0.7), Linear(1024, self.num_classes)],
        }

    def output_shape(self, shape):
        self.side_shape(shape)
        return tuple(shape)

    def side_shape(self, shape):
        """Shape of the side exit's output (the auxiliary class scores)."""
        _image(self, shape, self.in_channels)
        return _run(self.paths()["aux"], shape)

    def depth(self):
        return 0  # a side exit: not on the path from input to output

    def __str__(self):
        return f"InceptionAux({self.in_channels}, {self.num_classes})"


@dataclass(frozen=True)
class BasicBlock(_Block):
    """ResNet-18/34's residual block: ``y = ReLU(F(x) + shortcut(x))``.

    ``F`` is 3×3 conv (stride ``stride``), BN, ReLU, 3×3 conv, BN. The
    shortcut is the identity, unless the block changes the shape (stride ≠ 1 or
    ``in_channels ≠ planes``): then a 1×1 conv with that stride and a BN
    ("downsample"). Output channels: ``planes·expansion``, ``expansion = 1``.

    Examples
    --------
    >>> BasicBlock(64, 128, stride=2).output_shape((64, 56, 56))
    (128, 28, 28)
    """

    in_channels: int
    planes: int
    stride: int = 1

    expansion = 1
    main = "residual"

    def paths(self):
        out = self.planes * self.expansion
        return {"residual": self._residual(), "shortcut": self._shortcut(out)}

    def _residual(self):
        p = self.planes
        return (_conv_bn_relu(self.in_channels, p, 3, self.stride, 1)
                + [Conv(p, p, 3, 1, 1, bias=False), BatchNorm(p)])

    def _shortcut(self, out):
        if self.stride == 1 and self.in_channels == out:
            return []
        return [Conv(self.in_channels, out, 1, self.stride, bias=False), BatchNorm(out)]

    def output_shape(self, shape):
        _image(self, shape, self.in_channels)
        paths = self.paths()
        residual, shortcut = _run(paths["residual"], shape), _run(paths["shortcut"], shape)
        if residual != shortcut:  # cannot happen with the paths above; a check for subclasses
            raise ValueError(f"{self}: F(x) has shape {residual} but the shortcut gives {shortcut}")
        return residual

    def __str__(self):
        stride = f", stride={self.stride}" if self.stride != 1 else ""
        return f"{type(self).__name__}({self.in_channels}, {self.planes}{stride})"


@dataclass(frozen=True)
class Bottleneck(BasicBlock):
    """ResNet-50's residual block: 1×1 conv to ``planes``, 3×3, 1×1 back up to ``4·planes``.

    torchvision's version ("ResNet v1.5") puts the stride on the 3×3 conv.
    Each conv is followed by BN (and ReLU, except the last, which comes after
    the addition). The shortcut is the identity, or a 1×1 conv and BN when the
    shape changes.

    Examples
    --------
    >>> block = Bottleneck(64, 64)  # the first block of ResNet-50
    >>> block.output_shape((64, 56, 56)), block.params()
    ((256, 56, 56), 75008)
    """

    expansion = 4

    def _residual(self):
        p, out = self.planes, self.planes * self.expansion
        return (_conv_bn_relu(self.in_channels, p, 1) + _conv_bn_relu(p, p, 3, self.stride, 1)
                + [Conv(p, out, 1, bias=False), BatchNorm(out)])


# Networks ----------------------------------------------------------------------------------


class Network(list):
    """A list of layer specs that also knows its name and input shape.

    ``names`` gives each layer's name in the tables; left out (or ``None`` for
    one layer) it is the layer's kind and a running count: ``conv1``,
    ``relu1``, ``pool1``, ``conv2``…

    Examples
    --------
    >>> net = Network([Conv(1, 6, 5), ReLU()], input_shape=(1, 32, 32), name="tiny")
    >>> len(net), net.input_shape, net.names
    (2, (1, 32, 32), ['conv1', 'relu1'])
    """

    def __init__(self, layers, input_shape, name="", names=None):
        super().__init__(layers)
        self.input_shape = tuple(input_shape)
        self.name = name
        self.names = _auto_names(self, names)


_KIND = {Conv: "conv", Pool: "pool", AdaptiveAvgPool: "avgpool", BatchNorm: "bn", Linear: "fc",
         ReLU: "relu", Dropout: "dropout", Flatten: "flatten", Inception: "inception",
         InceptionAux: "aux", BasicBlock: "block", Bottleneck: "block"}


def _auto_names(layers, names=None):
    """Fill in missing names as kind + running count (conv1, relu1, pool1, conv2, ...)."""
    names = list(names) if names is not None else [None] * len(layers)
    if len(names) != len(layers):
        raise ValueError(f"got {len(names)} names for {len(layers)} layers")
    counts, out = {}, []
    for layer, name in zip(layers, names):
        kind = _KIND.get(type(layer), type(layer).__name__.lower())
        counts[kind] = counts.get(kind, 0) + 1
        out.append(name or f"{kind}{counts[kind]}")
    return out


def seed_net():
    """The lesson's small network for 3×32×32 images and 10 classes.

    ``Conv2d(3, 32, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(32, 64, 3,
    padding=1), ReLU, MaxPool2d(2), Flatten, Linear(4096, 10)``: 60,362
    parameters.

    Returns
    -------
    Network
        8 layer specs, ``input_shape=(3, 32, 32)``.
    """
    layers = [Conv(3, 32, 3, padding=1), ReLU(), Pool(2), Conv(32, 64, 3, padding=1), ReLU(), Pool(2),
              Flatten(), Linear(8 * 8 * 64, 10)]
    return Network(layers, (3, 32, 32), "seed_net")


def lenet5():
    """LeNet-5 as PyTorch code usually writes it: 61,706 parameters on 1×32×32 digits.

    ``conv 1→6 5×5, pool, conv 6→16 5×5, pool, fc 400→120→84→10``, with ReLU
    and 2×2 max pooling (PyTorch's "Neural Networks" tutorial). LeCun et al.
    (1998) give "about 60,000" for their LeNet-5, which differs: squashing
    (tanh-like) units, subsampling layers with a trainable weight and bias per
    map (12 + 32 parameters), a C3 layer whose 16 maps each see only some of
    the 6 maps below (1,516 parameters instead of 2,416) and an RBF output
    layer.

    Returns
    -------
    Network
        12 layer specs, ``input_shape=(1, 32, 32)``.
    """
    layers = [Conv(1, 6, 5), ReLU(), Pool(2), Conv(6, 16, 5), ReLU(), Pool(2), Flatten(),
              Linear(16 * 5 * 5, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)]
    return Network(layers, (1, 32, 32), "lenet5")


def alexnet(num_classes=1000):
    """AlexNet as ``torchvision.models.alexnet`` builds it: 61,100,840 parameters.

    torchvision follows Krizhevsky's later one-GPU variant ("One weird
    trick", 2014): 64-192-384-256-256 filters, no local response
    normalisation, then ``AdaptiveAvgPool2d((6, 6))`` and a 9216-4096-4096-1000
    classifier with dropout.

    Returns
    -------
    Network
        ``input_shape=(3, 224, 224)``.
    """
    features = [Conv(3, 64, 11, stride=4, padding=2), ReLU(), Pool(3, stride=2),
                Conv(64, 192, 5, padding=2), ReLU(), Pool(3, stride=2),
                Conv(192, 384, 3, padding=1), ReLU(),
                Conv(384, 256, 3, padding=1), ReLU(),
                Conv(256, 256, 3, padding=1), ReLU(), Pool(3, stride=2)]
    classifier = [Dropout(0.5), Linear(256 * 6 * 6, 4096), ReLU(),
                  Dropout(0.5), Linear(4096, 4096), ReLU(), Linear(4096, num_classes)]
    return Network(features + [AdaptiveAvgPool((6, 6)), Flatten()] + classifier, (3, 224, 224), "alexnet")


VGG16_CONFIG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
"""VGG configuration "D" (Simonyan & Zisserman, Table 1): conv widths, "M" for a 2×2 max pool."""


def vgg16(num_classes=1000):
    """VGG-16 as ``torchvision.models.vgg16`` builds it (no batch norm): 138,357,544 parameters.

    Thirteen 3×3 convolutions (padding 1, so each keeps H×W) in five stages,
    each stage ending in a 2×2 max pool, then ``AdaptiveAvgPool2d((7, 7))`` and
    a 25088-4096-4096-1000 classifier with dropout.

    Returns
    -------
    Network
        ``input_shape=(3, 224, 224)``; layers named ``conv1_1`` … ``conv5_3``,
        ``pool1`` … ``pool5``, ``fc6`` … ``fc8`` as in the paper.
    """
    layers, names, channels, stage, index = [], [], 3, 1, 1
    for width in VGG16_CONFIG:
        if width == "M":
            layers.append(Pool(2, stride=2))
            names.append(f"pool{stage}")
            stage, index = stage + 1, 1
            continue
        layers += [Conv(channels, width, 3, padding=1), ReLU()]
        names += [f"conv{stage}_{index}", f"relu{stage}_{index}"]
        channels, index = width, index + 1
    layers += [AdaptiveAvgPool((7, 7)), Flatten(),
               Linear(512 * 7 * 7, 4096), ReLU(), Dropout(0.5),
               Linear(4096, 4096), ReLU(), Dropout(0.5), Linear(4096, num_classes)]
    names += ["avgpool", "flatten", "fc6", "relu6", "dropout6", "fc7", "relu7", "dropout7", "fc8"]
    return Network(layers, (3, 224, 224), "vgg16", names)


def googlenet(num_classes=1000, aux_logits=False):
    """GoogLeNet (Inception v1) as ``torchvision.models.googlenet`` builds it.

    With ``aux_logits=False`` (the default here) this is the model that
    ``googlenet(weights="IMAGENET1K_V1")`` returns, whose 6,624,904
    parameters are torchvision's published ``num_params``: torchvision builds
    the two auxiliary classifiers to load the checkpoint, then drops them.
    ``aux_logits=True`` keeps them (13,004,888 parameters); that is also what
    ``torchvision.models.googlenet()`` without weights builds, its default.

    Every conv is conv (no bias) + BatchNorm + ReLU; max pools round up
    (``ceil_mode=True``); see `Inception` for torchvision's 3×3 in place of
    the paper's 5×5. The paper's own network (5×5 convolutions with biases,
    no BatchNorm, no auxiliary heads) would have 6,998,552 parameters; the
    params column of its Table 1 adds up to about 6.8 million.

    Returns
    -------
    Network
        ``input_shape=(3, 224, 224)``, layers named as torchvision's modules
        (``conv1``, ``maxpool1``, ``inception3a`` …).
    """
    named = [
        ("conv1", Conv(3, 64, 7, stride=2, padding=3, bias=False)), ("bn1", BatchNorm(64)), ("relu1", ReLU()),
        ("maxpool1", Pool(3, stride=2, ceil_mode=True)),
        ("conv2", Conv(64, 64, 1, bias=False)), ("bn2", BatchNorm(64)), ("relu2", ReLU()),
        ("conv3", Conv(64, 192, 3, padding=1, bias=False)), ("bn3", BatchNorm(192)), ("relu3", ReLU()),
        ("maxpool2", Pool(3, stride=2, ceil_mode=True)),
        ("inception3a", Inception(192, 64, 96, 128, 16, 32, 32)),
        ("inception3b", Inception(256, 128, 128, 192, 32, 96, 64)),
        ("maxpool3", Pool(3, stride=2, ceil_mode=True)),
        ("inception4a", Inception(480, 192, 96, 208, 16, 48, 64)),
        ("aux1", InceptionAux(512, num_classes)),
        ("inception4b", Inception(512, 160, 112, 224, 24, 64, 64)),
        ("inception4c", Inception(512, 128, 128, 256, 24, 64, 64)),
        ("inception4d", Inception(512, 112, 144, 288, 32, 64, 64)),
        ("aux2", InceptionAux(528, num_classes)),
        ("inception4e", Inception(528, 256, 160, 320, 32, 128, 128)),
        ("maxpool4", Pool(2, stride=2, ceil_mode=True)),
        ("inception5a", Inception(832, 256, 160, 320, 32, 128, 128)),
        ("inception5b", Inception(832, 384, 192, 384, 48, 128, 128)),
        ("avgpool", AdaptiveAvgPool(1)), ("flatten", Flatten()), ("dropout", Dropout(0.2)),
        ("fc", Linear(1024, num_classes)),
    ]
    if not as_bool(aux_logits, "aux_logits"):
        named = [(name, layer) for name, layer in named if not isinstance(layer, InceptionAux)]
    names, layers = zip(*named)
    return Network(layers, (3, 224, 224), "googlenet", names)


def _resnet(name, block, blocks_per_stage, num_classes):
    """torchvision's ResNet: a 7×7 stem, four stages of residual blocks, global average pool, fc."""
    named = [("conv1", Conv(3, 64, 7, stride=2, padding=3, bias=False)), ("bn1", BatchNorm(64)),
             ("relu", ReLU()), ("maxpool", Pool(3, stride=2, padding=1))]
    channels = 64
    for stage, (planes, count) in enumerate(zip((64, 128, 256, 512), blocks_per_stage), start=1):
        for index in range(count):
            stride = 2 if stage > 1 and index == 0 else 1  # each stage after the first halves H×W
            named.append((f"layer{stage}.{index}", block(channels, planes, stride)))
            channels = planes * block.expansion
    named += [("avgpool", AdaptiveAvgPool(1)), ("flatten", Flatten()), ("fc", Linear(channels, num_classes))]
    names, layers = zip(*named)
    return Network(layers, (3, 224, 224), name, names)


def resnet18(num_classes=1000):
    """ResNet-18 as ``torchvision.models.resnet18`` builds it: 11,689,512 parameters.

    Four stages of two `BasicBlock` each (64, 128, 256, 512 channels).
    """
    return _resnet("resnet18", BasicBlock, (2, 2, 2, 2), num_classes)


def resnet50(num_classes=1000):
    """ResNet-50 as ``torchvision.models.resnet50`` builds it: 25,557,032 parameters.

    Stages of 3, 4, 6 and 3 `Bottleneck` blocks; outputs of 256, 512, 1024 and
    2048 channels.
    """
    return _resnet("resnet50", Bottleneck, (3, 4, 6, 3), num_classes)


_NETWORKS = {"seed_net": seed_net, "lenet5": lenet5, "alexnet": alexnet, "vgg16": vgg16,
             "googlenet": googlenet, "resnet18": resnet18, "resnet50": resnet50}


def names():
    """Names of the networks that `get` knows, oldest design first after the lesson's own.

    >>> names()
    ['seed_net', 'lenet5', 'alexnet', 'vgg16', 'googlenet', 'resnet18', 'resnet50']
    """
    return list(_NETWORKS)


def _key(name):
    return name.lower().replace("-", "").replace("_", "").replace(" ", "")


def get(name):
    """The `Network` called ``name``; case, ``-`` and ``_`` do not matter (``'ResNet-50'``).

    Examples
    --------
    >>> get("VGG-16").input_shape
    (3, 224, 224)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    keys = {_key(key): key for key in _NETWORKS}
    if _key(name) not in keys:
        close = difflib.get_close_matches(_key(name), keys, n=1)
        hint = f"did you mean {keys[close[0]]!r}? " if close else ""
        raise ValueError(f"unknown network {name!r}; {hint}choose one of: {', '.join(_NETWORKS)}")
    return _NETWORKS[keys[_key(name)]]()


def _network(name_or_layers, input_shape=None):
    """A `Network` from a name, a Network, a list of specs or one block; ``input_shape`` overrides."""
    if isinstance(name_or_layers, str):
        net = get(name_or_layers)
    elif isinstance(name_or_layers, Network):
        net = name_or_layers
    else:
        layers = [name_or_layers] if isinstance(name_or_layers, _Block) else list(name_or_layers)
        if input_shape is None:
            raise ValueError("a list of layers (or a block) needs an input_shape, e.g. (3, 32, 32)")
        net = Network(layers, input_shape)
    if input_shape is not None and tuple(input_shape) != net.input_shape:
        net = Network(net, input_shape, net.name, net.names)
    return net


# Summary -----------------------------------------------------------------------------------


class SummaryRow(NamedTuple):
    """One line of a `Summary`: the layer's name, its spec, its output shape and parameter count."""

    name: str
    layer: str
    output_shape: tuple
    params: int


class Summary:
    """Output shape and parameter count of each layer, as `summary` returns them.

    Attributes
    ----------
    name : str
    input_shape : tuple of int
    rows : list of SummaryRow
        One per layer of the network, in order (more with ``expand=True``).
    total : int
        Parameters of the whole network.

    Prints as a table (``str``, ``repr``); `to_markdown` gives a Markdown table.
    """

    def __init__(self, name, input_shape, rows, total):
        self.name, self.input_shape, self.rows, self.total = name, tuple(input_shape), rows, total

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    @property
    def output_shape(self):
        """Shape of the network's output."""
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def _cells(self):
        return [(row.name, row.layer, format_shape(row.output_shape), f"{row.params:,}") for row in self.rows]

    def __str__(self):
        header = ("Layer", "Layer spec", "Output shape", "Params")
        cells = [header, *self._cells()]
        widths = [max(len(line[i]) for line in cells) for i in range(4)]
        widths[3] = max(widths[3], len(f"{self.total:,}"))

        def line(cols):
            a, b, c, d = cols
            return f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d:>{widths[3]}}"

        rule = "=" * (sum(widths) + 6)
        total = f"{self.total:,}"
        title = f"{self.name}, input {format_shape(self.input_shape)}".lstrip(", ")
        return "\n".join([title, line(header), rule, *map(line, cells[1:]), rule,
                          f"{'Total params':<{len(rule) - len(total)}}{total}"])

    __repr__ = __str__

    def to_markdown(self):
        """The table in Markdown, with the total as its last row.

        Examples
        --------
        >>> print(summary("lenet5").to_markdown().splitlines()[2])
        | conv1 | `Conv2d(1, 6, kernel_size=5)` | 6×28×28 | 156 |
        """
        lines = ["| Layer | Layer spec | Output shape | Params |", "|---|---|---:|---:|"]
        lines += [f"| {name} | `{layer}` | {shape} | {params} |" for name, layer, shape, params in self._cells()]
        lines.append(f"| **Total** | | | **{self.total:,}** |")
        return "\n".join(lines)


def summary(name_or_layers, input_shape=None, expand=False):
    """Each layer's output shape and parameter count, from the shape formulas alone.

    No weights are made: a layer's output shape comes from
    `convlesson.output_size` and its parameters from
    `convlesson.conv2d_params` and `convlesson.linear_params`, so this is as
    quick for VGG-16 as for LeNet.

    Parameters
    ----------
    name_or_layers : str, Network or list of layer specs
        A name from `names` (``'vgg16'``), or layers such as
        ``[Conv(3, 8, 3), ReLU()]``.
    input_shape : tuple of int, optional
        ``(C, H, W)``; required for a plain list, otherwise the network's own.
    expand : bool, default False
        Also list the layers inside each block (inception modules, residual
        blocks), indented under it; their parameters are part of the block's.

    Returns
    -------
    Summary
        ``.rows`` (name, layer, output_shape, params) and ``.total``.

    Raises
    ------
    ValueError
        If a layer does not fit the shape it receives, naming both.

    Examples
    --------
    >>> s = summary("alexnet")
    >>> first = s.rows[0]
    >>> first.name, first.output_shape, first.params
    ('conv1', (64, 55, 55), 23296)
    >>> first.layer
    'Conv2d(3, 64, kernel_size=11, stride=4, padding=2)'
    >>> s.output_shape, s.total
    ((1000,), 61100840)
    """
    net = _network(name_or_layers, input_shape)
    expand = as_bool(expand, "expand")
    shape, rows = net.input_shape, []
    for name, layer in zip(net.names, net):
        try:
            out = layer.output_shape(shape)
        except ValueError as error:
            raise ValueError(f"layer {name!r}: {error}") from None
        rows.append(SummaryRow(name, str(layer), out, layer.params()))
        if expand and isinstance(layer, _Block):
            rows += _expand(layer, shape, "  " + name)
        shape = out
    return Summary(net.name, net.input_shape, rows, sum(layer.params() for layer in net))


def _expand(block, shape, prefix):
    """Rows for the layers inside a block, named ``prefix.path.index``."""
    rows = []
    for path_name, path in block.paths().items():
        s = shape
        for index, layer in enumerate(path):
            s = layer.output_shape(s)
            rows.append(SummaryRow(f"{prefix}.{path_name}.{index}", str(layer), s, layer.params()))
    return rows


def count_params(name_or_layers):
    """Number of learnable parameters: the sum of every layer's ``params()``.

    Examples
    --------
    >>> count_params("lenet5"), count_params("resnet50")
    (61706, 25557032)
    """
    if isinstance(name_or_layers, str):
        name_or_layers = get(name_or_layers)
    elif isinstance(name_or_layers, _Block):
        name_or_layers = [name_or_layers]
    return sum(layer.params() for layer in name_or_layers)


def depth(name_or_layers):
    """Layers with weights (conv and fully connected) on the longest path from input to output.

    How papers count depth: BatchNorm, pooling, shortcuts and side exits
    (GoogLeNet's auxiliary classifiers) are not counted, and an inception
    module counts as 2 (its 1×1 then 3×3 paths). This gives the numbers in the
    names: 16 for VGG-16, 18 and 50 for the ResNets, 22 for GoogLeNet.

    Examples
    --------
    >>> depth("alexnet"), depth("googlenet"), depth("resnet50")
    (8, 22, 50)
    """
    if isinstance(name_or_layers, str):
        name_or_layers = get(name_or_layers)
    return sum(layer.depth() for layer in name_or_layers)


# Receptive fields --------------------------------------------------------------------------


def _rf_steps(net):
    """``(name, (kernel, stride, padding, dilation))`` for each conv and pool on the main path."""
    steps = []
    for name, layer in zip(net.names, net):
        if isinstance(layer, _Block):
            inner = [sub for sub in layer.paths()[layer.main] if sub.rf()]
            steps += [(f"{name}.{layer.main}.{index}", sub.rf()[0]) for index, sub in enumerate(inner)]
        else:
            steps += [(name, step) for step in layer.rf()]
    return steps


def rf_layers(name_or_layers):
    """The (kernel, stride, padding, dilation) of each conv and pool along the main path.

    Ready for `convlesson.receptive_field`. The main path skips shortcuts
    and side exits; in an inception module it is the 1×1-then-3×3 branch,
    which sees as far as any branch. Element-wise layers (ReLU, BatchNorm)
    are left out, and so are the adaptive average pool and the fully
    connected layers at the end, whose outputs mix the whole feature map:
    their receptive field is the whole image.

    Returns
    -------
    list of tuple of 4 ints

    Examples
    --------
    >>> import convlesson as cl
    >>> cl.receptive_field(rf_layers("vgg16"))[-1]
    ReceptiveField(layer=18, rf=212, jump=32, padding=90)
    >>> rf_layers("lenet5")
    [(5, 1, 0, 1), (2, 2, 0, 1), (5, 1, 0, 1), (2, 2, 0, 1)]
    """
    return [step for _, step in _rf_steps(_network(name_or_layers, _shape_of(name_or_layers)))]


def _shape_of(name_or_layers):
    """A placeholder input shape for plain layer lists (receptive fields do not depend on it)."""
    if isinstance(name_or_layers, (str, Network)):
        return None
    return (1, 1, 1)


def receptive_fields(name_or_layers):
    """Receptive field after each conv and pool of the main path, with the layers' names.

    Returns
    -------
    list of (str, ReceptiveField)

    Examples
    --------
    >>> for name, field in receptive_fields("seed_net"):
    ...     print(f"{name:6} rf={field.rf:2} jump={field.jump}")
    conv1  rf= 3 jump=1
    pool1  rf= 4 jump=2
    conv2  rf= 8 jump=2
    pool2  rf=10 jump=4
    """
    steps = _rf_steps(_network(name_or_layers, _shape_of(name_or_layers)))
    return list(zip([name for name, _ in steps], receptive_field([step for _, step in steps])))


# History -----------------------------------------------------------------------------------


class Milestone(NamedTuple):
    """One row of the history table.

    Attributes
    ----------
    network : str
        Name as usually written (``'VGG-16'``).
    key : str
        Name for `get` (``'vgg16'``).
    year : int
        Year of the paper.
    depth : int
        Layers with weights, as usually quoted (see `depth`).
    params : int
        Parameters counted here (`count_params`).
    published : int
        Parameter count as the source gives it, rounded as there.
    idea : str
        What it brought, in a few words.
    source : str
        Where ``published`` (and ``depth``) come from.
    """

    network: str
    key: str
    year: int
    depth: int
    params: int
    published: int
    idea: str
    source: str


# Depths and published parameter counts as the papers (or the usual citations) give them.
_MILESTONES = [
    ("LeNet-5", "lenet5", 1998, 5, 60_000, "convolutions and subsampling learned end to end",
     "LeCun, Bottou, Bengio & Haffner 1998, Proc. IEEE: 'about 60,000 free parameters'; "
     "depth 5 = 2 conv + 3 fully connected"),
    ("AlexNet", "alexnet", 2012, 8, 60_000_000, "a large convnet trained on GPUs, with ReLU and dropout",
     "Krizhevsky, Sutskever & Hinton 2012, abstract: '60 million parameters'; 5 conv + 3 fully connected"),
    ("VGG-16", "vgg16", 2014, 16, 138_000_000, "only 3×3 convolutions, stacked 16 deep",
     "Simonyan & Zisserman 2015, Table 2, configuration D: 138 million; 13 conv + 3 fully connected"),
    ("GoogLeNet", "googlenet", 2014, 22, 6_800_000, "inception modules: parallel branches, 1×1 reductions",
     "Szegedy et al. 2015, Table 1 (its params column adds up to 6.8 million); "
     "'22 layers deep when counting only layers with parameters'"),
    ("ResNet-50", "resnet50", 2015, 50, 25_500_000, "shortcut connections: each block learns F(x) in F(x) + x",
     "He et al. 2016 (depth in the name); the paper gives FLOPs only, 25.5 million is "
     "Xie et al. 2017 (ResNeXt), Table 1"),
]


class History(list):
    """The list of `Milestone` rows that `history` returns; prints as a table, `to_markdown` too."""

    def _cells(self):
        return [(m.network, str(m.year), str(m.depth), _human(m.params), _human(m.published), m.idea)
                for m in self]

    _HEADER = ("Network", "Year", "Layers", "Parameters (counted)", "Published", "Key idea")

    def __str__(self):
        cells = [self._HEADER, *self._cells()]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self._HEADER))]
        right = {1, 2, 3, 4}
        return "\n".join("  ".join(c.rjust(w) if i in right else c.ljust(w)
                                   for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                         for row in cells)

    def to_markdown(self):
        """The table in Markdown: network, year, layers, counted and published parameters, key idea."""
        lines = ["| " + " | ".join(self._HEADER) + " |", "|---|---:|---:|---:|---:|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in self._cells()]
        return "\n".join(lines)


def _human(n):
    """A parameter count rounded for a table: 61.7 K, 61.1 M, 138.4 M."""
    for size, unit in ((1_000_000, "M"), (1_000, "K")):
        if n >= size:
            value = f"{n / size:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return str(n)


def history():
    """The lesson's history table: year, depth, parameters counted here and as published, key idea.

    Returns
    -------
    History
        A list of `Milestone`, LeNet-5 to ResNet-50; ``print`` it, or
        ``.to_markdown()``.

    Examples
    --------
    >>> print(history())  # doctest: +NORMALIZE_WHITESPACE
    Network    Year  Layers  Parameters (counted)  Published  Key idea
    LeNet-5    1998       5                61.7 K       60 K  convolutions and subsampling learned end to end
    AlexNet    2012       8                61.1 M       60 M  a large convnet trained on GPUs, with ReLU and dropout
    VGG-16     2014      16               138.4 M      138 M  only 3×3 convolutions, stacked 16 deep
    GoogLeNet  2014      22                 6.6 M      6.8 M  inception modules: parallel branches, 1×1 reductions
    ResNet-50  2015      50                25.6 M     25.5 M  shortcut connections: each block learns F(x) in F(x) + x
    """
    return History(Milestone(network, key, year, layers, count_params(key), published, idea, source)
                   for network, key, year, layers, published, idea, source in _MILESTONES)
