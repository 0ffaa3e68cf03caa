"""Layers made of layers: Sequential, and Residual for skip connections."""

from __future__ import annotations

import numpy as np

from .module import Module


class Sequential(Module):
    """Layers applied one after another (``torch.nn.Sequential``), named ``0``, ``1``, ….

    Examples
    --------
    >>> from convlesson.nn import Flatten, Linear
    >>> model = Sequential(Flatten(), Linear(4, 2))
    >>> list(model.state_dict())
    ['1.weight', '1.bias']
    >>> model(np.ones((3, 2, 2))).shape
    (3, 2)
    """

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules, got {layer!r} at position {i}")
        self.layers = list(layers)

    def named_children(self):
        """The layers, named by their positions, as PyTorch names them."""
        return [(str(i), layer) for i, layer in enumerate(self.layers)]

    def __getitem__(self, index):
        return Sequential(*self.layers[index]) if isinstance(index, slice) else self.layers[index]

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def forward(self, x):
        """Each layer's output is the next one's input."""
        for layer in self.layers:
            x = layer(x)
        return x

    def backward(self, dout):
        """The chain rule through the stack, last layer first.

        Each layer turns ∂L/∂(its output) into ∂L/∂(its input), which is
        ∂L/∂(output) of the layer before.
        """
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def output_shape(self, input_shape):
        """Each layer's output shape is the next one's input shape."""
        for layer in self.layers:
            input_shape = layer.output_shape(input_shape)
        return tuple(input_shape)

    def named_layers(self, prefix=""):
        """Each layer's own layers, under its dotted name."""
        return [pair for name, layer in self.named_children() for pair in layer.named_layers(_dotted(prefix, name))]


class Residual(Module):
    """``y = F(x) + x``: the input skips past the block F and is added back (ResNet).

    F must keep the shape. PyTorch has no such class; this one matches, in
    output and state_dict names (``fn.0.weight``, …), the module::

        class Residual(torch.nn.Module):
            def __init__(self, fn):
                super().__init__()
                self.fn = fn

            def forward(self, x):
                return self.fn(x) + x

    Parameters
    ----------
    fn : Module
        The block F, e.g. ``Sequential(Conv2d(c, c, 3, padding=1), ReLU())``.
    """

    def __init__(self, fn):
        if not isinstance(fn, Module):
            raise TypeError(f"Residual takes a Module, got {fn!r}")
        self.fn = fn

    def output_shape(self, input_shape):
        """The input shape, which F must keep."""
        self._check(self.fn.output_shape(input_shape), input_shape)
        return tuple(input_shape)

    def _check(self, fn_shape, input_shape):
        """Raise unless F(x) has the shape of x, as the sum F(x) + x needs."""
        if tuple(fn_shape) != tuple(input_shape):
            raise ValueError(
                f"Residual needs F(x) shaped like x to add them, but input of shape "
                f"{tuple(input_shape)} gives F(x) of shape {tuple(fn_shape)}"
            )

    def forward(self, x):
        """y = F(x) + x."""
        out = self.fn(x)
        self._check(out.shape, np.shape(x))
        return out + x

    def backward(self, dout):
        """x reaches y along two paths, through F and straight, so ∂L/∂x = (through F) + dout."""
        return self.fn.backward(dout) + dout

    def named_layers(self, prefix=""):
        """F's layers, under ``prefix.fn``; the sum adds no layer of its own."""
        return self.fn.named_layers(_dotted(prefix, "fn"))


def _dotted(prefix, name):
    """A child's state_dict name, ``prefix.name``, or ``name`` at the top."""
    return f"{prefix}.{name}" if prefix else name
