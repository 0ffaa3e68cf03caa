"""What each interactive figure needs from convlesson, computed at build time.

For every widget, `SPECS` holds the options an author may give on the fence, a function that
turns those options into the figure's data (plain lists and numbers, ready for ``json.dumps``)
and a function that writes the convlesson code reproducing the figure's default state (the
runnable cell under the figure). The figure's JavaScript builds the same code for whatever
state the reader has set (``code()`` in ``widgets/NAME.js``); a browser test checks that both
agree on the default state.

The numbers are convlesson's: signals and images from `convlesson.images`, kernels from
`convlesson.kernels`, steps from `convlesson.conv_steps`, pooled grids from
`convlesson.max_pool2d` and `convlesson.avg_pool2d`, sizes and parameter counts from
`convlesson.output_size`, `convlesson.conv2d_params` and `convlesson.linear_params`. What a
figure computes in the page (custom kernels, sizes as you type, an edited layer list) is done
by small JavaScript functions that ``tests/test_widget_math.py`` checks against convlesson.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import convlesson as cl

# ---------------------------------------------------------------------------------------------
# Formatting Python literals (the JavaScript side writes them the same way: widgets/code.js)


def py_number(value) -> str:
    """A number as Python source: ints without a point, floats as repr (1.0, 0.25)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def py_list(values) -> str:
    """A 1-D list of numbers: ``[-1, 0, 1]``."""
    return "[" + ", ".join(py_number(v) for v in values) + "]"


def py_array(rows, indent: int) -> str:
    """``np.array([[..], [..]])`` with one row per line, aligned under the first."""
    rows = [py_list(row) for row in rows]
    pad = " " * (indent + len("np.array(["))
    return "np.array([" + (",\n" + pad).join(rows) + "])"


# ---------------------------------------------------------------------------------------------
# 1. A 3-element kernel sliding along a signal

SIGNAL = [0, 1, 1, 4, 4, 4, 1, 0]
KERNELS_1D = {
    "slope": ([-1, 0, 1], "right minus left: the slope of the signal"),
    "smooth": ([1, 2, 1], "a weighted sum: the centre counts twice"),
    "peak": ([-1, 2, -1], "centre minus its neighbours: bumps and dips"),
}


def sliding_1d(options):
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


def sliding_1d_code(data, kernel=None, step=0):
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


# ---------------------------------------------------------------------------------------------
# 2. Kernel explorer: a kernel over the sample photo

EXPLORER_SIZE = 64
EXPLORER_IMAGES = {
    "photo": ("cl.images.photo(64)", lambda: cl.images.photo(EXPLORER_SIZE)),
    "shapes": ("cl.images.shapes(64)", lambda: cl.images.shapes(EXPLORER_SIZE)),
    "checkerboard": ("cl.images.checkerboard(64)", lambda: cl.images.checkerboard(EXPLORER_SIZE)),
    "step_edge": ("cl.images.step_edge(64)", lambda: cl.images.step_edge(EXPLORER_SIZE)),
}


def float64_bytes(array) -> bytes:
    """An array's values as little-endian float64: exact, and 8 bytes a number. The page gets
    them as a file of their own (widget_fence), not in its HTML, which they would triple."""
    return np.ascontiguousarray(array, dtype="<f8").tobytes()


def kernel_table():
    """Every kernel of `convlesson.kernels`: its 3×3 weights and what it does."""
    texts = dict(line.split(None, 1) for line in cl.kernels.describe().splitlines())
    return {name: {"weights": cl.kernels.get(name).tolist(), "text": texts[name].strip()}
            for name in cl.kernels.names()}


def kernel_explorer(options):
    name = options.get("image", "photo")
    expression, make = EXPLORER_IMAGES[name]
    image = make()
    return {
        "image": {"name": name, "code": expression, "height": image.shape[0], "width": image.shape[1],
                  "pixels": float64_bytes(image)},
        "kernels": kernel_table(),
        "kernel": options.get("kernel", "edge"),
    }


def kernel_explorer_code(data, kernel=None, weights=None, flip=False):
    name = kernel or data["kernel"]
    if weights is None:
        line = f'kernel = cl.kernels.get("{name}")'
    else:
        line = "kernel = " + py_array(weights, indent=len("kernel = "))
    function = "cl.convolve2d" if flip else "cl.conv2d"
    title = "custom kernel" if weights is not None else name
    return (
        ("import numpy as np\n" if weights is not None else "")
        + "import convlesson as cl\n"
        "import matplotlib.pyplot as plt\n\n"
        f"image = {data['image']['code']}\n"
        f"{line}\n"
        f"feature_map = {function}(image, kernel, padding=1)\n"
        'print(f"feature map {feature_map.shape}, from {feature_map.min():.2f} to {feature_map.max():.2f}")\n\n'
        'fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")\n'
        'left.imshow(image, cmap="gray")\n'
        'left.set_title("input")\n'
        'right.imshow(feature_map, cmap="gray")\n'
        f'right.set_title("{title}{" (flipped)" if flip else ""}")\n'
        "plt.show()\n"
    )


