"""Networks drawn: activation shapes layer by layer, dense against convolutional wiring, a residual block."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon
from matplotlib.path import Path

from .. import architectures
from ..shapes import conv2d_params, linear_params, output_size
from .figures import axes_or_new, figure
from .schemes import opaque, palette, rgba


def _short(layer):
    """A two-word name for a layer in `network_shapes`."""
    if isinstance(layer, architectures.Conv):
        return f"conv {layer.kernel_size}×{layer.kernel_size}"
    if isinstance(layer, architectures.Pool):
        return f"{layer.mode} pool {layer.kernel_size}"
    if isinstance(layer, architectures.AdaptiveAvgPool):
        return "avg pool"
    if isinstance(layer, architectures.Linear):
        return "linear"
    if isinstance(layer, architectures.Inception):
        return "inception"
    if isinstance(layer, architectures.BasicBlock):
        return "residual"
    return type(layer).__name__.lower()


_PASS_THROUGH = (architectures.ReLU, architectures.BatchNorm, architectures.Dropout, architectures.InceptionAux)


def network_shapes(ax, layers=None, input_shape=None):
    """The activations of a network as boxes: H×W shrinks, channels grow, then a vector of scores.

    Each image-shaped activation ``(C, H, W)`` is a box, H tall, W deep
    (drawn slanted) and C wide (on a square-root scale); a vector ``(F,)`` is
    a thin bar whose height grows with log F. Each box is labelled with the
    layer that made it and its shape, as `architectures.summary` gives it;
    ReLU, BatchNorm and dropout keep the shape and are folded into the box
    before them ("conv 3×3 + ReLU"). The input is blue, the rest teal;
    an orange square marks the kernel window of each convolution.

    Parameters
    ----------
    ax : Axes or None
    layers : str, Network or list of layer specs, optional
        Default ``architectures.seed_net()``.
    input_shape : tuple of int, optional
        Needed for a plain list of specs.

    Returns
    -------
    dict
        ``boxes`` (list of lists of Polygon, one list per box), ``labels``
        (list of Text: the shapes, in `architectures.format_shape` form),
        ``names`` (list of Text), ``shapes`` (list of tuple, input first).
    """
    ax = axes_or_new(ax, "network_shapes")
    net = architectures.network(layers if layers is not None else "seed_net", input_shape)
    summary = architectures.summary(net)
    c = palette()
    stages = [("input", net.input_shape, None)]
    for layer, row in zip(net, summary.rows):
        if isinstance(layer, _PASS_THROUGH) and len(stages) > 1:
            if isinstance(layer, architectures.ReLU) and "+" not in stages[-1][0]:
                stages[-1] = (stages[-1][0] + " + ReLU", row.output_shape, stages[-1][2])
            continue
        stages.append((_short(layer), row.output_shape, layer))

    images_ = [s for _, s, _ in stages if len(s) == 3]
    max_hw = max(max(s[1], s[2]) for s in images_)
    max_c = max(s[0] for s in images_)
    height = 3.0  # of the largest box
    vectors = [s[0] for _, s, _ in stages if len(s) == 1]
    max_f = max(vectors) if vectors else 2

    def dims(shape):
        if len(shape) == 3:
            ch, h, w = shape
            return 0.15 + 1.1 * math.sqrt(ch / max_c), height * h / max_hw, 0.5 * height * w / max_hw
        return 0.18, height * (0.25 + 0.75 * math.log(shape[0] + 1) / math.log(max_f + 1)), 0.0

    boxes, labels, names, x = [], [], [], 0.0
    previous = None
    for index, (name, shape, layer) in enumerate(stages):
        width, h, depth = dims(shape)
        color = c["input"] if index == 0 else c["output"]
        y0 = -h / 2 - depth * 0.35
        dx, dy = depth * 0.75, depth * 0.7
        front = Polygon([(x, y0), (x + width, y0), (x + width, y0 + h), (x, y0 + h)], closed=True)
        top = Polygon([(x, y0 + h), (x + dx, y0 + h + dy), (x + width + dx, y0 + h + dy), (x + width, y0 + h)])
        side = Polygon([(x + width, y0), (x + width + dx, y0 + dy), (x + width + dx, y0 + h + dy), (x + width, y0 + h)])
        faces = []
        for poly, alpha in ((side, 0.45), (top, 0.3), (front, 0.6)):
            poly.set_facecolor(rgba(color, alpha))
            poly.set_edgecolor(color)
            poly.set_linewidth(1.2)
            ax.add_patch(poly)
            faces.append(poly)
        boxes.append(faces)
        centre = x + (width + dx) / 2
        labels.append(ax.text(centre, -height / 2 - 0.75, architectures.format_shape(shape), ha="center",
                              va="top", fontsize=9, color=c["text"]))
        names.append(ax.text(centre, height / 2 + 0.9, name.replace(" + ", "\n+ "), ha="center", va="bottom",
                             fontsize=9, color=c["text"] if index else c["input"]))
        box = (x, shape, y0, h, width, dx, dy)
        if previous is not None and isinstance(layer, architectures.Conv) and len(previous[1]) == 3:
            _kernel_mark(ax, previous, layer, box, c["kernel"])
        previous = box
        x += width + dx + (1.2 if len(shape) == 3 else 0.9)
    ax.set_xlim(-0.4, x - 0.6)
    ax.set_ylim(-height / 2 - 1.6, height / 2 + 2.0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"boxes": boxes, "labels": labels, "names": names, "shapes": [s for _, s, _ in stages]}


def _kernel_mark(ax, previous, conv, box, color):
    """The kernel's window on the H×W face of the box before a conv, lines to the pixel it makes."""

    def face_point(geometry, u, v):  # u along W (slanted), v along H, in [0, 1]
        x, _, y0, h, width, dx, dy = geometry
        return (x + width + u * dx, y0 + u * dy + v * h)

    _, (_, height, width), *_ = previous
    # the window's share of the face, but at least 15% of it, so that it shows
    fu, fv = (float(np.clip(conv.kernel_size / n, 0.15, 0.5)) for n in (width, height))
    u, v = 0.5 - fu / 2, 0.5 - fv / 2
    corners = [face_point(previous, u, v), face_point(previous, u + fu, v),
               face_point(previous, u + fu, v + fv), face_point(previous, u, v + fv)]
    ax.add_patch(Polygon(corners, closed=True, facecolor=rgba(color, 0.45), edgecolor=color,
                         linewidth=1.2, zorder=5))
    target = face_point(box, 0.5, 0.5)
    lines = LineCollection([[corners[1], target], [corners[2], target]], colors=[rgba(color, 0.9)],
                           linewidths=0.9, zorder=5)
    ax.add_collection(lines)



