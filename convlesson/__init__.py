"""convlesson: the math of convolutional networks, written to be read."""

import importlib

from . import architectures, data, images, kernels, nn
from .conv import conv1d, conv2d, conv_matrix, convolve2d, corr2d_loop
from .pool import avg_pool2d, global_avg_pool2d, max_pool2d
from .shapes import ReceptiveField, conv2d_macs, conv2d_params, linear_params, output_size, receptive_field
from .steps import Step, conv_steps

__version__ = "0.1.0"

__all__ = [
    "ReceptiveField",
    "Step",
    "architectures",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv2d_macs",
    "conv2d_params",
    "conv_matrix",
    "conv_steps",
    "convolve2d",
    "corr2d_loop",
    "data",
    "global_avg_pool2d",
    "images",
    "kernels",
    "linear_params",
    "max_pool2d",
    "nn",
    "output_size",
    "receptive_field",
]


def __getattr__(name):
    # cl.plots needs matplotlib; importing it only when first used keeps `import convlesson`
    # quick, in the browser above all.
    if name == "plots":
        return importlib.import_module(".plots", __name__)
    raise AttributeError(f"module 'convlesson' has no attribute {name!r}")
