"""Shapes through the network: each layer's output shape and parameter count."""

from __future__ import annotations
import html


import numpy as np

import convlesson as cl

from ..spec import Spec

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


def data(options):
    return {"input": NETWORK_INPUT, "layers": NETWORK, "types": LAYER_TYPES,
            "rows": network_rows(NETWORK_INPUT, NETWORK)}


def code(data, shape=None, layers=None):
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


def static(data) -> str:
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


SPEC = Spec(
    options={},
    data=data,
    code=code,
    static=static,
    caption=(
        "The lesson's network, layer by layer: the feature maps get smaller while the channels "
        "multiply."
    ),
)
