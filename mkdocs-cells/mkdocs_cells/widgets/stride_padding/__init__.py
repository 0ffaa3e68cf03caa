"""Stride and padding explorer."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..drawing import BLUE, ORANGE, TEAL, INK, tint, draw_cells, outline, label, canvas, png
from ..spec import Spec, int_options

STRIDE_PADDING = {"size": 5, "kernel": 3, "stride": 1, "padding": 0}
STRIDE_PADDING_RANGES = {"size": [3, 9], "kernel": [1, 5], "stride": [1, 3], "padding": [0, 2]}


def data(options):
    state = int_options(options, STRIDE_PADDING, STRIDE_PADDING_RANGES)
    if state["kernel"] > state["size"] + 2 * state["padding"]:
        raise ValueError(f"kernel={state['kernel']} is larger than the padded input")
    return {**state, "ranges": STRIDE_PADDING_RANGES}


def code(data, size=None, kernel=None, stride=None, padding=None, position=0):
    size, kernel = size or data["size"], kernel or data["kernel"]
    stride = stride or data["stride"]
    padding = data["padding"] if padding is None else padding
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"size, kernel_size, stride, padding = {size}, {kernel}, {stride}, {padding}\n"
        "out = cl.output_size(size, kernel_size, stride=stride, padding=padding)\n"
        "steps = cl.conv_steps(np.ones((size, size)), np.ones((kernel_size, kernel_size)),\n"
        "                      stride=stride, padding=padding)\n"
        'print(f"output: {out} x {out}, so {len(steps)} positions")\n\n'
        f"step = steps[{position}]  # the position shown\n"
        'print("window at", step.origin, "(row, column in the padded input)")\n'
        'print("writes output", step.out_index)\n'
    )


def static(data):
    size, k, s, p = data["size"], data["kernel"], data["stride"], data["padding"]
    out = cl.output_size(size, k, stride=s, padding=p)
    padded = size + 2 * p
    fig, ax = canvas(6.4, 3.4, (-0.3, padded + out + 2.3), (-0.9, max(padded, out) + 1.4))
    faces = [["#f3f4f6" if min(i, j) < p or max(i, j) >= p + size else tint(BLUE, 0.35)
              for j in range(padded)] for i in range(padded)]
    draw_cells(ax, np.zeros((padded, padded)), 0, 0, faces, text=False)
    for i in range(padded):
        for j in range(padded):
            if min(i, j) < p or max(i, j) >= p + size:
                label(ax, j + 0.5, i + 0.55, "0", ha="center", va="center", fontsize=9)
    outline(ax, 0, 0, k, k, ORANGE, linewidth=3.5)
    x0 = padded + 2
    out_faces = [[tint(TEAL, 0.8 if (i, j) == (0, 0) else 0.3) for j in range(out)] for i in range(out)]
    draw_cells(ax, np.zeros((out, out)), x0, (padded - out) / 2, out_faces, text=False)
    label(ax, 0, -0.3, f"input {size}×{size}, padding {p}", color=BLUE)
    label(ax, x0, (padded - out) / 2 - 0.3, f"output {out}×{out}", color=TEAL)
    label(ax, 0, padded + 1.0, f"⌊({size} − {k} + 2·{p}) / {s}⌋ + 1 = {out}", color=INK, fontsize=12)
    alt = (f"A {size}×{size} input (blue) with {p} pixel(s) of zero padding, the {k}×{k} kernel "
           f"(orange) at its first position, and the {out}×{out} output (teal) that stride {s} "
           f"gives: ⌊({size} − {k} + 2·{p}) / {s}⌋ + 1 = {out}.")
    return png(fig), alt


SPEC = Spec(
    options={"size": None, "kernel": None, "stride": None, "padding": None},
    data=data,
    code=code,
    static=static,
    caption=(
        "Input in blue (padding dashed), the kernel's position in orange, the output in teal."
    ),
)