def dense_vs_conv(ax_dense, ax_conv, n_inputs=6, kernel_size=3):
    """Wires of a fully connected layer next to those of a convolution, same inputs, same outputs.

    Left: every input pixel (blue squares) is wired to every neuron (teal),
    each wire its own weight. Right: each output sees only ``kernel_size``
    neighbours, through the same ``kernel_size`` weights everywhere (one
    colour per weight). The weight counts in the titles come from
    `convlesson.linear_params` and `convlesson.conv2d_params`, the number of
    outputs from `convlesson.output_size`.

    Parameters
    ----------
    ax_dense, ax_conv : Axes or None
    n_inputs : int, default 6
    kernel_size : int, default 3
        At most 5 (one colour per weight).

    Returns
    -------
    dict
        ``dense`` and ``conv``, each a dict of ``inputs``, ``neurons``
        (PathCollection) and ``wires`` (LineCollection, one segment per
        weight use).
    """
    if ax_dense is None or ax_conv is None:
        _, (ax_dense, ax_conv) = figure("dense_vs_conv")
    c = palette()
    weight_colors = [c["kernel"], *c["extra"], c["input"], c["muted"]]
    if not 1 <= kernel_size <= len(weight_colors):
        raise ValueError(f"kernel_size must be 1 to {len(weight_colors)}, got {kernel_size}")
    n_out = output_size(n_inputs, kernel_size)
    dense_weights = linear_params(n_inputs, n_out, bias=False)
    conv_weights = conv2d_params(1, 1, (1, kernel_size), bias=False)
    xs_in = np.arange(n_inputs, dtype=float)
    drawn = {}

    def nodes(ax, xs_out):
        inputs = ax.scatter(xs_in, np.zeros(n_inputs), marker="s", s=260, color=opaque(c["input"], 0.3),
                            edgecolors=c["input"], linewidths=1.5, zorder=3)
        neurons = ax.scatter(xs_out, np.full(len(xs_out), 2.0), marker="o", s=300,
                             color=opaque(c["output"], 0.3), edgecolors=c["output"], linewidths=1.5, zorder=3)
        ax.text(-0.7, 0, "input", ha="right", va="center", color=c["input"])
        ax.text(-0.7, 2, "output", ha="right", va="center", color=c["output"])
        ax.set_xlim(-2.3, n_inputs - 0.5)
        ax.set_ylim(-0.45, 2.45)
        ax.set_axis_off()
        return inputs, neurons

    # fully connected: outputs spread over the same width
    xs_dense = np.linspace(0, n_inputs - 1, n_out + 2)[1:-1]
    inputs, neurons = nodes(ax_dense, xs_dense)
    segments = [[(xi, 0.0), (xo, 2.0)] for xo in xs_dense for xi in xs_in]
    wires = LineCollection(segments, colors=[rgba(c["muted"], 0.75)], linewidths=1.0, zorder=1)
    ax_dense.add_collection(wires)
    ax_dense.set_title(f"Fully connected\n{n_inputs} × {n_out} = {dense_weights} weights, one per wire")
    drawn["dense"] = {"inputs": inputs, "neurons": neurons, "wires": wires}

    # convolution: output j sits over its window, wire t has weight w_t
    xs_conv = np.arange(n_out) + (kernel_size - 1) / 2
    inputs, neurons = nodes(ax_conv, xs_conv)
    segments, colors = [], []
    for j, xo in enumerate(xs_conv):
        for t in range(kernel_size):
            segments.append([(j + t, 0.0), (xo, 2.0)])
            colors.append(weight_colors[t])
    wires = LineCollection(segments, colors=colors, linewidths=2.2, zorder=1)
    ax_conv.add_collection(wires)
    handles = [Line2D([], [], color=weight_colors[t], linewidth=2.2, label=f"$w_{t + 1}$")
               for t in range(kernel_size)]
    ax_conv.legend(handles=handles, loc="center left", bbox_to_anchor=(0.0, 0.5), frameon=False,
                   handlelength=1.4, fontsize=9)
    ax_conv.set_title(f"Convolution\n{conv_weights} weights, shared by every position")
    drawn["conv"] = {"inputs": inputs, "neurons": neurons, "wires": wires}
    return drawn


