"""The sliding window, step by step: convolution, stride and padding, pooling."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from .._checks import padding_sides
from ..pool import avg_pool2d, max_pool2d
from ..shapes import output_size
from ..steps import Step, conv_steps
from .cells import draw_cells, draw_window, fit_fontsize, frame, number
from .colors import WINDOWS
from .figures import axes_or_new, figure
from .schemes import palette, rgba


EXAMPLE_INPUT = np.array([[3, 0, 1, 2, 7],
                          [1, 5, 8, 9, 3],
                          [2, 7, 2, 5, 1],
                          [0, 1, 3, 1, 7],
                          [4, 2, 1, 6, 2]], dtype=float)
"""The 5×5 input of `conv_step` and the lesson's worked example."""

EXAMPLE_KERNEL = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float)
"""The 3×3 kernel of `conv_step`: right column minus left column (``kernels.get('edge')``)."""


def conv_step(ax_in, ax_k, ax_out, step=0, x=None, weight=None, stride=1, padding=0):
    """One position of the kernel: the input with the window, the kernel, the output so far.

    The steps are `convlesson.conv_steps`: the window (orange) on the padded
    input (blue; padding zeros in gray), the kernel (orange) with the step's
    products added up under it, and the output (teal) filled in up to this
    step, its newest cell outlined in orange. The three panels share one cell size.

    Parameters
    ----------
    ax_in, ax_k, ax_out : Axes or None
        None for all three: a new `figure('conv_step')`.
    step : int or Step, default 0
        Which step: its index in raster order, or a record from
        ``conv_steps(x, weight, stride, padding)``.
    x : array_like, shape (H, W) or (L,), optional
        Default `EXAMPLE_INPUT`. A 1-D signal is drawn as one row.
    weight : array_like, shape (kH, kW) or (K,), optional
        Default `EXAMPLE_KERNEL`; 1-D with a 1-D ``x``.
    stride, padding : int, optional
        As in `convlesson.conv2d`.

    Returns
    -------
    dict
        ``input``, ``kernel``, ``output`` (each as `grid` returns:
        ``cells``, ``texts``), ``window`` (Rectangle on the input),
        ``current`` (Rectangle on the output), ``caption`` (Text: the
        nonzero products added up), ``step`` (the Step drawn).
    """
    if ax_in is None or ax_k is None or ax_out is None:
        _, (ax_in, ax_k, ax_out) = figure("conv_step")
    x = EXAMPLE_INPUT if x is None else np.asarray(x, dtype=float)
    weight = EXAMPLE_KERNEL if weight is None else np.asarray(weight, dtype=float)
    signal = x.ndim == 1
    if signal:  # a 1-D signal is drawn as one row: the same sums, with 2-D indices
        x, weight, stride, padding, step = _as_row(x, weight, stride, padding, step)
    steps = conv_steps(x, weight, stride, padding)
    index = _step_index(step, steps)
    current = steps[index]
    out_shape = tuple(np.max([s.out_index for s in steps], axis=0) + 1)
    pads = padding_sides(padding, weight.shape, (1, 1), (1, 1))
    c = palette()

    # input, padded: zeros around it in gray
    x_pad = np.pad(x, pads)
    inside = np.pad(np.ones(x.shape, dtype=bool), pads)
    faces = np.where(inside[..., None], rgba(c["input"], 0.16), rgba(c["muted"], 0.06))
    # one cell size and font size in all three panels
    rows = max(x_pad.shape[0], weight.shape[0] + 3, out_shape[0])
    longest = max(len(number(v)) for v in (*x_pad.ravel(), *weight.ravel(), *(s.total for s in steps)))
    size = fit_fontsize(ax_in, (rows, x_pad.shape[1]), longest)
    drawn_in = draw_cells(ax_in, x_pad, faces=faces, fontsize=size)
    for text, real in zip(drawn_in["texts"], inside.ravel()):
        if not real:
            text.set_color(c["muted"])
    window = draw_window(ax_in, *current.origin, *weight.shape)
    frame(ax_in, x_pad.shape[1], x_pad.shape[0], rows=rows)
    padded = f", padded by {max(pads[0][0], pads[1][0])}" if x_pad.shape != x.shape else ""
    ax_in.set_title(f"{_size_text(x.shape, signal)}{padded}")

    drawn_k = draw_cells(ax_k, weight, color="kernel", alpha=0.3, edge_alpha=0.9, fontsize=size)
    frame(ax_k, weight.shape[1], weight.shape[0], rows=rows)
    ax_k.set_title("kernel")
    caption = ax_k.text(weight.shape[1] / 2, weight.shape[0] + 0.35, _sum_text(current.products, current.total),
                        ha="center", va="top", fontsize=min(size, 10), color=c["text"])

    # output: filled up to this step
    values = np.full(out_shape, np.nan)
    for s in steps[: index + 1]:
        values[s.out_index] = s.total
    done = np.isfinite(values)
    faces = np.where(done[..., None], rgba(c["output"], 0.22), rgba(c["muted"], 0.04))
    drawn_out = draw_cells(ax_out, np.nan_to_num(values), faces=faces, color="output", edge_alpha=0.7,
                       fontsize=size)
    for text, filled in zip(drawn_out["texts"], done.ravel()):
        text.set_visible(bool(filled))
    i, j = current.out_index
    cell = draw_window(ax_out, i, j, 1, 1, fill=0.0)
    frame(ax_out, out_shape[1], out_shape[0], rows=rows)
    ax_out.set_title(_size_text(out_shape, signal, "output"))
    return {"input": drawn_in, "kernel": drawn_k, "output": drawn_out, "window": window,
            "current": cell, "caption": caption, "step": current}


