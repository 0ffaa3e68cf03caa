"""A 3-element kernel sliding along a signal."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..drawing import BLUE, ORANGE, TEAL, INK, tint, number, paren, draw_cells, outline, label, canvas, png, intensity_faces
from ..spec import Spec, py_list

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
    signal, step = data["signal"], kernel["steps"][0]
    n, k = len(signal), len(kernel["weights"])
    fig, ax = canvas(7, 3.1, (-2.6, n + 0.1), (-0.6, 7.4))
    rows = {"signal": 0, "kernel": 1.6, "products": 3.2, "output": 4.8}
    for text, y in rows.items():
        label(ax, -0.15, y + 0.55, text, ha="right", va="center")
    draw_cells(ax, signal, 0, rows["signal"], intensity_faces(signal, BLUE, 0, max(signal)))
    origin = step["origin"][0]
    outline(ax, origin, rows["signal"], k, 1, ORANGE)
    draw_cells(ax, kernel["weights"], origin, rows["kernel"], tint(ORANGE, 0.35))
    draw_cells(ax, step["products"], origin, rows["products"], tint(ORANGE, 0.12))
    output = [np.nan] * n
    output[origin + k // 2] = step["total"]
    faces = [[tint(TEAL, 0.55) if i == origin + k // 2 else "#f3f4f6" for i in range(n)]]
    draw_cells(ax, output, 0, rows["output"], faces)
    terms = " + ".join(f"{paren(number(w))}·{paren(number(x))}" for w, x in zip(kernel["weights"], step["patch"]))
    label(ax, 0, 6.6, f"step 1 of {len(kernel['steps'])}:  {terms} = {number(step['total'])}",
          color=INK, fontsize=11)
    alt = (f"The signal {signal} with the kernel {kernel['weights']} under its first "
           f"{k} values; the products are {', '.join(number(p) for p in step['products'])} and their sum, "
           f"{number(step['total'])}, is the first output.")
    return png(fig), alt


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