def residual_block(ax):
    """A residual block: two weight layers compute F(x), a shortcut carries x around them, y = F(x) + x.

    Returns
    -------
    dict
        ``layers`` (list of FancyBboxPatch), ``arrows`` (list of
        FancyArrowPatch, the shortcut last), ``plus`` (Circle), ``texts``
        (list of Text).
    """
    ax = axes_or_new(ax, "residual_block")
    c = palette()
    arrow = dict(arrowstyle="-|>", mutation_scale=14, linewidth=1.6, color=c["text"], zorder=2)
    layers, texts = [], []
    ys = {"x": 5.6, "layer1": 4.2, "layer2": 2.4, "plus": 1.0, "out": 0.0}
    for key, label in (("layer1", "weight layer (conv 3×3)"), ("layer2", "weight layer (conv 3×3)")):
        box = FancyBboxPatch((-1.5, ys[key] - 0.35), 3.0, 0.7, boxstyle="round,pad=0.02,rounding_size=0.15",
                             facecolor=rgba(c["kernel"], 0.25), edgecolor=c["kernel"], linewidth=1.5, zorder=3)
        ax.add_patch(box)
        layers.append(box)
        texts.append(ax.text(0, ys[key], label, ha="center", va="center", fontsize=10, zorder=4))
    texts.append(ax.text(0, ys["x"] + 0.1, "$x$", ha="center", va="bottom", fontsize=14, color=c["input"]))
    plus = Circle((0, ys["plus"]), 0.28, facecolor=rgba(c["output"], 0.25), edgecolor=c["output"],
                  linewidth=1.5, zorder=3)
    ax.add_patch(plus)
    texts.append(ax.text(0, ys["plus"], "+", ha="center", va="center", fontsize=15, zorder=4))
    arrows = [
        FancyArrowPatch((0, ys["x"]), (0, ys["layer1"] + 0.37), **arrow),
        FancyArrowPatch((0, ys["layer1"] - 0.37), (0, ys["layer2"] + 0.37), **arrow),
        FancyArrowPatch((0, ys["layer2"] - 0.37), (0, ys["plus"] + 0.3), **arrow),
        FancyArrowPatch((0, ys["plus"] - 0.3), (0, ys["out"] - 0.35), **arrow),
    ]
    texts.append(ax.text(0.12, (ys["layer1"] + ys["layer2"]) / 2, "ReLU", ha="left", va="center", fontsize=9))
    texts.append(ax.text(0, ys["out"] - 0.45, r"$y = \mathrm{ReLU}(F(x) + x)$", ha="center", va="top",
                         fontsize=12, color=c["output"]))
    texts.append(ax.text(-1.75, (ys["layer1"] + ys["layer2"]) / 2, "$F(x)$", ha="right", va="center",
                         fontsize=13, color=c["kernel"]))
    shortcut = Path([(0, ys["x"] - 0.35), (2.3, ys["x"] - 0.35), (2.3, ys["plus"]), (0.3, ys["plus"])])
    arrows.append(FancyArrowPatch(path=shortcut, arrowstyle="-|>", mutation_scale=14, linewidth=2.0,
                                  color=c["input"], zorder=2))
    texts.append(ax.text(2.42, (ys["x"] + ys["plus"]) / 2, "identity\nshortcut: $x$", ha="left",
                         va="center", fontsize=10, color=c["input"]))
    for a in arrows:
        ax.add_patch(a)
    ax.set_xlim(-2.6, 4.2)
    ax.set_ylim(-1.2, 6.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"layers": layers, "arrows": arrows, "plus": plus, "texts": texts}


