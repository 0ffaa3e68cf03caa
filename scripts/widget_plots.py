"""Static renderings of the interactive figures, for readers without JavaScript.

Each ``NAME(data)`` draws the default state of widget ``NAME`` from the data `widget_data`
computed with convlesson, and returns ``(png_bytes, alt_text)``; `network_shapes` returns an
HTML table instead. Figures are made with ``matplotlib.figure.Figure``, not pyplot, so that
nothing touches the pyplot state the build's cells use. Helpers take the Axes first and return
what they drew, in the explicit Axes style.
"""

from __future__ import annotations

import html
import io

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import convlesson as cl
import widget_data

# The legend of every figure (widgets.css holds the same colours for the page's light scheme).
BLUE, ORANGE, TEAL, VIOLET = "#2563eb", "#f97316", "#0d9488", "#7c3aed"
INK, MUTED, PAPER = "#1f2937", "#6b7280", "#ffffff"
DIVERGING = LinearSegmentedColormap.from_list("violet_white_teal", [VIOLET, PAPER, TEAL])
DPI = 144


def tint(color, amount):
    """``color`` mixed into white: 0 is white, 1 the colour itself."""
    return tuple(1 - amount * (1 - c) for c in to_rgb(color))


def ink_on(face):
    """Dark text on light fills, white text on dark ones."""
    r, g, b = to_rgb(face)
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else PAPER


def number(value) -> str:
    """A value as the page shows it: at most two decimals, a true minus sign."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


def paren(text: str) -> str:
    """A negative number in parentheses, so that (−1)·0 does not read as −(1·0)."""
    return f"({text})" if text.startswith("−") else text


def draw_cells(ax, values, x, y, faces, *, edge="#ffffff", text=True, size=10, linestyle="-"):
    """Draw a grid of unit squares with top-left corner at (x, y) (y grows downwards).

    ``faces`` is one colour or a grid of colours like ``values``; returns the patches.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    single = isinstance(faces, str) or (isinstance(faces, tuple) and np.isscalar(faces[0]))
    patches = []
    for (i, j), value in np.ndenumerate(values):
        face = faces if single else faces[i][j]
        patch = Rectangle((x + j, y + i), 1, 1, facecolor=face, edgecolor=edge, linewidth=1.2,
                          linestyle=linestyle)
        ax.add_patch(patch)
        patches.append(patch)
        if text and not np.isnan(value):
            ax.text(x + j + 0.5, y + i + 0.52, number(value), ha="center", va="center",
                    fontsize=size, color=ink_on(face))
    return patches


def outline(ax, x, y, width, height, color, linewidth=3):
    """A rectangle's outline (the kernel's window); returns the patch."""
    patch = Rectangle((x, y), width, height, fill=False, edgecolor=color, linewidth=linewidth)
    ax.add_patch(patch)
    return patch


def label(ax, x, y, text, **kwargs):
    """A label in the figure's muted colour; returns the Text."""
    return ax.text(x, y, text, color=kwargs.pop("color", MUTED), fontsize=kwargs.pop("fontsize", 10),
                   **kwargs)


