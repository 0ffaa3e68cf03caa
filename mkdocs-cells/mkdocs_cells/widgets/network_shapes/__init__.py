"""Shapes through the network: each layer's output shape and parameter count."""

from __future__ import annotations

import html

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


def spec(layer, inputs: int):
    """The `convlesson.architectures` spec of a layer given ``inputs`` channels (or features):
    its class's name, positional and keyword arguments (those that are not the default)."""
    kind = layer["type"]
    if kind == "Conv2d":
        keywords = {key: layer[key] for key in ("stride", "padding") if layer[key] != {"stride": 1, "padding": 0}[key]}
        return "Conv", [inputs, layer["out"], layer["kernel"]], keywords
    if kind.endswith("Pool2d"):
        keywords = {"stride": layer["stride"]} if layer["stride"] != layer["kernel"] else {}
        return "Pool", [layer["kernel"]], keywords | ({"mode": "avg"} if kind == "AvgPool2d" else {})
    if kind == "Linear":
        return "Linear", [inputs, layer["out"]], {}
    return kind, [], {}


def source(name: str, args: list, keywords: dict) -> str:
    """A spec as Python: ``Conv(3, 32, 3, padding=1)``, ``Pool(2, mode="avg")``."""
    value = lambda v: f'"{v}"' if isinstance(v, str) else str(v)  # noqa: E731
    return f"{name}({', '.join([*map(value, args), *(f'{k}={value(v)}' for k, v in keywords.items())])})"


def walk(shape, layers):
    """The layers as specs, and as Python. A spec's input channels follow from the layers
    before it; past a layer that cannot work the last known count stands in (the summary
    raises there)."""
    built, sources, current = [], [], tuple(shape)
    for layer in layers:
        name, args, keywords = spec(layer, current[0])
        built.append(getattr(cl.architectures, name)(*args, **keywords))
        sources.append(source(name, args, keywords))
        try:
            current = cl.architectures.summary(built, input_shape=tuple(shape)).rows[-1].output_shape
        except ValueError:
            pass
    return built, sources


def network_rows(shape, layers):
    """Each layer's name, output shape and parameter count, from `convlesson.architectures.summary`.

    The shape is ``(C, H, W)`` until Flatten, then ``(N,)``. Raises ``ValueError`` (from
    convlesson) where a layer cannot work; this is the reference the page's JavaScript
    (network.js) is tested against.
    """
    built, _ = walk(shape, layers)
    rows, current = [], list(shape)
    for layer, row in zip(layers, cl.architectures.summary(built, input_shape=tuple(shape)).rows):
        rows.append({"name": layer_name(layer, current), "shape": list(row.output_shape), "params": row.params})
        current = list(row.output_shape)
    return rows


def data(options):
    return {"input": NETWORK_INPUT, "layers": NETWORK, "types": LAYER_TYPES,
            "rows": network_rows(NETWORK_INPUT, NETWORK)}


def code(data, shape=None, layers=None):
    """Code that builds the layers as convlesson.architectures specs and prints their summary."""
    shape = list(shape or data["input"])
    layers = layers or data["layers"]
    _, sources = walk(shape, layers)
    classes = sorted({text.split("(")[0] for text in sources})
    entries = "".join(f"    {text},\n" for text in sources)
    return (
        "import convlesson as cl\n"
        f"from convlesson.architectures import {', '.join(classes)}\n\n"
        f"layers = [\n{entries}]\n"
        f"print(cl.architectures.summary(layers, input_shape=({', '.join(map(str, shape))})))\n"
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
