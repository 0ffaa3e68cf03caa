"""A `Sequential` network as plain numbers: what the page's drawing pad computes with.

The ConvNet page's drawing pad runs the network in JavaScript, so that a digit is classified
while it is drawn. It gets the network from here: at build, the one `pretrained.digits_convnet`
trains; in the page, the reader's, sent by `to_page` from the Python of the page's cells.
``tests/test_digit_pad.py`` checks the pad's forward pass against `Sequential.forward`.
"""

from __future__ import annotations

import numpy as np

from ..shapes import receptive_field
from .containers import Sequential
from .conv import Conv2d
from .layers import Dropout, Flatten, Linear, ReLU
from .pool import AvgPool2d, MaxPool2d

CHANNEL = "convlesson-network"
"""The name of the BroadcastChannel on which `to_page` sends a network to the page."""


def export(net):
    """The layers of ``net`` and all its numbers, in the order the pad reads them.

    Parameters
    ----------
    net : Sequential
        Of `Conv2d` (square kernels, equal padding on all sides, no dilation or groups),
        `ReLU`, `MaxPool2d` and `AvgPool2d` (no padding), `Flatten`, `Dropout` (nothing, as
        in eval mode) and `Linear`.

    Returns
    -------
    layers : list of dict
        One per layer: ``type`` (``conv``, ``relu``, ``maxpool``, ``avgpool``, ``flatten``,
        ``linear``), its sizes, ``weight`` and ``bias``, the offsets of its parameters in
        ``numbers`` (row-major, PyTorch's shapes), and ``rf``: ``[rf, jump, padding]`` of
        `convlesson.receptive_field` for a unit of its output (``None`` after ``flatten``).
    numbers : ndarray, float64
        Every parameter, one after the other.
    """
    if not isinstance(net, Sequential):
        raise TypeError(f"export takes an nn.Sequential, got {type(net).__name__}")
    layers, numbers, spatial, size = [], [], [], 0
    field = [1, 1, 0]

    def add(array):
        nonlocal size
        numbers.append(np.asarray(array, dtype=np.float64).ravel())
        size += numbers[-1].size
        return size - numbers[-1].size

    for position, layer in enumerate(net):
        where = f"layer {position} ({type(layer).__name__})"
        if isinstance(layer, Conv2d):
            (k, k2), (s, s2) = layer.kernel_size, layer.stride
            pads = {side for pair in layer.pads for side in pair}
            if k != k2 or s != s2 or len(pads) != 1 or layer.dilation != (1, 1) or layer.groups != 1:
                raise ValueError(f"{where}: the pad takes square kernels and strides, equal padding, "
                                 f"no dilation or groups; got {layer!r}")
            p = pads.pop()
            spatial.append((k, s, p))
            entry = {"type": "conv", "in": layer.in_channels, "out": layer.out_channels, "kernel": k,
                     "stride": s, "padding": p, "weight": add(layer.weight.data)}
            entry["bias"] = None if layer.bias is None else add(layer.bias.data)
        elif isinstance(layer, (MaxPool2d, AvgPool2d)):
            (k, k2), (s, s2) = layer._kernel, layer._stride
            if k != k2 or s != s2 or layer._padding != (0, 0) or layer._dilation != (1, 1) or layer.ceil_mode:
                raise ValueError(f"{where}: the pad takes square pools without padding, dilation or ceil_mode")
            spatial.append((k, s, 0))
            entry = {"type": "maxpool" if isinstance(layer, MaxPool2d) else "avgpool", "kernel": k, "stride": s}
        elif isinstance(layer, ReLU):
            entry = {"type": "relu"}
        elif isinstance(layer, (Flatten, Dropout)):
            entry = {"type": "flatten" if isinstance(layer, Flatten) else "identity"}
            field = None if isinstance(layer, Flatten) else field
        elif isinstance(layer, Linear):
            entry = {"type": "linear", "in": layer.in_features, "out": layer.out_features,
                     "weight": add(layer.weight.data)}
            entry["bias"] = None if layer.bias is None else add(layer.bias.data)
            field = None
        else:
            raise ValueError(f"{where}: the pad computes conv, ReLU, pooling, flatten and linear layers only")
        if entry["type"] in ("conv", "maxpool", "avgpool") and field is not None:
            last = receptive_field(spatial)[-1]
            field = [last.rf, last.jump, last.padding]
        entry["rf"] = field
        layers.append(entry)
    return layers, np.concatenate(numbers) if numbers else np.zeros(0)


def to_page(net, name="your network"):
    """Send ``net`` to the page's drawing pad, which then classifies with it.

    Only in the browser, where the page's cells run (Pyodide): the network goes by a
    BroadcastChannel from Python's worker to the page, and nowhere else. Elsewhere (the site's
    build, Jupyter) there is no pad, and this only says so.
    """
    layers, numbers = export(net)
    try:
        import js
        from pyodide.ffi import to_js
    except ImportError:
        print("No drawing pad here (this is not the web page): the page's pad keeps the network "
              "trained when the site was built until this cell runs in the page.")
        return
    message = {"name": name, "layers": layers, "numbers": numbers.tolist()}
    channel = js.BroadcastChannel.new(CHANNEL)
    channel.postMessage(to_js(message, dict_converter=js.Object.fromEntries))
    channel.close()
    count = sum(p.data.size for p in net.parameters())
    print(f"The drawing pad now classifies with {name} ({count:,} parameters).")
