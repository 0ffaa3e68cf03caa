"""A training loop to reuse: one step, accuracy, and fit over epochs."""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np

from ..data import batches
from .module import _rng


class Epoch(NamedTuple):
    """One pass of `fit` over the training set.

    Its number (from 1), mean training loss, test accuracy afterwards (None
    without a test set) and the seconds since `fit` started.
    """

    epoch: int
    loss: float
    test_accuracy: float | None
    seconds: float


def train_step(model, loss_fn, optimizer, x, y):
    """One step of gradient descent on the batch (x, y); return the loss before the step."""
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    optimizer.step()
    return float(loss)


def accuracy(model, x, y, batch_size=256):
    """Fraction of the images x that ``model``, in eval mode, puts in class y."""
    training = model.training
    model.eval()
    hits = sum(int((model(xb).argmax(axis=1) == yb).sum()) for xb, yb in batches(x, y, batch_size))
    model.train(training)
    return hits / len(y)


def fit(model, loss_fn, optimizer, train, test=None, epochs=1, batch_size=64, rng=None, on_epoch=None):
    """Train ``model`` on ``train = (x, y)`` for ``epochs`` passes in shuffled mini-batches.

    Returns a list of `Epoch` records; the test accuracy is measured on
    ``test = (x, y)`` after each epoch, if given. ``rng`` (a Generator or a
    seed) shuffles the batches; the package's generator if not given.
    ``on_epoch(history)``, if given, is called with the records so far after
    each epoch: to print progress or redraw a plot while training runs.
    """
    rng = _rng(None) if rng is None else np.random.default_rng(rng)
    history, start = [], time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        losses = [train_step(model, loss_fn, optimizer, xb, yb)
                  for xb, yb in batches(*train, batch_size, shuffle=True, rng=rng)]
        test_accuracy = None if test is None else accuracy(model, *test)
        seconds = time.perf_counter() - start
        history.append(Epoch(epoch, float(np.mean(losses)), test_accuracy, seconds))
        if on_epoch is not None:
            on_epoch(list(history))
    return history