def _as_row(x, weight, stride, padding, step):
    """A 1-D convolution's arguments for `conv_steps` on one row: (L,) → (1, L), stride s → (1, s)."""
    if weight.ndim != 1:
        raise ValueError(f"a 1-D x needs a 1-D weight (K,), got shape {weight.shape}")
    stride = (1, stride) if not isinstance(stride, (tuple, list)) else (1, *stride)
    if isinstance(padding, (tuple, list)):
        padding = (0, *padding)
    elif not isinstance(padding, str):
        padding = (0, padding)
    if isinstance(step, Step) and len(step.out_index) == 1:
        step = step._replace(out_index=(0, *step.out_index))
    return x[None], weight[None], stride, padding, step


def _size_text(shape, signal, what="input"):
    """'input 5×5', or for a signal 'input, 7 samples'."""
    return f"{what}, {shape[1]} samples" if signal else f"{what} {shape[0]}×{shape[1]}"


def _sum_text(products, total, most=5):
    """The products of one step added up, zeros left out, at most ``most`` terms a line: '$-5 + 9 - 7 = -3$'."""
    terms = [float(v) for v in np.ravel(products) if v != 0]
    if not terms:
        return "all products 0\n= 0"
    parts = [("-" if v < 0 else "+") + " " + number(abs(v)) for v in terms]
    parts[0] = parts[0].replace("+ ", "").replace("- ", "-")
    per_line = math.ceil(len(parts) / math.ceil(len(parts) / most))
    lines = [" ".join(parts[i : i + per_line]) for i in range(0, len(parts), per_line)]
    lines[-1] += f" = {number(total)}"
    return "\n".join(f"${line}$" for line in lines)


def _step_index(step, steps):
    """Index of ``step`` (an int, or a Step record) in ``steps``."""
    if isinstance(step, Step):
        for index, s in enumerate(steps):
            if s.out_index == tuple(step.out_index):
                return index
        raise ValueError(f"step {step.out_index} is not a step of this convolution")
    if not isinstance(step, (int, np.integer)) or not -len(steps) <= step < len(steps):
        raise ValueError(f"step must be an index in [0, {len(steps)}) or a Step, got {step!r}")
    return int(step) % len(steps)


def stride_padding(ax, size=5, kernel=3, stride=1, padding=0):
    """Where a kernel goes on a padded input, and the output size that follows.

    Draws the input (blue) inside its zero padding (gray, dashed), the first
    window (orange) and the next one along (dashed), a dot at the centre of
    every window position, and the output (teal) beside it: one cell per dot.
    The caption works ⌊(W − K + 2P)/S⌋ + 1 out with `convlesson.output_size`.

    Parameters
    ----------
    ax : Axes or None
    size, kernel, stride, padding : int
        ``W``, ``K``, ``S``, ``P`` (square input and kernel).

    Returns
    -------
    dict
        ``input`` and ``output`` (`grid` dicts), ``windows`` (list of
        Rectangle), ``centers`` (PathCollection, one dot per output),
        ``caption`` (Text), ``out`` (int, the output size).
    """
    ax = axes_or_new(ax, "stride_padding")
    out = output_size(size, kernel, stride, padding)
    c = palette()
    n = size + 2 * padding
    faces = np.broadcast_to(rgba(c["input"], 0.18), (n, n, 4)).copy()
    inside = np.zeros((n, n), dtype=bool)
    inside[padding : padding + size, padding : padding + size] = True
    faces[~inside] = rgba(c["muted"], 0.06)
    drawn_in = draw_cells(ax, np.zeros((n, n)), faces=faces, numbers=False)
    drawn_in["cells"].set_linestyles([(0, (3, 2)) if not v else "solid" for v in inside.ravel()])
    drawn_in["cells"].set_edgecolors([rgba(c["muted"], 0.6) if not v else rgba(c["input"], 0.7)
                                      for v in inside.ravel()])
    windows = [draw_window(ax, 0, 0, kernel, kernel, fill=0.18)]
    if out > 1:
        windows.append(draw_window(ax, 0, stride, kernel, kernel, dashed=True, fill=0.0))
    centers_xy = (np.arange(out) * stride + kernel / 2)
    gx, gy = np.meshgrid(centers_xy, centers_xy)
    centers = ax.scatter(gx.ravel(), gy.ravel(), s=18, color=c["kernel"], zorder=6, edgecolors="none")

    if out > 1:  # the stride, measured between the first two windows
        ax.add_patch(FancyArrowPatch((0, -0.45), (stride, -0.45), arrowstyle="<|-|>", mutation_scale=9,
                                     shrinkA=0, shrinkB=0, color=c["kernel"], linewidth=1.3))
        ax.text(stride / 2, -0.7, f"stride {stride}", ha="center", va="bottom", fontsize=9, color=c["kernel"])

    x0, y0 = n + 2.2, (n - out) / 2
    drawn_out = draw_cells(ax, np.zeros((out, out)), x0=x0, y0=y0, color="output", alpha=0.25, numbers=False)
    ox, oy = np.meshgrid(x0 + np.arange(out) + 0.5, y0 + np.arange(out) + 0.5)
    ax.scatter(ox.ravel(), oy.ravel(), s=10, color=c["kernel"], zorder=6, edgecolors="none")
    ax.text(x0 + out / 2, y0 - 0.3, f"output {out}×{out}", ha="center", va="bottom", color=c["output"])
    ax.add_patch(FancyArrowPatch((n + 0.4, n / 2), (x0 - 0.4, n / 2), arrowstyle="-|>", mutation_scale=14,
                                 color=c["muted"], linewidth=1.5))
    formula = (rf"$\lfloor (W - K + 2P)\,/\,S \rfloor + 1 = "
               rf"\lfloor ({size} - {kernel} + 2\cdot{padding})\,/\,{stride} \rfloor + 1 = {out}$")
    caption = ax.text((x0 + out) / 2, n + 0.55, formula, ha="center", va="top", fontsize=11, color=c["text"])
    padded = f" (gray: padding {padding})" if padding else ""
    ax.set_title(f"input {size}×{size}{padded}, kernel {kernel}×{kernel}, stride {stride}")
    ax.set_xlim(-0.3, x0 + out + 0.3)
    ax.set_ylim(n + 1.8, -1.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"input": drawn_in, "output": drawn_out, "windows": windows, "centers": centers,
            "caption": caption, "out": out}