def canvas(width, height, xlim, ylim):
    """A Figure with one frameless Axes whose y axis points down, like the page's grids."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    ax.set_xlim(*xlim)
    ax.set_ylim(ylim[1], ylim[0])
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None}, facecolor=PAPER)
    return buffer.getvalue()


def intensity_faces(values, color, low=0.0, high=1.0):
    """Tints of ``color`` for each value, from white at ``low`` to full at ``high``."""
    span = (high - low) or 1.0
    return [[tint(color, 0.08 + 0.92 * float(np.clip((v - low) / span, 0, 1))) for v in row]
            for row in np.atleast_2d(values)]


def signed_faces(values):
    """Teal for positive values, violet for negative, paler nearer zero."""
    values = np.atleast_2d(np.asarray(values, float))
    top = np.abs(values).max() or 1.0
    return [[tint(TEAL if v >= 0 else VIOLET, 0.1 + 0.9 * abs(v) / top) for v in row] for row in values]


# ---------------------------------------------------------------------------------------------


def sliding_1d(data):
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


def feature_map_view(feature_map, weights):
    """How the page shows a feature map: brightness divided by the kernel's sum, or, for kernels
    summing to zero (edges), violet below zero and teal above, by the square root of |value|.
    Returns (array, cmap, vmin, vmax)."""
    total = float(np.sum(weights))
    if abs(total) > 1e-9:
        return feature_map / total, "gray", 0.0, 1.0
    top = float(np.abs(feature_map).max()) or 1.0
    lifted = np.sign(feature_map) * np.sqrt(np.abs(feature_map) / top)  # faint edges show
    return lifted, DIVERGING, -1.0, 1.0


def kernel_explorer(data):
    name = data["kernel"]
    weights = np.array(data["kernels"][name]["weights"])
    image = np.frombuffer(data["image"]["pixels"], "<f8").reshape(data["image"]["height"], data["image"]["width"])
    feature_map = cl.conv2d(image, weights, padding=1)
    fig = Figure(figsize=(7, 2.7), dpi=DPI, layout="constrained")
    left, middle, right = fig.subplots(1, 3, width_ratios=[1, 0.62, 1])
    left.imshow(image, cmap="gray", vmin=0, vmax=1)
    left.set_title("input", color=BLUE, fontsize=11)
    view, cmap, vmin, vmax = feature_map_view(feature_map, weights)
    right.imshow(view, cmap=cmap, vmin=vmin, vmax=vmax)
    right.set_title("feature map", color=TEAL, fontsize=11)
    middle.set_xlim(-0.2, 3.2)
    middle.set_ylim(3.6, -0.8)
    middle.set_aspect("equal")
    draw_cells(middle, weights, 0, 0, tint(ORANGE, 0.3), size=11)
    middle.set_title(f"kernel: {name}", color=ORANGE, fontsize=11)
    for ax, color in ((left, BLUE), (right, TEAL)):
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(color)
            spine.set_linewidth(2)
    middle.axis("off")
    alt = (f"The {data['image']['name']} image, {image.shape[0]}×{image.shape[1]} pixels, the "
           f"{name} kernel {weights.astype(float).round(3).tolist()}, and the feature map "
           f"it gives, with values from {number(feature_map.min())} to {number(feature_map.max())}.")
    return png(fig), alt


def stride_padding(data):
    size, k, s, p = data["size"], data["kernel"], data["stride"], data["padding"]
    out = cl.output_size(size, k, stride=s, padding=p)
    padded = size + 2 * p
    fig, ax = canvas(6.4, 3.4, (-0.3, padded + out + 2.3), (-0.9, max(padded, out) + 1.4))
    faces = [["#f3f4f6" if min(i, j) < p or max(i, j) >= p + size else tint(BLUE, 0.35)
              for j in range(padded)] for i in range(padded)]
    draw_cells(ax, np.zeros((padded, padded)), 0, 0, faces, text=False)
    for i in range(padded):
        for j in range(padded):
            if min(i, j) < p or max(i, j) >= p + size:
                label(ax, j + 0.5, i + 0.55, "0", ha="center", va="center", fontsize=9)
    outline(ax, 0, 0, k, k, ORANGE, linewidth=3.5)
    x0 = padded + 2
    out_faces = [[tint(TEAL, 0.8 if (i, j) == (0, 0) else 0.3) for j in range(out)] for i in range(out)]
    draw_cells(ax, np.zeros((out, out)), x0, (padded - out) / 2, out_faces, text=False)
    label(ax, 0, -0.3, f"input {size}×{size}, padding {p}", color=BLUE)
    label(ax, x0, (padded - out) / 2 - 0.3, f"output {out}×{out}", color=TEAL)
    label(ax, 0, padded + 1.0, f"⌊({size} − {k} + 2·{p}) / {s}⌋ + 1 = {out}", color=INK, fontsize=12)
    alt = (f"A {size}×{size} input (blue) with {p} pixel(s) of zero padding, the {k}×{k} kernel "
           f"(orange) at its first position, and the {out}×{out} output (teal) that stride {s} "
           f"gives: ⌊({size} − {k} + 2·{p}) / {s}⌋ + 1 = {out}.")
    return png(fig), alt


def output_size(data):
    w, k, p, s, d = (data[key] for key in ("size", "kernel", "padding", "stride", "dilation"))
    out = cl.output_size(w, k, stride=s, padding=p, dilation=d)
    padded = w + 2 * p
    last = (out - 1) * s + d * (k - 1)
    fig, ax = canvas(6.4, 2.0 + 0.32 * out, (-0.3, padded + 0.3), (-0.5 - 0.55 * out, 3.0))
    faces = ["#f3f4f6" if i < p or i >= p + w else tint(BLUE, 0.35) if i <= last else "#fde2e2"
             for i in range(padded)]
    draw_cells(ax, np.zeros((1, padded)), 0, 0, [faces], text=False)
    for i in range(padded):
        label(ax, i + 0.5, 0.55, str(i - p), ha="center", va="center", fontsize=9,
              color=INK if p <= i < p + w else MUTED)
    for n in range(out):
        start = n * s
        y = -0.35 - 0.5 * n
        ax.plot([start + 0.5, start + d * (k - 1) + 0.5], [y, y], color=ORANGE, linewidth=2.5)
        ax.plot([start + 0.5 + d * t for t in range(k)], [y] * k, "o", color=ORANGE, markersize=4)
    unused = [i - p for i in range(last + 1, padded) if p <= i < p + w]
    listed = ", ".join(map(str, unused))
    note = (f"column{'s' if len(unused) > 1 else ''} {listed} never read" if unused
            else "every column is read")
    label(ax, 0, 1.8, f"⌊({w} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = {out};  {note}",
          color=INK, fontsize=11)
    alt = (f"An input of {w} columns, padding {p}, kernel {k}, stride {s}, dilation {d}: the "
           f"{out} kernel positions are drawn above the columns. "
           + (f"The floor leaves input column{'s' if len(unused) > 1 else ''} {listed} unread." if unused
              else "Every input column is read."))
    return png(fig), alt


WINDOW_COLORS = ["#3b82f6", "#f59e0b", "#10b981", "#ec4899"]  # one colour per 2×2 window


def pooling(data):
    example = data["examples"][0]
    x = np.array(example["input"], float)
    mode = data["mode"]
    pooled = np.array(example[mode])
    fig, ax = canvas(5.6, 2.8, (-0.2, 8.2), (-0.9, 4.2))
    faces = [[tint(WINDOW_COLORS[2 * (i // 2) + j // 2], 0.3) for j in range(4)] for i in range(4)]
    draw_cells(ax, x, 0, 0, faces, size=12)
    if mode == "max":
        for i, row in enumerate(example["argmax"]):
            for j, (r, c) in enumerate(row):
                outline(ax, c + 0.08, r + 0.08, 0.84, 0.84, WINDOW_COLORS[2 * i + j], linewidth=2.5)
    ax.annotate("", (5.6, 2), (4.4, 2), arrowprops={"arrowstyle": "->", "color": MUTED, "lw": 1.5})
    out_faces = [[tint(WINDOW_COLORS[2 * i + j], 0.65) for j in range(2)] for i in range(2)]
    draw_cells(ax, pooled, 6, 1, out_faces, size=12)
    title = "max pooling, 2×2, stride 2" if mode == "max" else "average pooling, 2×2, stride 2"
    label(ax, 0, -0.35, title, color=INK, fontsize=11)
    alt = (f"A 4×4 grid {example['input']} split into four coloured 2×2 windows; "
           f"{'max' if mode == 'max' else 'average'} pooling turns it into the 2×2 grid "
           f"[{'; '.join(', '.join(number(v) for v in row) for row in pooled)}].")
    return png(fig), alt


def network_shapes(data) -> str:
    """The layer table as HTML: each layer's output shape and parameter count."""
    rows = [f"<tr><td>input</td><td>{'×'.join(map(str, data['input']))}</td><td>–</td></tr>"]
    for row in data["rows"]:
        rows.append(f"<tr><td><code>{html.escape(row['name'])}</code></td>"
                    f"<td>{'×'.join(map(str, row['shape']))}</td><td>{row['params']:,}</td></tr>")
    total = sum(row["params"] for row in data["rows"])
    return (
        '<table class="cl-widget__table">'
        "<caption>Each layer's output shape (channels×height×width) and parameters</caption>"
        "<thead><tr><th>layer</th><th>output shape</th><th>parameters</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>"
        f"<tfoot><tr><td>total</td><td></td><td>{total:,}</td></tr></tfoot></table>"
    )


