"""Reference implementations and hypothesis strategies shared by the math tests.

The references are written from the definitions, one output number at a time,
and use nothing from convlesson, so that a bug in the package cannot hide in
its own oracle.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def naive_conv2d(x, w, b=None, stride=(1, 1), padding=((0, 0), (0, 0)), dilation=(1, 1), groups=1):
    """Cross-correlation of x (N, C_in, H, W) with w (C_out, C_in/groups, kH, kW), by loops."""
    n, c_in, h, wd = x.shape
    c_out, c_group, kh, kw = w.shape
    (top, bottom), (left, right) = padding
    xp = np.zeros((n, c_in, h + top + bottom, wd + left + right))
    xp[:, :, top : top + h, left : left + wd] = x
    (sh, sw), (dh, dw) = stride, dilation
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    rows = [i for i in range(xp.shape[2]) if i * sh + span_h <= xp.shape[2]]
    cols = [j for j in range(xp.shape[3]) if j * sw + span_w <= xp.shape[3]]
    out = np.zeros((n, c_out, len(rows), len(cols)))
    per_group = c_out // groups
    for m in range(n):
        for o in range(c_out):
            first = (o // per_group) * c_group  # first input channel of o's group
            for i in rows:
                for j in cols:
                    window = xp[
                        m,
                        first : first + c_group,
                        i * sh : i * sh + span_h : dh,
                        j * sw : j * sw + span_w : dw,
                    ]
                    out[m, o, i, j] = (window * w[o]).sum() + (0.0 if b is None else b[o])
    return out


def pool_starts(size, kernel, stride, padding, dilation, ceil_mode):
    """Start (in unpadded coordinates) of every pooling window along one axis.

    A window fits if it ends inside the padded input; with ceil_mode a window
    may also hang over the end, as long as it starts inside the input or the
    left padding.
    """
    span = dilation * (kernel - 1) + 1
    starts = []
    for i in range(size + 2 * padding + 1):
        start = i * stride - padding
        fits = start + span <= size + padding
        overhangs = ceil_mode and start < size and i * stride < size + 2 * padding - span + stride
        if fits or overhangs:
            starts.append(start)
    return starts


def naive_max_pool2d(x, k, s, p, d, ceil_mode):
    """Max pooling of x (N, C, H, W) by loops; padding never wins (it is -inf)."""
    n, c, h, w = x.shape
    rows = pool_starts(h, k[0], s[0], p[0], d[0], ceil_mode)
    cols = pool_starts(w, k[1], s[1], p[1], d[1], ceil_mode)
    out = np.empty((n, c, len(rows), len(cols)))
    for a, r0 in enumerate(rows):
        for b, c0 in enumerate(cols):
            values = [
                x[:, :, r, q]
                for r in range(r0, r0 + d[0] * k[0], d[0])
                for q in range(c0, c0 + d[1] * k[1], d[1])
                if 0 <= r < h and 0 <= q < w
            ]
            out[:, :, a, b] = np.max(values, axis=0) if values else -np.inf
    return out


def naive_avg_pool2d(x, k, s, p, ceil_mode, count_include_pad):
    """Average pooling of x (N, C, H, W) by loops, with PyTorch's divisor.

    The divisor, from PyTorch's CPU kernel: the window clipped to the padded
    input when count_include_pad, else the number of real pixels in it.
    """
    n, c, h, w = x.shape
    rows = pool_starts(h, k[0], s[0], p[0], 1, ceil_mode)
    cols = pool_starts(w, k[1], s[1], p[1], 1, ceil_mode)
    out = np.empty((n, c, len(rows), len(cols)))
    for a, r0 in enumerate(rows):
        for b, c0 in enumerate(cols):
            r1, c1 = min(r0 + k[0], h + p[0]), min(c0 + k[1], w + p[1])
            padded_count = (r1 - r0) * (c1 - c0)
            rr0, rr1, cc0, cc1 = max(r0, 0), min(r1, h), max(c0, 0), min(c1, w)
            total = x[:, :, rr0:rr1, cc0:cc1].sum(axis=(2, 3))
            out[:, :, a, b] = total / (
                padded_count if count_include_pad else (rr1 - rr0) * (cc1 - cc0)
            )
    return out


@st.composite
def conv2d_cases(draw, allow_same=True):
    """Keyword arguments for conv2d that are valid: x, weight, bias, stride, padding, dilation, groups.

    Kernels from 1×1 up, non-square everything, inputs from exactly the
    kernel's (dilated) size, one of the three input ranks.
    """
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    n = draw(st.integers(1, 2))
    kernel = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    stride = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    dilation = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if allow_same and stride == (1, 1) and draw(st.booleans()):
        padding = draw(st.sampled_from(["same", "valid"]))
        pads = [0, 0] if padding == "valid" else [(e - 1) // 2 for e in span]
    else:
        padding = draw(st.tuples(st.integers(0, 3), st.integers(0, 3)))
        pads = list(padding)
    size = [max(1, e - 2 * p) + draw(st.integers(0, 5)) for e, p in zip(span, pads)]
    rank = (
        draw(st.sampled_from([2, 3, 4]))
        if (c_in, c_out) == (1, 1)
        else draw(st.sampled_from([3, 4]))
    )
    x = rng.standard_normal((n, c_in, *size))
    weight = rng.standard_normal((c_out, c_in // groups, *kernel))
    bias = rng.standard_normal(c_out) if draw(st.booleans()) else None
    if rank == 3:
        x = x[0]
    if rank == 2:
        x, weight = x[0, 0], weight[0, 0]
        bias = None if bias is None else float(bias[0])
    return dict(
        x=x,
        weight=weight,
        bias=bias,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
    )


def as_batch_case(case):
    """The same case with x as (N, C, H, W), weight 4-D, bias (C_out,) and padding as side pairs."""
    x, weight, bias = case["x"], case["weight"], case["bias"]
    if x.ndim == 2:
        x, weight = x[None, None], weight[None, None]
        bias = None if bias is None else np.array([bias])
    elif x.ndim == 3:
        x = x[None]
    padding = case["padding"]
    span = [d * (k - 1) + 1 for k, d in zip(weight.shape[2:], case["dilation"])]
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        pads = tuple(((e - 1) // 2, e - 1 - (e - 1) // 2) for e in span)
    else:
        pads = tuple((p, p) for p in padding)
    return x, weight, bias, pads


@st.composite
def pool_cases(draw, dilation=True):
    """Valid pooling arguments: x (N, C, H, W), kernel, stride, padding, dilation, ceil_mode."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kernel = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    stride = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dil = draw(st.tuples(st.integers(1, 3), st.integers(1, 3))) if dilation else (1, 1)
    ceil_mode = draw(st.booleans())
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dil)]
    size = [max(1, e - 2 * p) + draw(st.integers(0, 6)) for e, p in zip(span, padding)]
    x = rng.standard_normal((draw(st.integers(1, 2)), draw(st.integers(1, 3)), *size))
    return x, kernel, stride, padding, dil, ceil_mode
