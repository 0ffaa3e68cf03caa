"""Output-size calculator."""

from __future__ import annotations

import convlesson as cl

from ..spec import Drawing, Spec, int_options

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
    """The grid of `stride_padding` for the fence's state; as text where that grid would not
    fit on a page (a large input) or cannot show the state (dilation)."""
    w, k, p, s, d = (data[key] for key in ("size", "kernel", "padding", "stride", "dilation"))
    out = cl.output_size(w, k, stride=s, padding=p, dilation=d)
    formula = f"⌊({w} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = {out}"
    if d > 1 or w + 2 * p > 12:
        return f'<p class="cl-widget__formula">Output size: {formula}</p>'
    alt = (f"An input of {w}×{w} pixels with padding {p}, the {k}×{k} kernel at its first positions "
           f"with stride {s}, and the {out}×{out} output: {formula}.")
    return Drawing("stride_padding", "stride_padding", alt, {"size": w, "kernel": k, "stride": s, "padding": p})


SPEC = Spec(
    options={key: None for key in ("size", "kernel", "padding", "stride", "dilation")},
    data=data,
    code=code,
    static=static,
    caption=(
        "The output size, worked out from the formula as you type."
    ),
)
