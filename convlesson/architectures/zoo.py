"""The network zoo: famous convolutional networks as lists of layer specs.

Each function builds its network as ``torchvision.models`` does (LeNet-5
excepted: torchvision has none), layer for layer, as a `Network`: a list of
specs that knows its name, its input shape and its layers' names.
"""

from __future__ import annotations

import difflib

from .._checks import as_bool
from .blocks import BasicBlock, Block, Bottleneck, Inception, InceptionAux
from .layers import AdaptiveAvgPool, BatchNorm, Conv, Dropout, Flatten, Linear, Pool, ReLU


class Network(list):
    """A list of layer specs that also knows its name and input shape.

    ``names`` gives each layer's name in the tables; left out (or ``None`` for
    one layer) it is the layer's kind and a running count: ``conv1``,
    ``relu1``, ``pool1``, ``conv2``…

    Examples
    --------
    >>> net = Network([Conv(1, 6, 5), ReLU()], input_shape=(1, 32, 32), name="tiny")
    >>> len(net), net.input_shape, net.names
    (2, (1, 32, 32), ['conv1', 'relu1'])
    """

    def __init__(self, layers, input_shape, name="", names=None):
        super().__init__(layers)
        self.input_shape = tuple(input_shape)
        self.name = name
        self.names = _auto_names(self, names)


def _auto_names(layers, names=None):
    """Fill in missing names as kind + running count (conv1, relu1, pool1, conv2, ...)."""
    names = list(names) if names is not None else [None] * len(layers)
    if len(names) != len(layers):
        raise ValueError(f"got {len(names)} names for {len(layers)} layers")
    counts, out = {}, []
    for layer, name in zip(layers, names):
        kind = getattr(layer, "kind", type(layer).__name__.lower())
        counts[kind] = counts.get(kind, 0) + 1
        out.append(name or f"{kind}{counts[kind]}")
    return out


def seed_net():
    """The lesson's small network for 3×32×32 images and 10 classes.

    ``Conv2d(3, 32, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(32, 64, 3,
    padding=1), ReLU, MaxPool2d(2), Flatten, Linear(4096, 10)``: 60,362
    parameters.

    Returns
    -------
    Network
        8 layer specs, ``input_shape=(3, 32, 32)``.
    """
    layers = [Conv(3, 32, 3, padding=1), ReLU(), Pool(2), Conv(32, 64, 3, padding=1), ReLU(), Pool(2),
              Flatten(), Linear(8 * 8 * 64, 10)]
    return Network(layers, (3, 32, 32), "seed_net")


def lenet5():
    """LeNet-5 as PyTorch code usually writes it: 61,706 parameters on 1×32×32 digits.

    ``conv 1→6 5×5, pool, conv 6→16 5×5, pool, fc 400→120→84→10``, with ReLU
    and 2×2 max pooling (PyTorch's "Neural Networks" tutorial). LeCun et al.
    (1998) give "about 60,000" for their LeNet-5, which differs: squashing
    (tanh-like) units, subsampling layers with a trainable weight and bias per
    map (12 + 32 parameters), a C3 layer whose 16 maps each see only some of
    the 6 maps below (1,516 parameters instead of 2,416) and an RBF output
    layer.

    Returns
    -------
    Network
        12 layer specs, ``input_shape=(1, 32, 32)``.
    """
    layers = [Conv(1, 6, 5), ReLU(), Pool(2), Conv(6, 16, 5), ReLU(), Pool(2), Flatten(),
              Linear(16 * 5 * 5, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)]
    return Network(layers, (1, 32, 32), "lenet5")


def alexnet(num_classes=1000):
    """AlexNet as ``torchvision.models.alexnet`` builds it: 61,100,840 parameters.

    torchvision follows Krizhevsky's later one-GPU variant ("One weird
    trick", 2014): 64-192-384-256-256 filters, no local response
    normalisation, then ``AdaptiveAvgPool2d((6, 6))`` and a 9216-4096-4096-1000
    classifier with dropout.

    Returns
    -------
    Network
        ``input_shape=(3, 224, 224)``.
    """
    features = [Conv(3, 64, 11, stride=4, padding=2), ReLU(), Pool(3, stride=2),
                Conv(64, 192, 5, padding=2), ReLU(), Pool(3, stride=2),
                Conv(192, 384, 3, padding=1), ReLU(),
                Conv(384, 256, 3, padding=1), ReLU(),
                Conv(256, 256, 3, padding=1), ReLU(), Pool(3, stride=2)]
    classifier = [Dropout(0.5), Linear(256 * 6 * 6, 4096), ReLU(),
                  Dropout(0.5), Linear(4096, 4096), ReLU(), Linear(4096, num_classes)]
    return Network(features + [AdaptiveAvgPool((6, 6)), Flatten()] + classifier, (3, 224, 224), "alexnet")