def pooling(ax_in, ax_out, x=None, kernel_size=2, mode="max"):
    """Pooling windows on a small grid, each window in its own colour, and the pooled output.

    With ``mode='max'`` the winning number of each window is circled and
    written bold; the output is `convlesson.max_pool2d` (or `avg_pool2d`)
    with stride = kernel size, each cell in its window's colour.

    Parameters
    ----------
    ax_in, ax_out : Axes or None
    x : array_like, shape (H, W), optional
        Default the lesson's 4×4 grid ``[[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 1, 2], [7, 1, 3, 4]]``.
    kernel_size : int, default 2
    mode : {'max', 'avg'}

    Returns
    -------
    dict
        ``input``, ``output`` (`grid` dicts), ``winners`` (list of Circle,
        empty for 'avg').
    """
    if ax_in is None or ax_out is None:
        _, (ax_in, ax_out) = figure("pooling")
    x = np.array([[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 1, 2], [7, 1, 3, 4]], float) if x is None else np.asarray(x, float)
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    out = max_pool2d(x, kernel_size) if mode == "max" else avg_pool2d(x, kernel_size)
    c = palette()
    colors = [c[role] for role in WINDOWS]
    window_color = [[colors[2 * (i % 2) + (j % 2)] for j in range(out.shape[1])] for i in range(out.shape[0])]
    k = kernel_size
    faces = np.broadcast_to(rgba(c["muted"], 0.04), (*x.shape, 4)).copy()
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            faces[i * k : (i + 1) * k, j * k : (j + 1) * k] = rgba(window_color[i][j], 0.22)
    drawn_in = draw_cells(ax_in, x, faces=faces, color="muted", edge_alpha=0.5)
    winners = []
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            ax_in.add_patch(Rectangle((j * k, i * k), k, k, fill=False, edgecolor=window_color[i][j],
                                      linewidth=2.5, zorder=4))
            if mode == "max":
                block = x[i * k : (i + 1) * k, j * k : (j + 1) * k]
                r, q = np.unravel_index(np.argmax(block), block.shape)
                ring = Circle((j * k + q + 0.5, i * k + r + 0.5), 0.36, fill=False, linewidth=1.8,
                              edgecolor=window_color[i][j], zorder=5)
                ax_in.add_patch(ring)
                winners.append(ring)
                drawn_in["texts"][(i * k + r) * x.shape[1] + j * k + q].set_fontweight("bold")
    frame(ax_in, x.shape[1], x.shape[0])
    ax_in.set_title(f"input {x.shape[0]}×{x.shape[1]}")
    out_faces = np.array([[rgba(col, 0.3) for col in row] for row in window_color])
    drawn_out = draw_cells(ax_out, out, faces=out_faces, color="muted", edge_alpha=0.5)
    drawn_out["cells"].set_edgecolors([col for row in window_color for col in row])
    drawn_out["cells"].set_linewidth(2.5)
    for text in drawn_out["texts"]:
        text.set_fontweight("bold")
    frame(ax_out, out.shape[1], out.shape[0] + (x.shape[0] - out.shape[0]), y0=-(x.shape[0] - out.shape[0]) / 2)
    ax_out.set_title(f"{mode} pool {k}×{k}, stride {k}")
    return {"input": drawn_in, "output": drawn_out, "winners": winners}