# ---------------------------------------------------------------------------------------------
# 3. Stride and padding explorer

STRIDE_PADDING = {"size": 5, "kernel": 3, "stride": 1, "padding": 0}
STRIDE_PADDING_RANGES = {"size": [3, 9], "kernel": [1, 5], "stride": [1, 3], "padding": [0, 2]}


def int_options(options, defaults, ranges):
    """The integer options of a fence, each checked against its range; defaults for the rest."""
    state = {}
    for key, default in defaults.items():
        text = options.get(key, str(default))
        low, high = ranges[key]
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(f"{key}={text!r}: give a whole number from {low} to {high}")
        state[key] = int(text)
    return state


def stride_padding(options):
    state = int_options(options, STRIDE_PADDING, STRIDE_PADDING_RANGES)
    if state["kernel"] > state["size"] + 2 * state["padding"]:
        raise ValueError(f"kernel={state['kernel']} is larger than the padded input")
    return {**state, "ranges": STRIDE_PADDING_RANGES}


def stride_padding_code(data, size=None, kernel=None, stride=None, padding=None, position=0):
    size, kernel = size or data["size"], kernel or data["kernel"]
    stride = stride or data["stride"]
    padding = data["padding"] if padding is None else padding
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"size, kernel_size, stride, padding = {size}, {kernel}, {stride}, {padding}\n"
        "out = cl.output_size(size, kernel_size, stride=stride, padding=padding)\n"
        "steps = cl.conv_steps(np.ones((size, size)), np.ones((kernel_size, kernel_size)),\n"
        "                      stride=stride, padding=padding)\n"
        'print(f"output: {out} x {out}, so {len(steps)} positions")\n\n'
        f"step = steps[{position}]  # the position shown\n"
        'print("window at", step.origin, "(row, column in the padded input)")\n'
        'print("writes output", step.out_index)\n'
    )


# ---------------------------------------------------------------------------------------------
# 4. Output-size calculator

OUTPUT_SIZE = {"size": 8, "kernel": 3, "padding": 0, "stride": 2, "dilation": 1}
OUTPUT_SIZE_RANGES = {"size": [1, 256], "kernel": [1, 11], "padding": [0, 10], "stride": [1, 8],
                      "dilation": [1, 4]}


def output_size(options):
    state = int_options(options, OUTPUT_SIZE, OUTPUT_SIZE_RANGES)
    return {**state, "ranges": OUTPUT_SIZE_RANGES}


def output_size_code(data, size=None, kernel=None, padding=None, stride=None, dilation=None):
    values = {"size": size, "kernel": kernel, "padding": padding, "stride": stride, "dilation": dilation}
    w, k, p, s, d = (data[key] if value is None else value for key, value in values.items())
    return (
        "import convlesson as cl\n\n"
        f"W, K, P, S, D = {w}, {k}, {p}, {s}, {d}  # input, kernel, padding, stride, dilation\n"
        "out = cl.output_size(W, K, stride=S, padding=P, dilation=D)\n"
        'print("output size:", out)\n\n'
        "last = (out - 1) * S + D * (K - 1)  # the last padded index the kernel reads\n"
        'print("padded indices the floor leaves out:", list(range(last + 1, W + 2 * P)))\n'
    )


# ---------------------------------------------------------------------------------------------
# 5. Pooling

POOL_INPUTS = [
    [[1, 3, 2, 0], [5, 2, 1, 4], [0, 6, 8, 3], [2, 1, 7, 2]],
    *np.random.default_rng(19680801).integers(0, 10, size=(3, 4, 4)).tolist(),
]


def pooling(options):
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


def pooling_code(data, mode=None, example=0):
    mode = mode or data["mode"]
    x = data["examples"][example]["input"]
    function = "cl.max_pool2d" if mode == "max" else "cl.avg_pool2d"
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"x = {py_array(x, indent=len('x = '))}\n"
        f"print({function}(x, 2))  # 2×2 windows, stride 2\n"
    )


# ---------------------------------------------------------------------------------------------
# 6. Shapes through the network