VGG16_CONFIG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
"""VGG configuration "D" (Simonyan & Zisserman, Table 1): conv widths, "M" for a 2×2 max pool."""


def vgg16(num_classes=1000):
    """VGG-16 as ``torchvision.models.vgg16`` builds it (no batch norm): 138,357,544 parameters.

    Thirteen 3×3 convolutions (padding 1, so each keeps H×W) in five stages,
    each stage ending in a 2×2 max pool, then ``AdaptiveAvgPool2d((7, 7))`` and
    a 25088-4096-4096-1000 classifier with dropout.

    Returns
    -------
    Network
        ``input_shape=(3, 224, 224)``; layers named ``conv1_1`` … ``conv5_3``,
        ``pool1`` … ``pool5``, ``fc6`` … ``fc8`` as in the paper.
    """
    layers, names, channels, stage, index = [], [], 3, 1, 1
    for width in VGG16_CONFIG:
        if width == "M":
            layers.append(Pool(2, stride=2))
            names.append(f"pool{stage}")
            stage, index = stage + 1, 1
            continue
        layers += [Conv(channels, width, 3, padding=1), ReLU()]
        names += [f"conv{stage}_{index}", f"relu{stage}_{index}"]
        channels, index = width, index + 1
    layers += [AdaptiveAvgPool((7, 7)), Flatten(),
               Linear(512 * 7 * 7, 4096), ReLU(), Dropout(0.5),
               Linear(4096, 4096), ReLU(), Dropout(0.5), Linear(4096, num_classes)]
    names += ["avgpool", "flatten", "fc6", "relu6", "dropout6", "fc7", "relu7", "dropout7", "fc8"]
    return Network(layers, (3, 224, 224), "vgg16", names)


def googlenet(num_classes=1000, aux_logits=False):
    """GoogLeNet (Inception v1) as ``torchvision.models.googlenet`` builds it.

    With ``aux_logits=False`` (the default here) this is the model that
    ``googlenet(weights="IMAGENET1K_V1")`` returns, whose 6,624,904
    parameters are torchvision's published ``num_params``: torchvision builds
    the two auxiliary classifiers to load the checkpoint, then drops them.
    ``aux_logits=True`` keeps them (13,004,888 parameters); that is also what
    ``torchvision.models.googlenet()`` without weights builds, its default.

    Every conv is conv (no bias) + BatchNorm + ReLU; max pools round up
    (``ceil_mode=True``); see `Inception` for torchvision's 3×3 in place of
    the paper's 5×5. The paper's own network (5×5 convolutions with biases,
    no BatchNorm, no auxiliary heads) would have 6,998,552 parameters; the
    params column of its Table 1 adds up to about 6.8 million.

    Returns
    -------
    Network
        ``input_shape=(3, 224, 224)``, layers named as torchvision's modules
        (``conv1``, ``maxpool1``, ``inception3a`` …).
    """
    named = [
        ("conv1", Conv(3, 64, 7, stride=2, padding=3, bias=False)), ("bn1", BatchNorm(64)), ("relu1", ReLU()),
        ("maxpool1", Pool(3, stride=2, ceil_mode=True)),
        ("conv2", Conv(64, 64, 1, bias=False)), ("bn2", BatchNorm(64)), ("relu2", ReLU()),
        ("conv3", Conv(64, 192, 3, padding=1, bias=False)), ("bn3", BatchNorm(192)), ("relu3", ReLU()),
        ("maxpool2", Pool(3, stride=2, ceil_mode=True)),
        ("inception3a", Inception(192, 64, 96, 128, 16, 32, 32)),
        ("inception3b", Inception(256, 128, 128, 192, 32, 96, 64)),
        ("maxpool3", Pool(3, stride=2, ceil_mode=True)),
        ("inception4a", Inception(480, 192, 96, 208, 16, 48, 64)),
        ("aux1", InceptionAux(512, num_classes)),
        ("inception4b", Inception(512, 160, 112, 224, 24, 64, 64)),
        ("inception4c", Inception(512, 128, 128, 256, 24, 64, 64)),
        ("inception4d", Inception(512, 112, 144, 288, 32, 64, 64)),
        ("aux2", InceptionAux(528, num_classes)),
        ("inception4e", Inception(528, 256, 160, 320, 32, 128, 128)),
        ("maxpool4", Pool(2, stride=2, ceil_mode=True)),
        ("inception5a", Inception(832, 256, 160, 320, 32, 128, 128)),
        ("inception5b", Inception(832, 384, 192, 384, 48, 128, 128)),
        ("avgpool", AdaptiveAvgPool(1)), ("flatten", Flatten()), ("dropout", Dropout(0.2)),
        ("fc", Linear(1024, num_classes)),
    ]
    if not as_bool(aux_logits, "aux_logits"):
        named = [(name, layer) for name, layer in named if not isinstance(layer, InceptionAux)]
    names, layers = zip(*named)
    return Network(layers, (3, 224, 224), "googlenet", names)


