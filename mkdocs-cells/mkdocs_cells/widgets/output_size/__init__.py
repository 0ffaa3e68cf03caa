"""Output-size calculator."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..drawing import BLUE, ORANGE, INK, MUTED, tint, draw_cells, label, canvas, png
from ..spec import Spec, int_options

OUTPUT_SIZE = {"size": 8, "kernel": 3, "padding": 0, "stride": 2, "dilation": 1}
OUTPUT_SIZE_RANGES = {"size": [1, 256], "kernel": [1, 11], "padding": [0, 10], "stride": [1, 8],
                      "dilation": [1, 4]}


def data(options):
    state = int_options(options, OUTPUT_SIZE, OUTPUT_SIZE_RANGES)
    return {**state, "ranges": OUTPUT_SIZE_RANGES}


def code(data, size=None, kernel=None, padding=None, stride=None, dilation=None):
    values = {"size": size, "kernel": kernel, "padding": padding, "stride": stride, "dilation": dilation}
    w, k, p, s, d = (data[key] if value is None else value for key, value in values.items())
    return (
        "import convlesson as cl\n\n"
        f"W, K, P, S, D = {w}, {k}, {p}, {s}, {d}  # input, kernel, padding, stride, dilation\n"
        "out = cl.output_size(W, K, stride=S, padding=P, dilation=D)\n"
        'print("output size:", out)\n\n'
        "last = (out - 1) * S + D * (K - 1)  # the last padded index the kernel reads\n"
        'print("padded indices the floor leaves out:", list(range(last + 1, W + 2 * P)))\n'
    )


def static(data):
    w, k, p, s, d = (data[key] for key in ("size", "kernel", "padding", "stride", "dilation"))
    out = cl.output_size(w, k, stride=s, padding=p, dilation=d)
    padded = w + 2 * p
    last = (out - 1) * s + d * (k - 1)
    fig, ax = canvas(6.4, 2.0 + 0.32 * out, (-0.3, padded + 0.3), (-0.5 - 0.55 * out, 3.0))
    faces = ["#f3f4f6" if i < p or i >= p + w else tint(BLUE, 0.35) if i <= last else "#fde2e2"
             for i in range(padded)]
    draw_cells(ax, np.zeros((1, padded)), 0, 0, [faces], text=False)
    for i in range(padded):
        label(ax, i + 0.5, 0.55, str(i - p), ha="center", va="center", fontsize=9,
              color=INK if p <= i < p + w else MUTED)
    for n in range(out):
        start = n * s
        y = -0.35 - 0.5 * n
        ax.plot([start + 0.5, start + d * (k - 1) + 0.5], [y, y], color=ORANGE, linewidth=2.5)
        ax.plot([start + 0.5 + d * t for t in range(k)], [y] * k, "o", color=ORANGE, markersize=4)
    unused = [i - p for i in range(last + 1, padded) if p <= i < p + w]
    listed = ", ".join(map(str, unused))
    note = (f"column{'s' if len(unused) > 1 else ''} {listed} never read" if unused
            else "every column is read")
    label(ax, 0, 1.8, f"⌊({w} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = {out};  {note}",
          color=INK, fontsize=11)
    alt = (f"An input of {w} columns, padding {p}, kernel {k}, stride {s}, dilation {d}: the "
           f"{out} kernel positions are drawn above the columns. "
           + (f"The floor leaves input column{'s' if len(unused) > 1 else ''} {listed} unread." if unused
              else "Every input column is read."))
    return png(fig), alt


SPEC = Spec(
    options={key: None for key in ("size", "kernel", "padding", "stride", "dilation")},
    data=data,
    code=code,
    static=static,
    caption=(
        "The output size, worked out from the formula as you type."
    ),
)
