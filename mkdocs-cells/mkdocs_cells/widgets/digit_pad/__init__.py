"""Drawing pad: draw a digit, see it as the digits data set's 8×8 grid, and the ConvNet's answer.

The page classifies in JavaScript (``digits.js``: the 8×8 reduction of
`convlesson.data.to_digit_grid` and the forward pass of a network exported by
`convlesson.nn.export`, both checked against convlesson by ``tests/test_digit_pad.py``), with the
network `convlesson.nn.pretrained.digits_convnet` trains at build, shipped with the page, until
the reader's own network arrives from the page's Python (`convlesson.nn.export.to_page`).
"""

from __future__ import annotations

import functools

import numpy as np

import convlesson as cl
from convlesson.nn import export, pretrained

from ..spec import Spec, float64_bytes, py_list

BUILD_NETWORK = "the network trained when this site was built"
EXAMPLES_PER_DIGIT = 2
# A grid's 0–16 counts as one character each (base 17), to keep the page's data small.
LEVELS = "0123456789abcdefg"


@functools.cache
def network():
    """The build's network, exported (trained once per build process: a few seconds)."""
    return export.export(pretrained.digits_convnet())


def examples():
    """The first test digits of each class, as 0–16 counts: the pad's keyboard alternative."""
    _, (x_test, y_test) = cl.data.digits_split()
    chosen = []
    for digit in range(10):
        for index in np.flatnonzero(y_test == digit)[:EXAMPLES_PER_DIGIT]:
            grid = np.rint(x_test[index, 0] * 16).astype(int)
            chosen.append({"label": digit, "index": int(index), "grid": "".join(LEVELS[v] for v in grid.ravel())})
    return chosen


def data(options):
    layers, numbers = network()
    return {
        "network": {"name": BUILD_NETWORK, "layers": layers, "numbers": float64_bytes(numbers)},
        "examples": examples(),
        "channel": export.CHANNEL,
    }


def code(data, grid=None):
    """Python that classifies a grid (default: the first example) with the page's ``model``."""
    grid = [LEVELS.index(c) for c in data["examples"][0]["grid"]] if grid is None else grid
    rows = [py_list(grid[r * 8:(r + 1) * 8]) for r in range(8)]
    return (
        "grid = np.array([" + ",\n                  ".join(rows) + "])\n"
        "scores = model.eval()(grid.reshape(1, 1, 8, 8) / 16)[0]\n"
        "model.train()\n"
        "probabilities = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()\n"
        'print(f"Prediction: {probabilities.argmax()}", np.round(probabilities, 3))\n'
    )


def static(data):
    return ('<p class="cl-widget__about">The drawing pad needs JavaScript: it classifies what you '
            "draw with the network trained on this page.</p>")


SPEC = Spec(
    options={},
    data=data,
    code=code,
    static=static,
    caption=(
        "Draw a digit: it is reduced to the data set's 8×8 grid of 0–16 counts, and the network "
        "classifies it. Select any unit of a feature map to see what it computes."
    ),
)
