"""Blocks: layers made of several paths from one input (inception modules, residual blocks).

A block lists its paths with ``paths()``, each a list of specs, and says
how their outputs join (``output_shape``) and which path is the main one
(``main``), the one `rf_layers` follows. Its parameters are those of all
its paths; its depth, that of its deepest path.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layers import AdaptiveAvgPool, BatchNorm, Conv, Dropout, Flatten, Linear, Pool, ReLU, Spec, check_image


def run(layers, shape):
    """Output shape after ``layers`` in sequence."""
    for layer in layers:
        shape = layer.output_shape(shape)
    return tuple(shape)


def conv_bn_relu(in_channels, out_channels, kernel_size, stride=1, padding=0):
    """torchvision's ``BasicConv2d`` and ResNet's conv-BN pairs: a conv without bias, BN, ReLU."""
    return [Conv(in_channels, out_channels, kernel_size, stride, padding, bias=False),
            BatchNorm(out_channels), ReLU()]


class Block(Spec):
    """A layer made of named paths (``paths()``) that all start from the same input."""

    main = ""

    def params(self):
        return sum(layer.params() for path in self.paths().values() for layer in path)

    def rf(self):
        return [step for layer in self.paths()[self.main] for step in layer.rf()]

    def depth(self):
        return max(sum(layer.depth() for layer in path) for path in self.paths().values())


@dataclass(frozen=True)
class Inception(Block):
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

    kind = "inception"
    main = "branch2"

    def paths(self):
        c = self.in_channels
        return {
            "branch1": conv_bn_relu(c, self.ch1x1, 1),
            "branch2": conv_bn_relu(c, self.ch3x3red, 1) + conv_bn_relu(self.ch3x3red, self.ch3x3, 3, padding=1),
            "branch3": conv_bn_relu(c, self.ch5x5red, 1) + conv_bn_relu(self.ch5x5red, self.ch5x5, 3, padding=1),
            "branch4": [Pool(3, stride=1, padding=1, ceil_mode=True)] + conv_bn_relu(c, self.pool_proj, 1),
        }

    def output_shape(self, shape):
        check_image(self, shape, self.in_channels)
        outs = [run(path, shape) for path in self.paths().values()]
        return (sum(out[0] for out in outs), *outs[0][1:])

    def __str__(self):
        return (f"Inception({self.in_channels}→{self.ch1x1}+{self.ch3x3}+{self.ch5x5}+{self.pool_proj}"
                f"={self.ch1x1 + self.ch3x3 + self.ch5x5 + self.pool_proj})")


@dataclass(frozen=True)
class InceptionAux(Block):
    """GoogLeNet's auxiliary classifier: a side exit used only in training.

    From the main path's ``(C, 14, 14)`` it averages to 4×4, a 1×1 conv to 128
    channels (BasicConv2d), flattens to 2048, ``Linear(2048, 1024)``, ReLU,
    dropout 0.7, ``Linear(1024, num_classes)``. The main path goes on
    unchanged, so ``output_shape`` is the input shape; ``side_shape`` is
    the side exit's ``(num_classes,)``. Being off the path from input to
    output, it has depth 0.

    Examples
    --------
    >>> InceptionAux(512).params()
    3188968
    """

    in_channels: int
    num_classes: int = 1000

    kind = "aux"
    main = "main"

    def paths(self):
        return {
            "main": [],
            "aux": [AdaptiveAvgPool((4, 4)), *conv_bn_relu(self.in_channels, 128, 1), Flatten(),
                    Linear(2048, 1024), ReLU(), Dropout(0.7), Linear(1024, self.num_classes)],
        }

    def output_shape(self, shape):
        self.side_shape(shape)
        return tuple(shape)

    def side_shape(self, shape):
        """Shape of the side exit's output (the auxiliary class scores)."""
        check_image(self, shape, self.in_channels)
        return run(self.paths()["aux"], shape)

    def depth(self):
        return 0

    def __str__(self):
        return f"InceptionAux({self.in_channels}, {self.num_classes})"


@dataclass(frozen=True)
class BasicBlock(Block):
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

    kind = "block"
    expansion = 1
    main = "residual"

    def paths(self):
        out = self.planes * self.expansion
        return {"residual": self._residual(), "shortcut": self._shortcut(out)}

    def _residual(self):
        p = self.planes
        return (conv_bn_relu(self.in_channels, p, 3, self.stride, 1)
                + [Conv(p, p, 3, 1, 1, bias=False), BatchNorm(p)])

    def _shortcut(self, out):
        if self.stride == 1 and self.in_channels == out:
            return []
        return [Conv(self.in_channels, out, 1, self.stride, bias=False), BatchNorm(out)]

    def output_shape(self, shape):
        check_image(self, shape, self.in_channels)
        paths = self.paths()
        residual, shortcut = run(paths["residual"], shape), run(paths["shortcut"], shape)
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
        return (conv_bn_relu(self.in_channels, p, 1) + conv_bn_relu(p, p, 3, self.stride, 1)
                + [Conv(p, out, 1, bias=False), BatchNorm(out)])
