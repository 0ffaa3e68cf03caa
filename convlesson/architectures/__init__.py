"""Famous convolutional networks as lists of layer specs, sized on paper.

A spec says what a layer is (``Conv(3, 64, 11, stride=4, padding=2)``), not
what it has learned: it holds no weights. From the specs alone `summary`
works out every layer's output shape with `convlesson.output_size` and its
parameter count with `convlesson.conv2d_params` and
`convlesson.linear_params`, so even VGG-16's 138 million parameters are
counted without a single array, fast enough for a browser cell.

>>> from convlesson import architectures
>>> architectures.count_params("vgg16")
138357544
>>> print(architectures.summary("seed_net"))
seed_net, input 3×32×32
Layer                                              Output shape  Params
=======================================================================
conv1    Conv2d(3, 32, kernel_size=3, padding=1)       32×32×32     896
relu1    ReLU()                                        32×32×32       0
pool1    MaxPool2d(kernel_size=2, stride=2)            32×16×16       0
conv2    Conv2d(32, 64, kernel_size=3, padding=1)      64×16×16  18,496
relu2    ReLU()                                        64×16×16       0
pool2    MaxPool2d(kernel_size=2, stride=2)              64×8×8       0
flatten1 Flatten()                                         4096       0
fc1      Linear(4096, 10)                                    10  40,970
=======================================================================
Total params                                                     60,362

The networks are the ones ``torchvision.models`` builds (LeNet-5 excepted:
torchvision has none), layer for layer, so the totals are torchvision's
published ``num_params``:

=========  ===========  ==========================================================
name       parameters   as in
=========  ===========  ==========================================================
seed_net        60,362  the lesson's small network, 3×32×32 images, 10 classes
lenet5          61,706  the PyTorch tutorial's LeNet: ReLU and max pooling, 32×32
alexnet     61,100,840  ``torchvision.models.alexnet``
vgg16      138,357,544  ``torchvision.models.vgg16`` (config D, no batch norm)
googlenet    6,624,904  ``torchvision.models.googlenet`` as loaded with weights
resnet18    11,689,512  ``torchvision.models.resnet18``
resnet50    25,557,032  ``torchvision.models.resnet50``
=========  ===========  ==========================================================

Files
-----
One idea per file: ``layers.py`` (Conv, Pool, AdaptiveAvgPool, BatchNorm,
Linear, ReLU, Dropout, Flatten), ``blocks.py`` (Inception, InceptionAux,
BasicBlock, Bottleneck), ``zoo.py`` (Network, the networks, `names`, `get`,
`network`), ``counts.py`` (`summary`, `count_params`, `depth`),
``receptive.py`` (`rf_layers`, `receptive_fields`) and ``milestones.py``
(`history`). The `Summary` table is `convlesson.summary`'s, shared with
`convlesson.nn`.
"""

from ..summary import Summary, SummaryRow, format_shape
from . import blocks, counts, layers, milestones, receptive, zoo
from .blocks import BasicBlock, Bottleneck, Inception, InceptionAux
from .counts import count_params, depth, summary
from .layers import AdaptiveAvgPool, BatchNorm, Conv, Dropout, Flatten, Linear, Pool, ReLU
from .milestones import History, Milestone, history
from .receptive import receptive_fields, rf_layers
from .zoo import (
    VGG16_CONFIG,
    Network,
    alexnet,
    get,
    googlenet,
    lenet5,
    names,
    network,
    resnet18,
    resnet50,
    seed_net,
    vgg16,
)

__all__ = [
    "AdaptiveAvgPool", "BasicBlock", "BatchNorm", "Bottleneck", "Conv", "Dropout", "Flatten",
    "Inception", "InceptionAux", "Linear", "Milestone", "Network", "Pool", "ReLU", "Summary",
    "SummaryRow", "alexnet", "count_params", "depth", "format_shape", "get", "googlenet",
    "history", "lenet5", "names", "network", "receptive_fields", "resnet18", "resnet50", "rf_layers",
    "seed_net", "summary", "vgg16",
]

# doctest.testmod(architectures) reads only what this file defines: point it at the modules' examples.
__test__ = {
    **{module.__name__: module for module in (layers, blocks, zoo, counts, receptive, milestones)},
    **{name: globals()[name] for name in __all__},
}
