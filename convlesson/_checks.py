"""Argument checks shared by the modules.

Each check returns its argument in one normal form (a float array, a tuple of
ints) or raises a ``TypeError`` (wrong kind of value) or ``ValueError`` (right
kind, wrong value) whose message names the argument, repeats the value given
and says what is allowed. The public functions run every check before they
compute anything.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name):
    """Return ``value`` as a non-empty real float array; integers become float64.

    Float arrays are returned as they are (float32 stays float32), so nothing
    is copied unless an integer array has to be converted.
    """
    a = np.asarray(value)
    if a.dtype.kind == "b":
        raise TypeError(
            f"{name} must be a numeric array, got dtype bool; "
            f"convert it first, e.g. {name}.astype(float)"
        )
    if a.dtype.kind == "c":
        raise TypeError(
            f"{name} must be real, got dtype {a.dtype}; pass {name}.real or abs({name})"
        )
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a numeric array, got dtype {a.dtype}")
    if a.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {a.shape}")
    return a.astype(np.float64) if a.dtype.kind in "iu" else a


def is_int(value):
    """True for Python and numpy integers, False for bools (``True`` is not a size)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def as_int(value, name, minimum):
    """Return ``value`` as an int, checking that it is at least ``minimum``."""
    if not is_int(value):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def as_ints(value, name, n, minimum):
    """Return ``value`` (an int, or a sequence of ``n`` ints) as a tuple of ``n`` ints.

    One int means the same value on every axis, as in PyTorch's ``stride=2``.
    """
    allowed = "an int" if n == 1 else f"an int or a tuple of {n} ints"
    values = (value,) * n if is_int(value) else value
    if not isinstance(values, (tuple, list)) or not all(map(is_int, values)):
        raise TypeError(f"{name} must be {allowed}, got {value!r}")
    if len(values) != n:
        raise ValueError(f"{name} must be {allowed}, got {len(values)} values: {value!r}")
    if min(values) < minimum:
        raise ValueError(f"{name} must be >= {minimum} on every axis, got {value!r}")
    return tuple(int(v) for v in values)


def as_bool(value, name):
    """Return ``value`` if it is a bool; 0 and 1 are refused to catch swapped arguments."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def padding_sides(padding, kernel_size, stride, dilation):
    """Return the zero padding as one ``(before, after)`` pair per spatial axis.

    ``padding`` is an int, a tuple of ints (the same on both sides of an axis),
    ``'valid'`` (no padding) or ``'same'`` (output as large as the input). For
    ``'same'`` each axis needs ``dilation * (kernel_size - 1)`` padding in all;
    when that is odd the extra row or column goes after (bottom, right), as in
    PyTorch.
    """
    n = len(kernel_size)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(
                    f"padding='same' needs stride 1, got stride={stride}; "
                    "give the padding as an int instead, or use stride=1"
                )
            totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
            return tuple((t // 2, t - t // 2) for t in totals)
        raise ValueError(
            f"padding must be an int, a tuple of ints, 'valid' or 'same', got {padding!r}"
        )
    return tuple((p, p) for p in as_ints(padding, "padding", n, minimum=0))


def dilated(kernel_size, dilation):
    """Extent ``d·(k − 1) + 1`` of each axis of a kernel whose taps are ``d`` apart."""
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation))


def check_fits(kernel_size, dilation, padded_size, ceil_stride=None):
    """Raise if the (dilated) kernel does not fit in the padded input even once.

    Pooling with ``ceil_mode`` passes its stride as ``ceil_stride``: PyTorch
    then lets the one window hang up to ``stride − 1`` pixels over the end.
    """
    span = dilated(kernel_size, dilation)
    overhang = tuple(s - 1 for s in ceil_stride) if ceil_stride else (0,) * len(span)
    if any(e > p + o for e, p, o in zip(span, padded_size, overhang)):
        spread = f" (dilated to {span})" if span != tuple(kernel_size) else ""
        allowed = f", even hanging over by stride - 1 = {overhang}" if ceil_stride else ""
        raise ValueError(
            f"kernel {tuple(kernel_size)}{spread} is larger than the padded input "
            f"{tuple(padded_size)}{allowed}; use a smaller kernel or more padding"
        )


def check_groups(groups, in_channels, out_channels):
    """Raise unless ``groups`` divides both channel counts, as ``nn.Conv2d`` requires."""
    if in_channels % groups or out_channels % groups:
        raise ValueError(
            f"groups={groups} must divide both in_channels={in_channels} and "
            f"out_channels={out_channels}"
        )
