"""The layers without windows: ReLU, Dropout, Flatten and Linear."""

from __future__ import annotations

import math

import numpy as np

from .._checks import as_bool, as_float_array, as_int, is_int
from .module import Module, _rng, _uniform


class ReLU(Module):
    """Rectified linear unit, ``max(x, 0)`` element by element (``torch.nn.ReLU``)."""

    def forward(self, x):
        """out = max(x, 0), for x of any shape. Caches where x > 0."""
        self.cache = np.asarray(x) > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        """∂out/∂x is 1 where x > 0 and 0 elsewhere (at x = 0 too, as in PyTorch)."""
        return dout * self.cache


class Dropout(Module):
    """Zero each entry with probability p while training (``torch.nn.Dropout``).

    Inverted dropout: the kept entries are scaled by 1/(1 − p), so that each
    output's expected value is its input, and eval mode passes x through.

    Parameters
    ----------
    p : float, default 0.5
        Probability of dropping an entry.
    rng : numpy.random.Generator, optional
        For the masks; the package's generator (see `manual_seed`) if not given.
    """

    def __init__(self, p=0.5, *, rng=None):
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.rng = float(p), rng

    def extra_repr(self):
        return f"p={self.p}, inplace=False"

    def forward(self, x):
        """out = x·mask: in training mask is 0 (probability p) or 1/(1 − p), in eval 1.

        x and out have any shape, the same. Caches the mask (None in eval).
        """
        if not self.training:
            self.cache = None
            return x
        x = as_float_array(x, "x")
        keep = _rng(self.rng).random(x.shape) >= self.p
        self.cache = keep.astype(x.dtype) * (0.0 if self.p == 1 else 1 / (1 - self.p))
        return x * self.cache

    def backward(self, dout):
        """out = x·mask, so ∂L/∂x = dout·mask."""
        return dout if self.cache is None else dout * self.cache


class Flatten(Module):
    """Merge axes ``start_dim`` to ``end_dim`` into one (``torch.nn.Flatten``).

    The default turns a batch of feature maps (N, C, H, W) into vectors (N, C·H·W).
    """

    def __init__(self, start_dim=1, end_dim=-1):
        if not (is_int(start_dim) and is_int(end_dim)):
            raise TypeError(f"start_dim and end_dim must be ints, got {start_dim!r}, {end_dim!r}")
        self.start_dim, self.end_dim = start_dim, end_dim

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"

    def output_shape(self, input_shape):
        """The input shape with the axes start_dim to end_dim replaced by their product."""
        ndim = len(input_shape)
        start, end = self.start_dim % max(ndim, 1), self.end_dim % max(ndim, 1)
        if not (-ndim <= self.start_dim < ndim and -ndim <= self.end_dim < ndim and start <= end):
            raise ValueError(f"{self!r} cannot flatten input of shape {tuple(input_shape)}")
        merged = math.prod(input_shape[start : end + 1])
        return (*input_shape[:start], merged, *input_shape[end + 1 :])

    def forward(self, x):
        """Reshape, keeping the order of the entries. Caches the input shape."""
        x = np.asarray(x)
        self.cache = x.shape
        return x.reshape(self.output_shape(x.shape))

    def backward(self, dout):
        """Flattening renumbers the entries and changes none: ∂L/∂x is dout in x's shape."""
        return dout.reshape(self.cache)


class Linear(Module):
    """Fully connected layer, ``out = x·Wᵀ + b`` (``torch.nn.Linear``).

    Parameters
    ----------
    in_features, out_features : int
    bias : bool, default True
    dtype : numpy dtype, default float32
    rng : numpy.random.Generator, optional
        For the initial weights; the package's generator (see `manual_seed`) if not given.

    Attributes
    ----------
    weight : Parameter, shape (out_features, in_features)
        Initialised from U(−1/√in_features, 1/√in_features).
    bias : Parameter, shape (out_features,), or None
        Initialised from the same distribution.

    Examples
    --------
    >>> Linear(4096, 10)
    Linear(in_features=4096, out_features=10, bias=True)
    """

    def __init__(self, in_features, out_features, bias=True, *, dtype=np.float32, rng=None):
        self.in_features = as_int(in_features, "in_features", minimum=1)
        self.out_features = as_int(out_features, "out_features", minimum=1)
        fan_in = self.in_features
        self.weight = _uniform((self.out_features, self.in_features), fan_in, dtype, rng)
        has_bias = as_bool(bias, "bias")
        self.bias = _uniform((self.out_features,), fan_in, dtype, rng) if has_bias else None

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")

    def output_shape(self, input_shape):
        """``(N, out_features)``; any leading axes are kept."""
        if len(input_shape) < 1 or input_shape[-1] != self.in_features:
            raise ValueError(
                f"{self!r} expects input of shape (N, {self.in_features}), "
                f"got shape {tuple(input_shape)}"
            )
        return (*input_shape[:-1], self.out_features)

    def forward(self, x):
        """``out[n, o] = Σ_i x[n, i]·W[o, i] + b[o]``: x (N, in) → out (N, out).

        More leading axes are treated as more samples. Caches x.
        """
        x = as_float_array(x, "x")
        self.output_shape(x.shape)
        self.cache = x
        out = x @ self.weight.data.T
        return out if self.bias is None else out + self.bias.data

    def backward(self, dout):
        """From dout = ∂L/∂out (N, out), add ∂L/∂W and ∂L/∂b and return ∂L/∂x (N, in)."""
        x = self.cache.reshape(-1, self.in_features)
        rows = dout.reshape(-1, self.out_features)
        self.weight.grad += rows.T @ x  # ∂L/∂W[o, i] = Σ_n dout[n, o]·x[n, i]
        if self.bias is not None:
            self.bias.grad += rows.sum(axis=0)  # ∂L/∂b[o] = Σ_n dout[n, o]
        return dout @ self.weight.data  # ∂L/∂x[n, i] = Σ_o dout[n, o]·W[o, i]
