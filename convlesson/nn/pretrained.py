"""A small ConvNet trained on the digits data set, the same every time it is trained.

The lesson shows what such a network learns (its first layer's filters) without asking the
reader to wait for a training run. It takes a few seconds; the site computes it once per
version of convlesson.
"""

from __future__ import annotations

import numpy as np

from .. import data
from .containers import Sequential
from .conv import Conv2d
from .layers import Flatten, Linear, ReLU
from .loss import CrossEntropyLoss
from .optim import Adam
from .pool import MaxPool2d
from .module import manual_seed
from .train import fit


def digits_convnet(epochs: int = 8) -> Sequential:
    """A ConvNet (two conv–ReLU–pool stages, then a linear layer) trained on the digits.

    Input ``(N, 1, 8, 8)``, output ``(N, 10)`` class scores. Seeded, so it is the same network
    each time.
    """
    manual_seed(0)
    train, test = data.digits_split()
    net = Sequential(
        Conv2d(1, 16, 5, padding=2), ReLU(), MaxPool2d(2),
        Conv2d(16, 32, 3, padding=1), ReLU(), MaxPool2d(2),
        Flatten(), Linear(128, 10),
    )
    fit(net, CrossEntropyLoss(), Adam(net.parameters(), lr=0.01), train, test, epochs=epochs, rng=0)
    return net


def digits_filters() -> np.ndarray:
    """The first-layer kernels ``(16, 1, 5, 5)`` of `digits_convnet`."""
    return digits_convnet().state_dict()["0.weight"]
