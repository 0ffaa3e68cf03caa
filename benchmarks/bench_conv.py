"""Time convlesson.conv2d against scipy, PyTorch (if installed) and a naive loop.

Run ``python benchmarks/bench_conv.py``. Prints one Markdown table per dtype:
the median time in milliseconds of each way to compute the same convolution
(checked to agree first), and the ratio of convlesson's time to the faster of
scipy and PyTorch.

Cases:

(a) a 256×256 gray image and one 3×3 kernel;
(b) a 3×224×224 image through 32 filters of 3×3×3, stride 1, padding 1;
(c) a batch of 64 1×28×28 images through 8 filters of 1×5×5.

scipy has no multi-channel convolution layer: its times are the faster of
``scipy.signal.correlate2d`` and ``scipy.ndimage.correlate``, called once per
(image, output channel, input channel) and summed over the input channels.

numpy's BLAS and PyTorch use every core by default. For single-threaded
numbers (what the browser gets) run
``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_conv.py``.
Multi-threaded timings are easily upset by other work on the machine.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
import scipy.ndimage
import scipy.signal

import convlesson as cl

try:
    import torch
except ImportError:
    torch = None

CASES = {
    "(a) 256×256 ⋆ 3×3": dict(x=(256, 256), w=(3, 3), padding=0),
    "(b) 3×224×224 ⋆ 32×3×3×3, p=1": dict(x=(3, 224, 224), w=(32, 3, 3, 3), padding=1),
    "(c) 64×1×28×28 ⋆ 8×1×5×5": dict(x=(64, 1, 28, 28), w=(8, 1, 5, 5), padding=0),
}


def median_ms(func, repeats, warm_up=True):
    """Median wall time of ``func()`` in milliseconds, after one untimed call if ``warm_up``."""
    if warm_up:
        func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def as_batch(x, w):
    """The arguments as (N, C_in, H, W) and (C_out, C_in, kH, kW)."""
    if x.ndim == 2:
        return x[None, None], w[None, None]
    return (x[None] if x.ndim == 3 else x), w


def scipy_correlate2d(x, w, padding):
    """Correlate channel by channel with scipy.signal.correlate2d, summing over input channels."""
    x, w = as_batch(x, w)
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    return np.array(
        [
            [
                sum(scipy.signal.correlate2d(image[c], f[c], mode="valid") for c in range(len(f)))
                for f in w
            ]
            for image in x
        ]
    )


def scipy_ndimage(x, w, padding):
    """Correlate channel by channel with scipy.ndimage.correlate (zero borders), keeping the valid part."""
    x, w = as_batch(x, w)
    kh, kw = w.shape[2:]
    # ndimage centres the kernel; these slices keep the positions where it fits in the padded input.
    top, left = kh // 2 - padding, kw // 2 - padding
    rows = slice(top, top + x.shape[2] + 2 * padding - kh + 1)
    cols = slice(left, left + x.shape[3] + 2 * padding - kw + 1)
    return np.array(
        [
            [
                sum(
                    scipy.ndimage.correlate(image[c], f[c], mode="constant")[rows, cols]
                    for c in range(len(f))
                )
                for f in w
            ]
            for image in x
        ]
    )


def naive(x, w, padding):
    """The definition, one output number at a time."""
    x, w = as_batch(x, w)
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    kh, kw = w.shape[2:]
    out = np.zeros((x.shape[0], w.shape[0], x.shape[2] - kh + 1, x.shape[3] - kw + 1), x.dtype)
    for n in range(out.shape[0]):
        for o in range(out.shape[1]):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    out[n, o, i, j] = (x[n, :, i : i + kh, j : j + kw] * w[o]).sum()
    return out


def ways(x, w, padding):
    """Each way to compute the convolution, as a function of no arguments."""
    funcs = {
        "convlesson": lambda: cl.conv2d(x, w, padding=padding),
        "scipy correlate2d": lambda: scipy_correlate2d(x, w, padding),
        "scipy ndimage": lambda: scipy_ndimage(x, w, padding),
        "naive loop": lambda: naive(x, w, padding),
    }
    if torch is not None:
        tx, tw = as_batch(torch.from_numpy(x), torch.from_numpy(w))
        funcs["torch"] = lambda: torch.nn.functional.conv2d(tx, tw, padding=padding)
    return funcs


def run(dtype):
    """Time every case in one dtype; return the table rows.

    The timings are grouped by library, with a pause in between: numpy's
    OpenBLAS and PyTorch's OpenMP threads keep spinning for a moment after
    their work, and on a machine with few cores they would slow each other
    down if interleaved.
    """
    rng = np.random.default_rng(0)
    cases = {}
    for name, case in CASES.items():
        x = rng.standard_normal(case["x"]).astype(dtype)
        w = rng.standard_normal(case["w"]).astype(dtype)
        cases[name] = ways(x, w, case["padding"])
        expected = np.asarray(cases[name]["naive loop"]())
        tol = 1e-9 if dtype == np.float64 else 1e-3
        for label, func in cases[name].items():
            got = np.asarray(func()).reshape(expected.shape)
            np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=label)
    ms = {name: {} for name in cases}
    for label in cases[next(iter(cases))]:
        time.sleep(1.0)
        for name, funcs in cases.items():
            slow = label == "naive loop"  # seconds per call: time it once
            ms[name][label] = median_ms(funcs[label], 1 if slow else 50, warm_up=not slow)
    rows = []
    for name, t in ms.items():
        scipy_best = min(t["scipy correlate2d"], t["scipy ndimage"])
        best = min(scipy_best, t.get("torch", np.inf))
        rows.append(
            (
                name,
                t["convlesson"],
                scipy_best,
                t.get("torch"),
                t["naive loop"],
                t["convlesson"] / best,
            )
        )
    return rows


def table(dtype, rows):
    """The rows as a Markdown table."""
    lines = [
        f"**{np.dtype(dtype).name}**",
        "",
        "| case | convlesson | scipy (best) | torch | naive loop | convlesson / best |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, ours, scipy_best, torch_ms, naive_ms, ratio in rows:
        torch_cell = "—" if torch_ms is None else f"{torch_ms:.2f}"
        lines.append(
            f"| {name} | {ours:.2f} | {scipy_best:.2f} | {torch_cell} | {naive_ms:,.0f} | {ratio:.2f}× |"
        )
    return "\n".join(lines)


def main():
    threads = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
    if torch is not None:
        torch.set_num_threads(threads)
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "all cores")
    print(f"median times in ms; numpy {np.__version__}, scipy {scipy.__version__}, ", end="")
    print(f"torch {torch.__version__ if torch else 'not installed'}; ", end="")
    print(f"threads: torch {threads}, numpy's BLAS {blas}\n")
    for dtype in (np.float64, np.float32):
        print(table(dtype, run(dtype)), end="\n\n")


if __name__ == "__main__":
    main()
