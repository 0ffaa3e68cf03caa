"""Receptive fields of the networks: how much of the image each layer's outputs see.

Only convolutions and pooling widen what an output sees; the steps they
take along the main path go to `convlesson.receptive_field`.
"""

from __future__ import annotations

from ..shapes import receptive_field
from .blocks import Block
from .zoo import Network, network


def _rf_steps(name_or_layers):
    """``(name, (kernel, stride, padding, dilation))`` for each conv and pool on the main path."""
    # receptive fields do not depend on the input size: a plain list gets a placeholder shape
    placeholder = None if isinstance(name_or_layers, (str, Network)) else (1, 1, 1)
    net = network(name_or_layers, placeholder)
    steps = []
    for name, layer in zip(net.names, net):
        if isinstance(layer, Block):
            inner = [sub for sub in layer.paths()[layer.main] if sub.rf()]
            steps += [(f"{name}.{layer.main}.{index}", sub.rf()[0]) for index, sub in enumerate(inner)]
        else:
            steps += [(name, step) for step in layer.rf()]
    return steps


def rf_layers(name_or_layers):
    """The (kernel, stride, padding, dilation) of each conv and pool along the main path.

    Ready for `convlesson.receptive_field`. The main path skips shortcuts
    and side exits; in an inception module it is the 1×1-then-3×3 branch,
    which sees as far as any branch. Element-wise layers (ReLU, BatchNorm)
    are left out, and so are the adaptive average pool and the fully
    connected layers at the end, whose outputs mix the whole feature map:
    their receptive field is the whole image.

    Returns
    -------
    list of tuple of 4 ints

    Examples
    --------
    >>> import convlesson as cl
    >>> cl.receptive_field(rf_layers("vgg16"))[-1]
    ReceptiveField(layer=18, rf=212, jump=32, padding=90)
    >>> rf_layers("lenet5")
    [(5, 1, 0, 1), (2, 2, 0, 1), (5, 1, 0, 1), (2, 2, 0, 1)]
    """
    return [step for _, step in _rf_steps(name_or_layers)]


def receptive_fields(name_or_layers):
    """Receptive field after each conv and pool of the main path, with the layers' names.

    Returns
    -------
    list of (str, ReceptiveField)

    Examples
    --------
    >>> for name, field in receptive_fields("seed_net"):
    ...     print(f"{name:6} rf={field.rf:2} jump={field.jump}")
    conv1  rf= 3 jump=1
    pool1  rf= 4 jump=2
    conv2  rf= 8 jump=2
    pool2  rf=10 jump=4
    """
    steps = _rf_steps(name_or_layers)
    return list(zip([name for name, _ in steps], receptive_field([step for _, step in steps])))
