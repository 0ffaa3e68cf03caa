"""Layers of a convolutional network, each with its backward pass written out.

A small ``torch.nn`` in numpy, written to be read. The class names, arguments,
defaults, initialisation, ``repr`` and ``state_dict`` names are PyTorch's, so
the lesson's network runs as printed::

    from convlesson import nn
    net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), ...)

There is no autograd. Each layer's ``forward(x)`` computes its output and keeps
in ``self.cache`` what the gradient will need; right under it, ``backward(dout)``
takes ∂L/∂out (shaped like the output), adds ∂L/∂w to each parameter's
``.grad`` and returns ∂L/∂x. Each gradient line is the chain rule for one
formula of the forward pass. A training step is::

    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    model.backward(loss_fn.backward())   # PyTorch: loss.backward()
    optimizer.step()

Images are batches ``(N, C, H, W)``; the image layers also take one image
``(C, H, W)``, as PyTorch does. A wrong shape is a ``ValueError`` naming the
layer, the shape it got and the shape it expects.

Numbers
-------
Parameters are float32 unless a layer is given ``dtype=``, as in PyTorch;
``model.to(np.float64)`` converts them all. Layers compute in the dtype numpy
gives input and parameters together: float32 in, float32 out.

Randomness
----------
Initial weights and dropout masks come from the numpy ``Generator`` passed to
the layer as ``rng=``, or else from the package's generator, which
``manual_seed(n)`` resets (like ``torch.manual_seed``). The numbers differ from
PyTorch's; their distributions are the same.

Files
-----
One idea per file: ``module.py`` (Module, Parameter; `Module.summary` fills
`convlesson.summary`'s table, the one `convlesson.architectures` uses), ``conv.py``
(Conv2d), ``pool.py`` (MaxPool2d, AvgPool2d, AdaptiveAvgPool2d), ``layers.py``
(ReLU, Dropout, Flatten, Linear), ``containers.py`` (Sequential, Residual),
``loss.py`` (CrossEntropyLoss), ``optim.py`` (SGD, Adam), ``train.py``
(train_step, accuracy, fit), and ``_arrays.py``, the padding, windows and
memory layout the layers share.
"""

from . import export
from .containers import Residual, Sequential
from .conv import Conv2d
from .layers import Dropout, Flatten, Linear, ReLU
from .loss import CrossEntropyLoss
from ..summary import Summary, SummaryRow
from .module import Module, Parameter, manual_seed
from .optim import SGD, Adam
from .pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from .train import Epoch, accuracy, fit, train_step

__all__ = [
    "SGD",
    "Adam",
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "Epoch",
    "Flatten",
    "Linear",
    "MaxPool2d",
    "Module",
    "Parameter",
    "ReLU",
    "Residual",
    "Sequential",
    "Summary",
    "SummaryRow",
    "accuracy",
    "fit",
    "manual_seed",
    "train_step",
]
