"""Pooling: 2×2 windows, stride 2, max or average."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..spec import Drawing, Spec, number, py_array

POOL_INPUTS = [
    [[1, 3, 2, 0], [5, 2, 1, 4], [0, 6, 8, 3], [2, 1, 7, 2]],
    *np.random.default_rng(19680801).integers(0, 10, size=(3, 4, 4)).tolist(),
]


def data(options):
    examples = []
    for x in POOL_INPUTS:
        a = np.array(x, float)
        windows = a.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)  # (i, j, 4 values)
        winners = windows.argmax(axis=2)  # first largest, as the window reads row by row
        examples.append({
            "input": x,
            "max": cl.max_pool2d(a, 2).tolist(),
            "avg": cl.avg_pool2d(a, 2).tolist(),
            "argmax": [[[2 * i + w // 2, 2 * j + w % 2] for j, w in enumerate(row)]
                       for i, row in enumerate(winners.tolist())],
        })
    return {"examples": examples, "mode": options.get("mode", "max")}


def code(data, mode=None, example=0):
    mode = mode or data["mode"]
    x = data["examples"][example]["input"]
    function = "cl.max_pool2d" if mode == "max" else "cl.avg_pool2d"
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"x = {py_array(x, indent=len('x = '))}\n"
        f"print({function}(x, 2))  # 2×2 windows, stride 2\n"
    )


def static(data):
    example = data["examples"][0]
    mode = data["mode"]
    pooled = np.array(example[mode])
    alt = (f"A 4×4 grid {example['input']} split into four coloured 2×2 windows; "
           f"{'max' if mode == 'max' else 'average'} pooling turns it into the 2×2 grid "
           f"[{'; '.join(', '.join(number(v) for v in row) for row in pooled)}].")
    return Drawing("pooling", "pooling", alt, {"x": np.array(example["input"], float), "kernel_size": 2, "mode": mode})


SPEC = Spec(
    options={"mode": ("max", "avg")},
    data=data,
    code=code,
    static=static,
    caption=(
        "2×2 pooling with stride 2: each coloured window of the 4×4 input becomes one number."
    ),
)
