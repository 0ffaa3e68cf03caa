"""The lesson's figures, drawn with matplotlib from convlesson's own numbers.

Every function draws into the Axes (or Figure) it is given and returns what
it drew, so a page can check the picture against the math::

    import matplotlib.pyplot as plt
    from convlesson import plots

    fig, ax = plt.subplots(figsize=(4, 4), layout="constrained")
    plots.grid(ax, [[1, 2], [3, 4]])

Given ``None`` instead, a function makes its own `matplotlib.figure.Figure`
(not a pyplot figure: nothing global changes) at the fixed size `figure`
gives it; the returned artists know it (``artist.figure``).

Colours follow one legend in every figure, `convlesson.plots.colors`:
**blue** is the input, **orange** the kernel (and its window on the
input), **teal** the output. `theme` switches between the two colour
schemes of the site; within it, figures have transparent backgrounds, so
they sit on the page's own colour::

    with plots.theme("dark"):
        fig, axes = plots.figure("conv_step")
        plots.conv_step(*axes, step=4)
        fig.savefig("conv_step-dark.svg")

Importing this package imports matplotlib (not pyplot); ``import convlesson``
does not.

Files
-----
One idea per file: ``colors.py`` (the legend, its contrast check and its
CSS), ``schemes.py`` (`PALETTES`, `palette`, `theme`, `diverging`),
``figures.py`` (`figure`: each plot's size and Axes), ``cells.py`` (cells of
numbers, under every grid), ``grids.py`` (`grid`, `feature_map`,
`kernel_gallery`), ``volumes.py`` (`channel_sum`), ``windows.py`` (`conv_step`, `stride_padding`,
`pooling`), ``networks.py`` (`network_shapes`, `dense_vs_conv`,
`residual_block`, `receptive_field_growth`) and ``training.py`` (`filters`, `feature_maps`,
`training_curves`, `confusion_matrix`).
"""

from . import cells, colors, figures, grids, networks, schemes, training, volumes, windows
from .colors import INKS, css_variables
from .figures import figure
from .grids import GALLERY, feature_map, grid, kernel_gallery
from .networks import dense_vs_conv, network_shapes, receptive_field_growth, residual_block
from .schemes import PALETTES, diverging, palette, theme
from .training import confusion_matrix, feature_maps, filters, training_curves
from .volumes import EXAMPLE_BIAS, EXAMPLE_FILTER, EXAMPLE_VOLUME, channel_sum
from .windows import EXAMPLE_INPUT, EXAMPLE_KERNEL, conv_step, pooling, stride_padding

__all__ = [
    "EXAMPLE_BIAS", "EXAMPLE_FILTER", "EXAMPLE_INPUT", "EXAMPLE_KERNEL", "EXAMPLE_VOLUME", "GALLERY", "INKS",
    "PALETTES", "channel_sum", "confusion_matrix", "conv_step",
    "css_variables", "dense_vs_conv", "diverging", "feature_map", "feature_maps", "figure", "filters", "grid",
    "kernel_gallery", "network_shapes", "palette", "pooling", "receptive_field_growth", "residual_block",
    "stride_padding", "theme",
    "training_curves",
]

# doctest.testmod(plots) reads only what this file defines: point it at the modules' examples.
__test__ = {
    **{module.__name__: module for module in (cells, colors, figures, grids, networks, schemes, training, volumes, windows)},
    **{name: obj for name, obj in globals().items() if name in __all__ and callable(obj)},
}