NETWORK_INPUT = [3, 32, 32]
NETWORK = [
    {"type": "Conv2d", "out": 32, "kernel": 3, "stride": 1, "padding": 1},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel": 2, "stride": 2},
    {"type": "Conv2d", "out": 64, "kernel": 3, "stride": 1, "padding": 1},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel": 2, "stride": 2},
    {"type": "Flatten"},
    {"type": "Linear", "out": 10},
]
LAYER_TYPES = ["Conv2d", "ReLU", "MaxPool2d", "AvgPool2d", "Flatten", "Linear"]


def layer_name(layer, shape) -> str:
    """How PyTorch writes the layer: ``Conv2d(3, 32, 3, padding=1)``, ``MaxPool2d(2)``."""
    kind = layer["type"]
    if kind == "Conv2d":
        extra = "".join(f", {key}={layer[key]}" for key, default in (("stride", 1), ("padding", 0))
                        if layer[key] != default)
        return f"Conv2d({shape[0]}, {layer['out']}, {layer['kernel']}{extra})"
    if kind.endswith("Pool2d"):
        extra = f", stride={layer['stride']}" if layer["stride"] != layer["kernel"] else ""
        return f"{kind}({layer['kernel']}{extra})"
    if kind == "Linear":
        return f"Linear({shape[0]}, {layer['out']})"
    return f"{kind}()"


def network_rows(shape, layers):
    """Each layer's name, output shape and parameter count, with convlesson's functions.

    The shape is ``(C, H, W)`` until Flatten, then ``(N,)``. Raises ``ValueError`` (from
    convlesson) where a kernel does not fit; this is the reference the page's JavaScript
    (widgets/network.js) is tested against.
    """
    shape = tuple(shape)
    rows = []
    for layer in layers:
        kind = layer["type"]
        name = layer_name(layer, shape)
        params = 0
        if kind == "Conv2d":
            k, s, p = layer["kernel"], layer["stride"], layer["padding"]
            params = cl.conv2d_params(shape[0], layer["out"], k)
            shape = (layer["out"], *(cl.output_size(n, k, stride=s, padding=p) for n in shape[1:]))
        elif kind.endswith("Pool2d"):
            shape = (shape[0], *(cl.output_size(n, layer["kernel"], stride=layer["stride"])
                                 for n in shape[1:]))
        elif kind == "Flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "Linear":
            params = cl.linear_params(shape[0], layer["out"])
            shape = (layer["out"],)
        rows.append({"name": name, "shape": list(shape), "params": params})
    return rows


def network_shapes(options):
    return {"input": NETWORK_INPUT, "layers": NETWORK, "types": LAYER_TYPES,
            "rows": network_rows(NETWORK_INPUT, NETWORK)}


NETWORK_HELPERS = """\
import math
import convlesson as cl

def conv2d(shape, out_channels, k, stride=1, padding=0):
    c, h, w = shape
    size = [cl.output_size(n, k, stride=stride, padding=padding) for n in (h, w)]
    return (out_channels, *size), cl.conv2d_params(c, out_channels, k)

def pool2d(shape, k, stride):
    c, h, w = shape
    return (c, *[cl.output_size(n, k, stride=stride) for n in (h, w)]), 0

def relu(shape):
    return shape, 0

def flatten(shape):
    return (math.prod(shape),), 0

def linear(shape, out_features):
    assert len(shape) == 1, "Linear needs a flat input: put Flatten() before it"
    return (out_features,), cl.linear_params(shape[0], out_features)
"""


def network_entry(layer, shape) -> str:
    """One line of the ``network`` list: the layer's PyTorch name, its helper and arguments."""
    kind = layer["type"]
    args = {
        "Conv2d": lambda: (layer["out"], layer["kernel"], layer["stride"], layer["padding"]),
        "MaxPool2d": lambda: (layer["kernel"], layer["stride"]),
        "AvgPool2d": lambda: (layer["kernel"], layer["stride"]),
        "Linear": lambda: (layer["out"],),
    }.get(kind, tuple)()
    helper = {"Conv2d": "conv2d", "MaxPool2d": "pool2d", "AvgPool2d": "pool2d"}.get(kind, kind.lower())
    return f'    ("{layer_name(layer, shape)}", {helper}{"".join(f", {a}" for a in args)}),'


