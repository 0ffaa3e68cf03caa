"""A convolution taken apart into its steps, for explaining it one position at a time.

`conv_steps` records what happens at each position of the kernel: where the
window starts, what it holds, the products with the kernel and their sum. The
sums are the outputs of `convlesson.conv1d` and `convlesson.conv2d`; this
module trades their speed for a record of every step, which a page can print
or send to a JavaScript widget (``json.dumps([s.to_dict() for s in steps])``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, as_ints, check_fits, padding_sides


class Step(NamedTuple):
    """One position of the kernel.

    Attributes
    ----------
    out_index : tuple of int
        Index of the output this step computes: ``(i,)`` or ``(i, j)``.
    origin : tuple of int
        Index in the padded input of the window's first element,
        ``out_index · stride``; the input pixel is ``origin − padding``.
    patch : ndarray, shape (K,) or (kH, kW)
        The window of the padded input under the kernel.
    products : ndarray, shape (K,) or (kH, kW)
        ``patch * weight``, element by element.
    total : float
        ``products.sum()``, the output value.
    """

    out_index: tuple[int, ...]
    origin: tuple[int, ...]
    patch: np.ndarray
    products: np.ndarray
    total: float

    def to_dict(self):
        """The step as plain lists and numbers, ready for ``json.dumps``.

        Examples
        --------
        >>> step = conv_steps([1, 2, 3], [1, -1])[0]
        >>> step.to_dict()
        {'out_index': [0], 'origin': [0], 'patch': [1.0, 2.0], 'products': [1.0, -2.0], 'total': -1.0}
        """
        return {
            "out_index": list(self.out_index),
            "origin": list(self.origin),
            "patch": self.patch.tolist(),
            "products": self.products.tolist(),
            "total": self.total,
        }


def conv_steps(x, weight, stride=1, padding=0):
    """Every step of a 1-D or 2-D cross-correlation, in the order the kernel visits them.

    Parameters
    ----------
    x : ndarray, shape (L,) or (H, W)
    weight : ndarray, shape (K,) or (kH, kW), the same rank as ``x``
    stride : int or tuple of ints, default 1
    padding : int, tuple of ints, 'valid' or 'same', default 0
        As in `convlesson.conv2d`. Window origins are indices into the
        padded input, ``x`` with the zeros around it.

    Returns
    -------
    list of Step
        One ``Step(out_index, origin, patch, products, total)`` per output
        position, row by row (raster order).

    Notes
    -----
    A Python loop over the output positions: meant for the small inputs of
    an explanation, not for speed.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(3, 3)
    >>> k = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> steps = conv_steps(x, k)
    >>> len(steps)
    4
    >>> first = steps[0]
    >>> first.out_index, first.origin
    ((0, 0), (0, 0))
    >>> first.products
    array([[ 0.,  1.],
           [ 6., 12.]])
    >>> [step.total for step in steps]
    [19.0, 25.0, 37.0, 43.0]
    """
    x = as_float_array(x, "x")
    weight = as_float_array(weight, "weight")
    if x.ndim not in (1, 2) or weight.ndim != x.ndim:
        raise ValueError(
            f"x and weight must be (L,) and (K,), or (H, W) and (kH, kW), "
            f"got shapes {x.shape} and {weight.shape}"
        )
    stride = as_ints(stride, "stride", x.ndim, minimum=1)
    pads = padding_sides(padding, weight.shape, stride, (1,) * x.ndim)
    padded = tuple(n + before + after for n, (before, after) in zip(x.shape, pads))
    check_fits(weight.shape, (1,) * x.ndim, padded)
    # ⌊(W + 2P − K)/S⌋ + 1 positions per axis, with W + 2P the padded size
    out_shape = tuple((n - k) // s + 1 for n, k, s in zip(padded, weight.shape, stride))
    x_pad = np.pad(x, pads)

    steps = []
    for out_index in np.ndindex(*out_shape):
        origin = tuple(i * s for i, s in zip(out_index, stride))
        patch = x_pad[tuple(slice(o, o + k) for o, k in zip(origin, weight.shape))].copy()
        products = patch * weight
        steps.append(Step(out_index, origin, patch, products, float(products.sum())))
    return steps