def conv_playground(data):
    image = np.array(data["images"][data["image"]]["pixels"])
    kernel = np.array(data["kernels"][data["kernel"]]["weights"])
    s, p = data["stride"], data["padding"]
    steps = cl.conv_steps(image, kernel, stride=s, padding=p)
    step = steps[0]
    out_h = steps[-1].out_index[0] + 1
    out_w = steps[-1].out_index[1] + 1
    padded = np.pad(image, p)
    n = padded.shape[0]
    fig, ax = canvas(7, 3.9, (-0.2, n + out_w + 1.7), (-0.9, n + 0.2))
    draw_cells(ax, padded, 0, 0, intensity_faces(padded, BLUE), size=8)
    outline(ax, step.origin[1], step.origin[0], 3, 3, ORANGE, linewidth=3.5)
    output = np.full((out_h, out_w), np.nan)
    output[step.out_index] = step.total
    faces = [["#f3f4f6"] * out_w for _ in range(out_h)]
    faces[step.out_index[0]][step.out_index[1]] = tint(TEAL, 0.6)
    x0 = n + 1.5
    draw_cells(ax, output, x0, (n - out_h) / 2, faces, size=9)
    label(ax, 0, -0.3, f"input ({data['image']}), kernel {data['kernel']}", color=BLUE)
    label(ax, x0, (n - out_h) / 2 - 0.3, f"output {out_h}×{out_w}", color=TEAL)
    alt = (f"The {image.shape[0]}×{image.shape[1]} {data['image']} image as numbers (blue), the "
           f"{data['kernel']} kernel's window (orange) at its first position, and the "
           f"{out_h}×{out_w} output (teal) with its first value, {number(step.total)}.")
    return png(fig), alt


RENDER = {name: globals()[name] for name in widget_data.SPECS}
