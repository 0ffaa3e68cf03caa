"""How big a network is, on paper: each layer's output shape and parameters, the total, the depth.

No weights are made: a layer's output shape comes from
`convlesson.output_size` and its parameters from `convlesson.conv2d_params`
and `convlesson.linear_params`, so VGG-16's 138 million parameters are
counted as quickly as LeNet's, fast enough for a browser cell.
"""

from __future__ import annotations

from .._checks import as_bool
from ..summary import Summary, walk
from .blocks import Block
from .zoo import get, network


def _describe(layer):
    """A spec's row in a summary: the spec as PyTorch prints it, and its parameters."""
    return str(layer), layer.params()


def summary(name_or_layers, input_shape=None, expand=False):
    """Each layer's output shape and parameter count, from the shape formulas alone.

    Parameters
    ----------
    name_or_layers : str, Network or list of layer specs
        A name from `names` (``'vgg16'``), or layers such as
        ``[Conv(3, 8, 3), ReLU()]``.
    input_shape : tuple of int, optional
        ``(C, H, W)``; required for a plain list, otherwise the network's own.
    expand : bool, default False
        Also list the layers inside each block (inception modules, residual
        blocks), indented under it; their parameters are part of the block's.

    Returns
    -------
    Summary
        ``.rows`` (name, layer, output_shape, params) and ``.total``.

    Raises
    ------
    ValueError
        If a layer does not fit the shape it receives, naming both.

    Examples
    --------
    >>> s = summary("alexnet")
    >>> first = s.rows[0]
    >>> first.name, first.output_shape, first.params
    ('conv1', (64, 55, 55), 23296)
    >>> first.layer
    'Conv2d(3, 64, kernel_size=11, stride=4, padding=2)'
    >>> s.output_shape, s.total
    ((1000,), 61100840)
    >>> print(summary("lenet5").to_markdown().splitlines()[2])
    | conv1 | `Conv2d(1, 6, kernel_size=5)` | 6×28×28 | 156 |
    """
    net = network(name_or_layers, input_shape)
    rows = walk(zip(net.names, net), net.input_shape, _describe)
    if as_bool(expand, "expand"):
        rows = _expanded(net, rows)
    return Summary(rows, count_params(net), net.name, net.input_shape)


def _expanded(net, rows):
    """``rows`` with each block's inner layers under it, named ``  block.path.index``."""
    out, shape = [], net.input_shape
    for layer, row in zip(net, rows):
        out.append(row)
        if isinstance(layer, Block):
            for path_name, path in layer.paths().items():
                named = [(f"  {row.name}.{path_name}.{index}", sub) for index, sub in enumerate(path)]
                out += walk(named, shape, _describe)
        shape = row.output_shape
    return out


def count_params(name_or_layers):
    """Number of learnable parameters: the sum of every layer's ``params()``.

    Examples
    --------
    >>> count_params("lenet5"), count_params("resnet50")
    (61706, 25557032)
    """
    if isinstance(name_or_layers, str):
        name_or_layers = get(name_or_layers)
    elif isinstance(name_or_layers, Block):
        name_or_layers = [name_or_layers]
    return sum(layer.params() for layer in name_or_layers)


def depth(name_or_layers):
    """Layers with weights (conv and fully connected) on the longest path from input to output.

    How papers count depth: BatchNorm, pooling, shortcuts and side exits
    (GoogLeNet's auxiliary classifiers) are not counted, and an inception
    module counts as 2 (its 1×1 then 3×3 paths). This gives the numbers in the
    names: 16 for VGG-16, 18 and 50 for the ResNets, 22 for GoogLeNet.

    Examples
    --------
    >>> depth("alexnet"), depth("googlenet"), depth("resnet50")
    (8, 22, 50)
    """
    if isinstance(name_or_layers, str):
        name_or_layers = get(name_or_layers)
    return sum(layer.depth() for layer in name_or_layers)