def network_shapes_code(data, shape=None, layers=None):
    """Code that walks the layers with convlesson's shape and parameter functions."""
    shape = list(shape or data["input"])
    layers = layers or data["layers"]
    entries, current = [], shape
    for layer in layers:
        entries.append(network_entry(layer, current))
        try:
            current = network_rows(current, [layer])[0]["shape"]
        except (ValueError, IndexError):
            current = [0]  # past an error the names no longer matter: the code will raise there
    return (
        NETWORK_HELPERS
        + "\nnetwork = [\n" + "\n".join(entries) + "\n]\n\n"
        + f"shape, total = ({', '.join(map(str, shape))}), 0  # channels, height, width\n"
        + "print(f\"{'input':<30} {shape}\")\n"
        + "for name, layer, *args in network:\n"
        + "    shape, params = layer(shape, *args)\n"
        + "    total += params\n"
        + "    print(f\"{name:<30} {str(shape):<14} {params:>9,}\")\n"
        + "print(f\"{'total parameters':<45} {total:>9,}\")\n"
    )


# ---------------------------------------------------------------------------------------------
# 7. Convolution playground

PLAYGROUND_SIZE = 8
PLAYGROUND_IMAGES = {
    "shapes": ("cl.images.shapes(8)", lambda: cl.images.shapes(8)),
    "step_edge": ("cl.images.step_edge(8)", lambda: cl.images.step_edge(8)),
    "checkerboard": ("cl.images.checkerboard(8, squares=4)", lambda: cl.images.checkerboard(8, squares=4)),
    "photo": ("np.round(cl.images.photo(8), 2)", lambda: np.round(cl.images.photo(8), 2)),
}
PLAYGROUND = {"stride": 1, "padding": 0, "ranges": {"stride": [1, 3], "padding": [0, 2]}}


def conv_playground(options):
    images = {name: {"code": code, "pixels": make().tolist()} for name, (code, make) in PLAYGROUND_IMAGES.items()}
    return {
        "images": images,
        "image": options.get("image", "shapes"),
        "kernels": kernel_table(),
        "kernel": options.get("kernel", "edge"),
        **PLAYGROUND,
    }


def conv_playground_code(data, image=None, kernel=None, stride=None, padding=None, step=0):
    image, kernel = image or data["image"], kernel or data["kernel"]
    stride = stride or data["stride"]
    padding = data["padding"] if padding is None else padding
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"image = {data['images'][image]['code']}\n"
        f'kernel = cl.kernels.get("{kernel}")\n'
        f"steps = cl.conv_steps(image, kernel, stride={stride}, padding={padding})\n"
        f"step = steps[{step}]  # the position shown\n"
        'print("window at", step.origin, "-> output", step.out_index)\n'
        'print("products:\\n", step.products.round(2))\n'
        'print("sum:", round(step.total, 2))\n'
        f"print(cl.conv2d(image, kernel, stride={stride}, padding={padding}).round(2))\n"
    )


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A widget: its fence options (name → allowed values, or None for any), data, code, caption."""

    options: dict[str, tuple[str, ...] | None]
    data: Callable[[dict], dict]
    code: Callable[[dict], str]
    caption: str


SPECS = {
    "sliding_1d": Spec(
        {"kernel": tuple(KERNELS_1D)}, sliding_1d, sliding_1d_code,
        "A 3-element kernel (orange) slides along a signal (blue). At each position the "
        "products are added up into one output (teal).",
    ),
    "kernel_explorer": Spec(
        {"kernel": tuple(cl.kernels.names()), "image": tuple(EXPLORER_IMAGES)},
        kernel_explorer, kernel_explorer_code,
        "One 3×3 kernel (orange), applied at every position of the image (blue), gives the "
        "feature map (teal).",
    ),
    "stride_padding": Spec(
        {"size": None, "kernel": None, "stride": None, "padding": None}, stride_padding, stride_padding_code,
        "Input in blue (padding dashed), the kernel's position in orange, the output in teal.",
    ),
    "output_size": Spec(
        {key: None for key in ("size", "kernel", "padding", "stride", "dilation")}, output_size,
        output_size_code,
        "The output size, worked out from the formula as you type.",
    ),
    "pooling": Spec(
        {"mode": ("max", "avg")}, pooling, pooling_code,
        "2×2 pooling with stride 2: each coloured window of the 4×4 input becomes one number.",
    ),
    "network_shapes": Spec(
        {}, network_shapes, network_shapes_code,
        "The lesson's network, layer by layer: the feature maps get smaller while the channels "
        "multiply.",
    ),
    "conv_playground": Spec(
        {"image": tuple(PLAYGROUND_IMAGES), "kernel": tuple(cl.kernels.names())},
        conv_playground, conv_playground_code,
        "The kernel's window (orange) over the input (blue); the feature map (teal) fills in "
        "one position at a time.",
    ),
}
