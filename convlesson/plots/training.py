"""What a trained network shows: its filters, its feature maps, its training curves, its confusion matrix."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.axes
import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .cells import draw_cells
from .figures import axes_or_new, figure
from .schemes import diverging, ink_on, palette, rgba


def filters(fig_or_ax, weights, ncols=None, cmap="gray", signed=False):
    """First-layer filters ``(C_out, C_in, k, k)`` as a mosaic of small images, one per filter.

    Each filter is scaled to [0, 1] on its own (its smallest weight black, its
    largest white), so its pattern shows whatever its size. Three input
    channels are shown as colour (RGB); one channel in ``cmap``.

    Parameters
    ----------
    fig_or_ax : Figure, Axes or None
    weights : array_like, shape (C_out, 1 or 3, k, k)
    ncols : int, optional
        Filters per row; default a divisor of C_out between √C_out and
        2√C_out (8 for 32 filters), else ⌈√C_out⌉.
    cmap : str, default 'gray'
        For one-channel filters.
    signed : bool, default False
        For one-channel filters: show the sign of each weight with the
        lesson's `diverging` map instead of ``cmap`` (negative blue,
        positive orange-red, 0 the page's colour), each filter scaled by its
        largest absolute weight, so that 0 stays in the middle.

    Returns
    -------
    AxesImage
        An RGBA mosaic: filter ``i`` fills rows ``r·(k + 1)`` to
        ``r·(k + 1) + k − 1`` and the same columns from ``q·(k + 1)``, with
        ``r, q = divmod(i, ncols)``; the 1-pixel gaps are transparent.
    """
    if fig_or_ax is None:
        _, ax = figure("filters")
    elif isinstance(fig_or_ax, matplotlib.axes.Axes):
        ax = fig_or_ax
    else:
        ax = fig_or_ax.add_subplot()
    w = np.asarray(weights, dtype=float)
    if w.ndim != 4 or w.shape[1] not in (1, 3):
        raise ValueError(f"weights must have shape (C_out, 1 or 3, k, k), got shape {w.shape}; "
                         "to see one input channel of a deeper layer pass weights[:, :1]")
    n, channels, kh, kw = w.shape
    ncols = ncols or columns(n)
    lo = w.min(axis=(1, 2, 3), keepdims=True)
    span = w.max(axis=(1, 2, 3), keepdims=True) - lo
    scaled = (w - lo) / np.where(span > 0, span, 1.0)
    if channels == 3:
        tiles = np.concatenate([scaled.transpose(0, 2, 3, 1), np.ones((n, kh, kw, 1))], axis=-1)
    elif signed:
        largest = np.abs(w).max(axis=(1, 2, 3), keepdims=True)
        tiles = diverging()(0.5 + 0.5 * w[:, 0] / np.where(largest > 0, largest, 1.0)[:, 0])
    else:
        tiles = matplotlib.colormaps[cmap](scaled[:, 0])
    image = ax.imshow(_mosaic(tiles, ncols), interpolation="nearest")
    ax.set_axis_off()
    ax.set_title(f"{n} filters of {channels}×{kh}×{kw}")
    return image


def _mosaic(tiles, ncols):
    """RGBA tiles ``(n, h, w, 4)`` laid out ``ncols`` to a row, with transparent 1-pixel gaps."""
    n, h, w, _ = tiles.shape
    nrows = math.ceil(n / ncols)
    mosaic = np.zeros((nrows * (h + 1) - 1, ncols * (w + 1) - 1, 4))
    for i in range(n):
        r, q = divmod(i, ncols)
        mosaic[r * (h + 1) : r * (h + 1) + h, q * (w + 1) : q * (w + 1) + w] = tiles[i]
    return mosaic


def feature_maps(fig, maps, ncols=16, cmap="gray"):
    """One image's journey through a network: a row per layer, each channel a small image.

    Within a row all channels share one scale (the row's smallest value
    black, its largest white), so a channel that barely responds looks dark
    next to one that fires.

    Parameters
    ----------
    fig : Figure or None
        Rows are added as subplots; None: a new `figure("feature_maps")`.
    maps : list of (str, array_like of shape (C, H, W) or (H, W))
        A label and that layer's output for the image, in order.
    ncols : int, default 16
        Channels per line; a row with more channels wraps.
    cmap : str, default 'gray'

    Returns
    -------
    list of AxesImage
        One per row, its data the RGBA mosaic: channel ``i`` at the
        positions `filters` describes.
    """
    fig = figure("feature_maps")[0] if fig is None else fig
    if not maps:
        raise ValueError("maps is empty: pass a list of (label, array of shape (C, H, W)) pairs")
    images = []
    axes = fig.subplots(len(maps), 1, squeeze=False)[:, 0]
    for ax, (label, x) in zip(axes, maps):
        x = np.asarray(x, dtype=float)
        x = x[None] if x.ndim == 2 else x
        if x.ndim != 3:
            raise ValueError(f"the map labelled {label!r} must have shape (C, H, W) or (H, W), "
                             f"got shape {x.shape}; for a batch pass one image, x[0]")
        span = x.max() - x.min()
        tiles = matplotlib.colormaps[cmap]((x - x.min()) / (span if span > 0 else 1.0))
        images.append(ax.imshow(_mosaic(tiles, min(ncols, len(x))), interpolation="nearest"))
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_ylabel(f"{label}\n{'×'.join(map(str, x.shape))}", rotation=0, ha="right", va="center")
        ax.set_anchor("W")
    return images


def columns(n):
    """Columns for n tiles: a divisor of n from √n to 2√n if there is one (no ragged last row)."""
    root = math.sqrt(n)
    for ncols in range(math.ceil(root), int(2 * root) + 1):
        if n % ncols == 0:
            return ncols
    return math.ceil(root)


def _series(history):
    """Epoch numbers and named series from a list of `nn.Epoch` records or a dict of lists."""
    if isinstance(history, dict):
        series = {key: np.asarray(value, dtype=float) for key, value in history.items()
                  if key not in ("epoch", "seconds")}
        length = len(next(iter(series.values())))
        epochs = np.asarray(history.get("epoch", range(1, length + 1)))
        return epochs, series
    records = list(history)
    epochs = np.array([r.epoch for r in records])
    series = {"loss": np.array([r.loss for r in records], dtype=float)}
    if any(r.test_accuracy is not None for r in records):
        series["test_accuracy"] = np.array([np.nan if r.test_accuracy is None else r.test_accuracy
                                            for r in records], dtype=float)
    return epochs, series


_LABELS = {"loss": "training loss", "train_loss": "training loss", "val_loss": "validation loss",
           "test_loss": "test loss", "accuracy": "training accuracy", "train_accuracy": "training accuracy",
           "val_accuracy": "validation accuracy", "test_accuracy": "test accuracy"}


def training_curves(ax_loss, ax_acc, history, epochs=None):
    """Loss and accuracy per epoch, training in blue, test (or validation) in teal.

    Parameters
    ----------
    ax_loss, ax_acc : Axes or None
        Either may be None to leave that plot out (both None: a new figure).
    history : list of nn.Epoch, or dict of lists
        What `convlesson.nn.fit` returns, or a dict such as ``{"loss": [...],
        "test_accuracy": [...]}``; keys ending in ``loss`` go left,
        ``accuracy`` right, and an ``epoch`` list sets the x axis.
    epochs : int, optional
        The number of epochs planned: the x axis then spans 1…epochs from the
        start, so a plot redrawn after each epoch grows instead of rescaling.

    Returns
    -------
    dict
        ``loss`` and ``accuracy``: lists of Line2D.
    """
    if ax_loss is None and ax_acc is None:
        _, (ax_loss, ax_acc) = figure("training_curves")
    epoch_numbers, series = _series(history)
    c = palette()
    drawn = {"loss": [], "accuracy": []}
    for key, values in series.items():
        kind = "loss" if key.endswith("loss") else "accuracy" if key.endswith("accuracy") else None
        ax = {"loss": ax_loss, "accuracy": ax_acc}.get(kind)
        if ax is None:
            continue
        training = key in ("loss", "train_loss", "accuracy", "train_accuracy")
        (line,) = ax.plot(epoch_numbers, values, marker="o", markersize=4, linewidth=2,
                          color=c["input"] if training else c["output"], label=_LABELS.get(key, key))
        drawn[kind].append(line)
    for ax, kind, ylabel in ((ax_loss, "loss", "cross-entropy loss"), (ax_acc, "accuracy", "accuracy")):
        if ax is None:
            continue
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        if epochs is not None:
            ax.set_xlim(0.5, epochs + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True)
        if drawn[kind]:
            ax.legend(frameon=False, loc="lower right" if kind == "accuracy" else "upper right")
        if kind == "accuracy":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylim(0, 1.02)
        else:
            ax.set_ylim(bottom=0)
    return drawn


def confusion_matrix(ax, cm, labels=None):
    """Counts of (true class, predicted class): right answers on the diagonal.

    Each cell shows its count; its teal shading is the fraction of that
    row (that true class), so classes of different sizes compare. The title
    gives the accuracy, trace / total.

    Parameters
    ----------
    ax : Axes or None
    cm : array_like, shape (K, K)
        ``cm[i, j]``: examples of class ``i`` predicted as ``j``.
    labels : list of str, optional
        Class names; default 0 … K−1.

    Returns
    -------
    dict
        ``cells`` (PatchCollection, row by row), ``texts`` (list of Text,
        row by row), ``title`` (Text).
    """
    ax = axes_or_new(ax, "confusion_matrix")
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square (K, K) array, got shape {cm.shape}")
    k = cm.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else [str(label) for label in labels]
    if len(labels) != k:
        raise ValueError(f"got {len(labels)} labels for {k} classes")
    c = palette()
    rows = cm.sum(axis=1, keepdims=True)
    fraction = cm / np.where(rows > 0, rows, 1)
    faces = np.array([[rgba(c["output"], 0.04 + 0.8 * f) for f in row] for row in fraction])
    drawn = draw_cells(ax, cm, faces=faces, color="muted", edge_alpha=0.25, fmt=lambda v: str(int(v)))
    for text, face in zip(drawn["texts"], faces.reshape(-1, 4)):
        text.set_color(ink_on(face))
    ax.set_xlim(0, k)
    ax.set_ylim(k, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(k) + 0.5, labels)
    ax.set_yticks(np.arange(k) + 0.5, labels)
    ax.tick_params(length=0)
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = cm.sum()
    accuracy = np.trace(cm) / total if total else float("nan")
    title = ax.set_title(f"accuracy {accuracy:.1%} on {int(total)} examples", pad=10, loc="center", y=-0.12)
    drawn["title"] = title
    return drawn
