"""A 3-element kernel sliding along a signal."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..spec import Drawing, Spec, number, py_list

SIGNAL = [0, 1, 1, 4, 4, 4, 1, 0]
KERNELS_1D = {
    "slope": ([-1, 0, 1], "right minus left: the slope of the signal"),
    "smooth": ([1, 2, 1], "a weighted sum: the centre counts twice"),
    "peak": ([-1, 2, -1], "centre minus its neighbours: bumps and dips"),
}


def data(options):
    kernels = {}
    for name, (weights, text) in KERNELS_1D.items():
        steps = cl.conv_steps(SIGNAL, weights)
        kernels[name] = {
            "weights": weights,
            "text": text,
            "steps": [step.to_dict() for step in steps],
            "output": cl.conv1d(np.array(SIGNAL, float), np.array(weights, float)).tolist(),
        }
    return {"signal": SIGNAL, "kernels": kernels, "kernel": options.get("kernel", "slope")}


def code(data, kernel=None, step=0):
    name = kernel or data["kernel"]
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"signal = np.array({py_list(data['signal'])})\n"
        f"kernel = np.array({py_list(data['kernels'][name]['weights'])})  # {name}\n"
        "steps = cl.conv_steps(signal, kernel)\n"
        f"step = steps[{step}]  # the position shown\n"
        'print("window:  ", step.patch)\n'
        'print("products:", step.products, "sum:", step.total)\n'
        'print("output:  ", cl.conv1d(signal, kernel))\n'
    )


def static(data):
    name = data["kernel"]
    kernel = data["kernels"][name]
    step = kernel["steps"][0]
    alt = (f"The signal {data['signal']} with the kernel {kernel['weights']} under its first "
           f"{len(kernel['weights'])} values; the products are {', '.join(number(p) for p in step['products'])} "
           f"and their sum, {number(step['total'])}, is the first output.")
    return Drawing("conv_step_signal", "conv_step", alt,
                   {"x": np.array(data["signal"], float), "weight": np.array(kernel["weights"], float)})


SPEC = Spec(
    options={"kernel": tuple(KERNELS_1D)},
    data=data,
    code=code,
    static=static,
    caption=(
        "A 3-element kernel (orange) slides along a signal (blue). At each position the "
        "products are added up into one output (teal)."
    ),
)
