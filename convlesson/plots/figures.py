"""Each figure's fixed size and Axes layout, so that a page and a test draw the same picture."""

from __future__ import annotations

from matplotlib.figure import Figure

FIGURES = {
    "dense_vs_conv": ((8.0, 3.0), {"ncols": 2}),
    "kernel_gallery": ((7.5, 5.6), None),
    "kernel_pair": ((7.0, 3.6), None),  # kernel_gallery of two kernels in one row
    "feature_map": ((3.6, 3.6), {}),
    "grid": ((3.6, 3.6), {}),
    "channel_sum": ((7.0, 5.0), {}),
    "conv_step": ((8.0, 3.2), {"ncols": 3, "width_ratios": (7, 3.5, 5)}),
    "conv_step_signal": ((8.0, 1.8), {"ncols": 3, "width_ratios": (7, 3.2, 5)}),  # conv_step on a 1-D x
    "stride_padding": ((6.4, 3.8), {}),
    "pooling": ((6.0, 3.0), {"ncols": 2, "width_ratios": (4, 2.6)}),
    "network_shapes": ((9.0, 3.6), {}),
    "receptive_field_growth": ((8.0, 2.6), None),
    "filters": ((6.0, 3.6), {}),
    "feature_maps": ((8.0, 5.2), None),
    "residual_block": ((4.2, 4.8), {}),
    "training_curves": ((8.0, 3.2), {"ncols": 2}),
    "confusion_matrix": ((5.0, 4.6), {}),
}
"""Plot name → (figsize in inches, keywords for ``Figure.subplots``, or None for no Axes)."""


def figure(name, pyplot=False):
    """A new figure of the fixed size for the plot ``name``, and its Axes.

    Parameters
    ----------
    name : str
        A function of `convlesson.plots`, e.g. ``'conv_step'``; ``'conv_step_signal'``
        is `conv_step`'s shape for a 1-D signal.
    pyplot : bool, default False
        Make it with ``matplotlib.pyplot`` (so that a notebook or a page cell
        shows it) instead of as a bare `matplotlib.figure.Figure`.

    Returns
    -------
    fig : Figure
        ``layout="constrained"``.
    axes : Axes, array of Axes or None
        What the function takes first: one Axes, an array of them (unpack
        with ``*axes``), or None for the functions that take the figure
        (``kernel_gallery``).

    Examples
    --------
    >>> fig, axes = figure("conv_step")
    >>> len(axes), fig.get_size_inches().tolist()
    (3, [8.0, 3.2])
    """
    if name not in FIGURES:
        raise ValueError(f"no figure called {name!r}; choose one of: {', '.join(FIGURES)}")
    figsize, subplots = FIGURES[name]
    if pyplot:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, layout="constrained")
    else:
        fig = Figure(figsize=figsize, layout="constrained")
    if subplots is None:
        return fig, None
    subplots = dict(subplots)
    gridspec = {key: subplots.pop(key) for key in ("width_ratios",) if key in subplots}
    return fig, fig.subplots(**subplots, gridspec_kw=gridspec or None)


def axes_or_new(ax, name):
    """``ax`` as given, or the Axes of a new `figure(name)` when it is None."""
    return figure(name)[1] if ax is None else ax
