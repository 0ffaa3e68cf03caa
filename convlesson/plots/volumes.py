"""Volumes: how a kernel that spans every input channel still gives one feature map."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch

from ..conv import conv2d
from .cells import draw_cells, draw_window, frame
from .figures import axes_or_new
from .schemes import palette

EXAMPLE_VOLUME = np.array([[[1, 0, 2], [3, 1, 0], [0, 2, 1]],
                           [[2, 1, 0], [0, 1, 3], [1, 0, 2]],
                           [[0, 1, 1], [2, 0, 1], [1, 3, 0]]], dtype=float)
"""The 3-channel 3×3 input of `channel_sum` and the lesson's worked example."""

EXAMPLE_FILTER = np.array([[[1, 0], [0, -1]],
                           [[2, 0], [-1, 1]],
                           [[0, 1], [1, 0]]], dtype=float)
"""The filter of `channel_sum`: one 2×2 slice per input channel, shape (3, 2, 2)."""

EXAMPLE_BIAS = 1.0
"""The filter's bias in `channel_sum`."""


def channel_sum(ax, x=None, weight=None, bias=None):
    """One filter over a volume: each channel correlated with its own slice, the maps added, plus the bias.

    Row ``c`` shows input channel ``c`` (blue) with the filter's window at the
    first position, the filter's slice ``c`` (orange) and that channel's map
    ``conv2d(x[c], weight[c])`` (light teal); the maps add up, with the bias,
    to the one output map (teal) on the right. The first position is outlined
    everywhere, so its numbers can be followed by hand.

    Parameters
    ----------
    ax : Axes or None
    x : array_like, shape (C, H, W), optional
        Default `EXAMPLE_VOLUME`.
    weight : array_like, shape (C, kH, kW), optional
        Default `EXAMPLE_FILTER`.
    bias : float, optional
        Default `EXAMPLE_BIAS`.

    Returns
    -------
    dict
        ``inputs``, ``kernels``, ``maps`` (lists, one `draw_cells` result per
        channel: ``cells``, ``texts``), ``output`` (one), ``per_channel``
        (array (C, H', W')), ``values`` (array (H', W'): the output map).
    """
    ax = axes_or_new(ax, "channel_sum")
    x = EXAMPLE_VOLUME if x is None else np.asarray(x, dtype=float)
    weight = EXAMPLE_FILTER if weight is None else np.asarray(weight, dtype=float)
    bias = EXAMPLE_BIAS if bias is None else float(bias)
    if x.ndim != 3 or weight.ndim != 3 or x.shape[0] != weight.shape[0]:
        raise ValueError(f"x must be (C, H, W) and weight (C, kH, kW) with the same C, "
                         f"got shapes {x.shape} and {weight.shape}")
    c = palette()
    channels, h, w = x.shape
    kh, kw = weight.shape[1:]
    per_channel = np.stack([conv2d(x[i], weight[i]) for i in range(channels)])
    values = per_channel.sum(axis=0) + bias
    ho, wo = values.shape
    band = max(h, kh, ho) + 1.2                  # height of one channel's row
    x_k = w + 1.6                                # where the kernel slices start
    x_m = x_k + kw + 1.6                         # the per-channel maps
    x_o = x_m + wo + 2.6                         # the output map
    drawn = {"inputs": [], "kernels": [], "maps": []}
    size = 11
    for i in range(channels):
        top = i * band
        drawn["inputs"].append(draw_cells(ax, x[i], 0, top, color="input", fontsize=size))
        draw_window(ax, 0, 0, kh, kw, y0=top, fill=0.0)
        drawn["kernels"].append(draw_cells(ax, weight[i], x_k, top + (h - kh) / 2, color="kernel",
                                           alpha=0.3, edge_alpha=0.9, fontsize=size))
        drawn["maps"].append(draw_cells(ax, per_channel[i], x_m, top + (h - ho) / 2, color="output",
                                        alpha=0.1, fontsize=size))
        draw_window(ax, 0, 0, 1, 1, x0=x_m, y0=top + (h - ho) / 2, fill=0.0)
        middle = top + h / 2
        ax.text(w + 0.8, middle, "⋆", ha="center", va="center", fontsize=22, color=c["text"])
        ax.text(x_k + kw + 0.8, middle, "=", ha="center", va="center", fontsize=14, color=c["text"])
        ax.text(-0.4, middle, f"channel {i}", ha="right", va="center", fontsize=9, color=c["muted"])
        if i:
            ax.text(x_m + wo / 2, top - 0.6, "+", ha="center", va="center", fontsize=14, color=c["text"])
    total_height = (channels - 1) * band + h
    out_top = total_height / 2 - ho / 2
    drawn["output"] = draw_cells(ax, values, x_o, out_top, color="output", alpha=0.3, fontsize=size)
    draw_window(ax, 0, 0, 1, 1, x0=x_o, y0=out_top, fill=0.0)
    ax.add_patch(FancyArrowPatch((x_m + wo + 0.3, total_height / 2), (x_o - 0.3, total_height / 2),
                                 arrowstyle="-|>", mutation_scale=14, color=c["muted"], linewidth=1.5))
    ax.text((x_m + wo + x_o) / 2, total_height / 2 - 0.35, f"sum\n+ bias {bias:g}", ha="center", va="bottom",
            fontsize=9, color=c["text"])
    for left, width, label in ((0, w, "input"), (x_k, kw, "filter"), (x_m, wo, "per channel"),
                               (x_o, wo, "output")):
        ax.text(left + width / 2, -0.5, label, ha="center", va="bottom", fontsize=10, color=c["text"])
    frame(ax, x_o + wo + 2.6, total_height + 1.2, x0=-2.6, y0=-1.1, margin=0.1)
    drawn["per_channel"] = per_channel
    drawn["values"] = values
    return drawn
