"""Train a small ConvNet on the 8×8 digits with convlesson.nn, and time a training step against PyTorch.

Run ``python benchmarks/bench_train.py``. It prints:

1. the training run, epoch by epoch (mean loss, test accuracy, seconds so far),
   the time to reach 95 % test accuracy and the final test accuracy;
2. the median time of one training step (forward, backward and Adam update
   on a batch of 64, float32) in convlesson and, if installed, in PyTorch
   on the same network, and their ratio; for this network and for the
   lesson's network on 3×32×32 images.

The network is the one the "Train a ConvNet" page (docs/convnet.ipynb) trains::

    Conv2d(1, 16, 5, padding=2) - ReLU - MaxPool2d(2)       8×8 → 4×4
    Conv2d(16, 32, 3, padding=1) - ReLU - MaxPool2d(2)      4×4 → 2×2
    Flatten - Linear(128, 10)

trained with Adam (lr 0.01) in batches of 64.

Everything runs on one thread (numpy's BLAS and PyTorch), as in the
browser, where Pyodide has no threads; set ``BENCH_THREADS`` to change that.
On a busy machine more threads can be much slower: OpenBLAS's threads spin
waiting for each other on these small matrices.
"""

from __future__ import annotations

import os
import statistics
import time

THREADS = os.environ.get("BENCH_THREADS", "1")
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = THREADS  # read when numpy and torch load, so set before importing them

import numpy as np  # noqa: E402  (after the thread settings)

from convlesson import nn  # noqa: E402
from convlesson.data import digits_split  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

EPOCHS = 10
BATCH = 64
LR = 1e-2
TARGET = 0.95
STEPS = 300  # timed training steps per library, after a warm-up


def convnet(layers):
    """The digits network, built from ``convlesson.nn`` or ``torch.nn`` (same names and arguments)."""
    return layers.Sequential(
        layers.Conv2d(1, 16, 5, padding=2), layers.ReLU(), layers.MaxPool2d(2),
        layers.Conv2d(16, 32, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
        layers.Flatten(), layers.Linear(128, 10),
    )


def lesson_network(layers):
    """The lesson's network for 3×32×32 images, from ``convlesson.nn`` or ``torch.nn``."""
    return layers.Sequential(
        layers.Conv2d(3, 32, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
        layers.Conv2d(32, 64, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
        layers.Flatten(), layers.Linear(4096, 10),
    )


def median_ms(step, repeats=STEPS, warm_up=20):
    """Median wall time of ``step()`` in milliseconds, after ``warm_up`` untimed calls."""
    for _ in range(warm_up):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def train(train_set, test_set):
    """Train the digits network with convlesson; print each epoch and the time to reach TARGET."""
    nn.manual_seed(0)
    model = convnet(nn)
    optimizer = nn.Adam(model.parameters(), lr=LR)
    history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, train_set, test_set,
                     epochs=EPOCHS, batch_size=BATCH, rng=0)
    print("epoch   loss    test acc   seconds")
    for r in history:
        print(f"{r.epoch:5d}   {r.loss:.3f}   {r.test_accuracy:7.1%}   {r.seconds:7.2f}")
    reached = next((r for r in history if r.test_accuracy >= TARGET), None)
    if reached is None:
        print(f"\ndid not reach {TARGET:.0%} test accuracy in {EPOCHS} epochs")
    else:
        print(f"\nreached {TARGET:.0%} test accuracy after epoch {reached.epoch}: "
              f"{reached.seconds:.2f} s")
    last = history[-1]
    print(f"final test accuracy {last.test_accuracy:.1%} after {EPOCHS} epochs: {last.seconds:.2f} s")


def convlesson_step(network, x, y):
    """One convlesson training step of ``network`` on (x, y), as a function of no arguments."""
    nn.manual_seed(1)
    model, loss_fn = network(nn), nn.CrossEntropyLoss()
    optimizer = nn.Adam(model.parameters(), lr=LR)
    return lambda: nn.train_step(model, loss_fn, optimizer, x, y)


def torch_step(network, x, y):
    """One PyTorch training step of ``network`` on (x, y), as a function of no arguments."""
    torch.set_num_threads(int(THREADS))
    torch.manual_seed(1)
    model, loss_fn = network(torch.nn), torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return step


def main():
    train_set, test_set = digits_split()
    print(f"digits: {len(train_set[1])} training and {len(test_set[1])} test images of 8×8; "
          f"batch {BATCH}, Adam(lr={LR}), {THREADS} thread(s)\n")
    train(train_set, test_set)

    print(f"\none training step (forward + backward + Adam, batch {BATCH}, float32), median:")
    print(f"{'network':<28}{'convlesson':>12}{'PyTorch':>12}{'ratio':>8}")
    digits = train_set[0][:BATCH], train_set[1][:BATCH]
    rgb = np.random.default_rng(0).random((BATCH, 3, 32, 32), dtype=np.float32), digits[1]
    for name, network, (x, y), repeats in [
        ("digits ConvNet, 1×8×8", convnet, digits, STEPS),
        ("lesson network, 3×32×32", lesson_network, rgb, STEPS // 10),
    ]:
        ours = median_ms(convlesson_step(network, x, y), repeats)
        if torch is None:
            print(f"{name:<28}{ours:>9.2f} ms{'not installed':>20}")
            continue
        theirs = median_ms(torch_step(network, x, y), repeats)
        print(f"{name:<28}{ours:>9.2f} ms{theirs:>9.2f} ms{ours / theirs:>7.1f}×")
    if torch is not None:
        print(f"(torch {torch.__version__}; ratio = convlesson time / PyTorch time)")


if __name__ == "__main__":
    main()