def receptive_field_growth(fig, layers="seed_net", size=32, image=None):
    """Which input pixels one unit of each layer sees: one panel per conv or pool layer.

    Each panel shows the ``size``×``size`` input (a gray photo, or
    ``image``) with the receptive field of one unit of that layer outlined in
    orange: the unit nearest the middle of the image, its field computed by
    `convlesson.receptive_field` (output ``i`` of a layer sees input pixels
    ``i·jump − padding`` to ``i·jump − padding + rf − 1``, on both axes).
    Pixels of the field that fall on the zero padding, outside the image, are
    cut off at the image's border.

    Parameters
    ----------
    fig : Figure, SubFigure or None
    layers : str or list, default 'seed_net'
        A network of `convlesson.architectures`, or a list of
        ``(kernel, stride, padding, dilation)`` as `convlesson.receptive_field` takes.
    size : int, default 32
        The input's height and width.
    image : array_like, shape (size, size), optional
        Default ``images.photo(size)``.

    Returns
    -------
    dict
        ``fields`` (list of ReceptiveField), ``names`` (list of str),
        ``units`` (list of int: the unit outlined, its index along each axis),
        ``windows`` (list of (first row, first col, last row, last col) of the
        outlined pixels, in the image), ``rectangles`` (list of Rectangle).
    """
    from .. import images
    from ..shapes import receptive_field
    from .cells import draw_window

    if fig is None:
        fig, _ = figure("receptive_field_growth")
    if isinstance(layers, str):
        named = architectures.receptive_fields(layers)
        names, fields = [n for n, _ in named], [f for _, f in named]
        specs = architectures.rf_layers(layers)
    else:
        specs = [tuple(layer) if isinstance(layer, (tuple, list)) else (layer,) for layer in layers]
        fields = receptive_field(specs)
        names = [f"layer {f.layer}" for f in fields]
    image = images.photo(size) if image is None else np.asarray(image, dtype=float)
    axes = np.atleast_1d(fig.subplots(1, len(fields), squeeze=False)).ravel()
    c = palette()
    length = size  # the number of units along one axis, layer by layer
    drawn = {"fields": fields, "names": names, "units": [], "windows": [], "rectangles": []}
    for ax, name, field, spec in zip(axes, names, fields, specs):
        k, s, p, d = (tuple(spec) + (1, 0, 1)[len(spec) - 1:])[:4]
        length = output_size(length, k, stride=s, padding=p, dilation=d)
        # the unit whose field is centred nearest the image's middle
        unit = int(np.clip(round((size / 2 - field.rf / 2 + field.padding) / field.jump), 0, length - 1))
        first = unit * field.jump - field.padding
        lo, hi = max(first, 0), min(first + field.rf - 1, size - 1)
        ax.imshow(image, cmap="gray", alpha=0.55, extent=(0, size, size, 0), interpolation="nearest")
        drawn["rectangles"].append(draw_window(ax, lo, lo, hi - lo + 1, hi - lo + 1))
        drawn["windows"].append((lo, lo, hi, hi))
        drawn["units"].append(unit)
        ax.set_xlim(0, size)
        ax.set_ylim(size, 0)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color(c["muted"])
        ax.set_title(f"{name}\nsees {field.rf}×{field.rf}", fontsize=10)
    return drawn
