"""The Module base class and its parameters: naming, modes, state_dict, summary, random init."""

from __future__ import annotations

import math

import numpy as np

from .._checks import as_bool
from ..summary import Summary, SummaryRow, walk

_generator = np.random.default_rng()


def manual_seed(seed):
    """Reset the generator that layers draw from when given no ``rng``, and return it.

    Like ``torch.manual_seed``: after ``manual_seed(0)``, building the same
    network again gives the same initial weights (and dropout masks).
    """
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def _rng(rng):
    """The layer's own generator if it has one, else the module's (read at call time)."""
    return _generator if rng is None else rng


class Parameter:
    """A learnable array and the gradient of the loss with respect to it.

    Attributes
    ----------
    data : ndarray
    grad : ndarray
        Same shape and dtype as ``data``; zero until a backward pass adds to it.
    """

    def __init__(self, data):
        self.data = np.asarray(data)
        self.grad = np.zeros_like(self.data)

    def __repr__(self):
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


def _uniform(shape, fan_in, dtype, rng):
    """A Parameter drawn from U(−1/√fan_in, 1/√fan_in), PyTorch's default for weights and biases.

    PyTorch draws weights with ``kaiming_uniform_(a=√5)``, whose bound
    gain·√(3/fan_in) with gain = √(2/(1 + a²)) = √(1/3) comes to 1/√fan_in;
    biases get U(−1/√fan_in, 1/√fan_in) directly.
    """
    bound = 1 / math.sqrt(fan_in)
    return Parameter(_rng(rng).uniform(-bound, bound, shape).astype(dtype))


class Module:
    """Base of every layer: finds parameters and sub-modules, switches train/eval mode.

    A subclass sets its Parameters and sub-modules as attributes and writes
    ``forward`` and ``backward``. Names come from the attributes, in the order
    they were set, as in PyTorch: ``weight``, ``bias``, ``0.weight``, ``fn.3.bias``.
    """

    training = True

    def __call__(self, *inputs):
        return self.forward(*inputs)

    def forward(self, x):
        """Compute the output from x, keeping in ``self.cache`` what `backward` needs."""
        raise NotImplementedError(f"{type(self).__name__} has no forward pass")

    def backward(self, dout):
        """From dout = ∂L/∂out, add ∂L/∂(each parameter) to its ``.grad``; return ∂L/∂x."""
        raise NotImplementedError(f"{type(self).__name__} has no backward pass")

    def named_children(self):
        """List of ``(name, module)`` for the direct sub-modules."""
        return [(name, value) for name, value in vars(self).items() if isinstance(value, Module)]

    def named_parameters(self, prefix=""):
        """List of ``(name, Parameter)``, the module's own first, then each child's."""
        own = [(prefix + name, p) for name, p in vars(self).items() if isinstance(p, Parameter)]
        for name, child in self.named_children():
            own += child.named_parameters(f"{prefix}{name}.")
        return own

    def parameters(self):
        """List of all Parameters, in ``named_parameters`` order."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Set every parameter's gradient to zero."""
        for p in self.parameters():
            p.grad = np.zeros_like(p.data)

    def train(self, mode=True):
        """Set training mode (``False``: eval mode) here and in every sub-module; return self."""
        self.training = as_bool(mode, "mode")
        for _, child in self.named_children():
            child.train(mode)
        return self

    def eval(self):
        """Set eval mode (Dropout passes its input through); return self."""
        return self.train(False)

    def to(self, dtype):
        """Convert all parameters and gradients to ``dtype``, e.g. ``np.float64``; return self."""
        for p in self.parameters():
            p.data, p.grad = p.data.astype(dtype), p.grad.astype(dtype)
        return self

    def state_dict(self):
        """Copies of the parameter arrays, keyed by PyTorch's names."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state_dict):
        """Copy arrays into the parameters, cast to each parameter's dtype.

        ``state_dict`` maps every name of ``named_parameters`` (and no other) to
        an array of the parameter's shape: numpy arrays, or anything
        ``np.asarray`` reads, such as a PyTorch ``state_dict()``'s tensors.
        """
        params = dict(self.named_parameters())
        missing, unexpected = params.keys() - state_dict.keys(), state_dict.keys() - params.keys()
        if missing or unexpected:
            raise ValueError(
                f"state_dict keys do not match the model's: missing {sorted(missing)}, "
                f"unexpected {sorted(unexpected)}"
            )
        values = {name: np.asarray(value) for name, value in state_dict.items()}
        wrong = [f"{name}: got {value.shape}, expected {params[name].data.shape}"
                 for name, value in values.items() if value.shape != params[name].data.shape]
        if wrong:
            raise ValueError("state_dict shapes do not match the model's: " + "; ".join(wrong))
        for name, value in values.items():
            params[name].data[...] = value

    def output_shape(self, input_shape):
        """Shape of the output for an input of ``input_shape``, computed without any array.

        This default is for element-wise layers, which keep the shape.
        """
        return tuple(input_shape)

    def summary(self, input_shape):
        """Each layer's output shape and parameter count, for an input of ``input_shape``.

        Works from the shape formulas alone (see `output_shape`), so nothing
        is computed and a wrong shape raises the error running the network
        would. Returns a `convlesson.summary.Summary` (the table
        `convlesson.architectures.summary` gives too), which prints as a
        table; its first row is the input, its ``total`` the number of
        parameters.

        Examples
        --------
        >>> from convlesson.nn import Conv2d, Flatten, Linear, ReLU, Sequential
        >>> model = Sequential(Conv2d(1, 4, 3), ReLU(), Flatten(), Linear(144, 10))
        >>> print(model.summary((1, 1, 8, 8)))
        Layer      Output shape  Params
        ===============================
        input      (1, 1, 8, 8)
        0 Conv2d   (1, 4, 6, 6)      40
        1 ReLU     (1, 4, 6, 6)       0
        2 Flatten      (1, 144)       0
        3 Linear        (1, 10)   1,450
        ===============================
        Total params              1,490
        """
        self.output_shape(input_shape)  # the whole network's checks first, with running's errors
        rows = [SummaryRow("input", "", tuple(input_shape), 0)]
        rows += walk(self.named_layers(), input_shape, _describe)
        return Summary(rows, sum(row.params for row in rows), batched=True)

    def named_layers(self, prefix=""):
        """The layers a summary lists, as ``(name, module)``: the module itself; containers list their own."""
        return [(prefix, self)]

    def extra_repr(self):
        """The arguments shown between the parentheses of the repr."""
        return ""

    def __repr__(self):
        children = self.named_children()
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in children]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def _describe(module):
    """A module's row in a summary: its class name, and its parameters."""
    return type(module).__name__, sum(p.data.size for p in module.parameters())