def _resnet(name, block, blocks_per_stage, num_classes):
    """torchvision's ResNet: a 7×7 stem, four stages of residual blocks, global average pool, fc."""
    named = [("conv1", Conv(3, 64, 7, stride=2, padding=3, bias=False)), ("bn1", BatchNorm(64)),
             ("relu", ReLU()), ("maxpool", Pool(3, stride=2, padding=1))]
    channels = 64
    for stage, (planes, count) in enumerate(zip((64, 128, 256, 512), blocks_per_stage), start=1):
        for index in range(count):
            stride = 2 if stage > 1 and index == 0 else 1  # each stage after the first halves H×W
            named.append((f"layer{stage}.{index}", block(channels, planes, stride)))
            channels = planes * block.expansion
    named += [("avgpool", AdaptiveAvgPool(1)), ("flatten", Flatten()), ("fc", Linear(channels, num_classes))]
    names, layers = zip(*named)
    return Network(layers, (3, 224, 224), name, names)


def resnet18(num_classes=1000):
    """ResNet-18 as ``torchvision.models.resnet18`` builds it: 11,689,512 parameters.

    Four stages of two `BasicBlock` each (64, 128, 256, 512 channels).
    """
    return _resnet("resnet18", BasicBlock, (2, 2, 2, 2), num_classes)


def resnet50(num_classes=1000):
    """ResNet-50 as ``torchvision.models.resnet50`` builds it: 25,557,032 parameters.

    Stages of 3, 4, 6 and 3 `Bottleneck` blocks; outputs of 256, 512, 1024 and
    2048 channels.
    """
    return _resnet("resnet50", Bottleneck, (3, 4, 6, 3), num_classes)


_NETWORKS = {"seed_net": seed_net, "lenet5": lenet5, "alexnet": alexnet, "vgg16": vgg16,
             "googlenet": googlenet, "resnet18": resnet18, "resnet50": resnet50}


def names():
    """Names of the networks that `get` knows, oldest design first after the lesson's own.

    >>> names()
    ['seed_net', 'lenet5', 'alexnet', 'vgg16', 'googlenet', 'resnet18', 'resnet50']
    """
    return list(_NETWORKS)


def _key(name):
    return name.lower().replace("-", "").replace("_", "").replace(" ", "")


def get(name):
    """The `Network` called ``name``; case, ``-`` and ``_`` do not matter (``'ResNet-50'``).

    Examples
    --------
    >>> get("VGG-16").input_shape
    (3, 224, 224)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    keys = {_key(key): key for key in _NETWORKS}
    if _key(name) not in keys:
        close = difflib.get_close_matches(_key(name), keys, n=1)
        hint = f"did you mean {keys[close[0]]!r}? " if close else ""
        raise ValueError(f"unknown network {name!r}; {hint}choose one of: {', '.join(_NETWORKS)}")
    return _NETWORKS[keys[_key(name)]]()


def network(name_or_layers, input_shape=None):
    """A `Network` from a name, a Network, a list of specs or one block; ``input_shape`` overrides.

    Parameters
    ----------
    name_or_layers : str, Network, list of layer specs or Block
        A name from `names` (``'vgg16'``), or layers such as
        ``[Conv(3, 8, 3), ReLU()]``.
    input_shape : tuple of int, optional
        ``(C, H, W)``; required for a plain list or a block, otherwise the
        network's own.

    Returns
    -------
    Network

    Examples
    --------
    >>> network("lenet5").input_shape, network("vgg16", (3, 256, 256)).input_shape
    ((1, 32, 32), (3, 256, 256))
    >>> network([Conv(1, 6, 5), ReLU()], (1, 32, 32)).names
    ['conv1', 'relu1']
    """
    if isinstance(name_or_layers, str):
        net = get(name_or_layers)
    elif isinstance(name_or_layers, Network):
        net = name_or_layers
    else:
        layers = [name_or_layers] if isinstance(name_or_layers, Block) else list(name_or_layers)
        if input_shape is None:
            raise ValueError("a list of layers (or a block) needs an input_shape, e.g. (3, 32, 32)")
        net = Network(layers, input_shape)
    if input_shape is not None and tuple(input_shape) != net.input_shape:
        net = Network(net, input_shape, net.name, net.names)
    return net
