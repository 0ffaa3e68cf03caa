"""Stride and padding explorer."""

from __future__ import annotations

import convlesson as cl

from ..spec import Drawing, Spec, int_options

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
    alt = (f"A {size}×{size} input (blue) with {p} pixel(s) of zero padding, the {k}×{k} kernel "
           f"(orange) at its first positions, and the {out}×{out} output (teal) that stride {s} "
           f"gives: ⌊({size} − {k} + 2·{p}) / {s}⌋ + 1 = {out}.")
    return Drawing("stride_padding", "stride_padding", alt, {"size": size, "kernel": k, "stride": s, "padding": p})


SPEC = Spec(
    options={"size": None, "kernel": None, "stride": None, "padding": None},
    data=data,
    code=code,
    static=static,
    caption=(
        "Input in blue (padding dashed), the kernel's position in orange, the output in teal."
    ),
)
