"""A cell's figure as PNG (runner.tight_png): drawn once and cropped, against matplotlib's own
``savefig(bbox_inches="tight")``, which measures the figure and draws it again."""

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from mkdocs_cells import runner

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing Agg)

MARGIN = round(matplotlib.rcParams["savefig.pad_inches"] * 96)  # savefig's, in pixels at 96 dpi


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def saved(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def drawn(image):
    """Rows and columns of ``image`` (rows, columns, 4) whose colour is not its corner's."""
    ink = (image != image[0, 0]).any(axis=2)
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return rows[0], rows[-1], columns[0], columns[-1]


def image_plot():
    fig = plt.figure()
    plt.imshow(np.random.default_rng(0).random((256, 256)), cmap="gray")
    return fig


def grid_with_titles():
    fig, axes = plt.subplots(2, 4, figsize=(8, 4))
    for number, ax in enumerate(axes.flat):
        ax.imshow(np.random.default_rng(number).random((28, 28)), cmap="gray")
        ax.set_title(f"map {number}")
        ax.axis("off")
    fig.suptitle("Eight feature maps")
    return fig


def constrained_curve():
    fig, ax = plt.subplots(layout="constrained", facecolor="0.9")
    ax.plot(np.sin(np.linspace(0, 6, 100)))
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    return fig


@pytest.fixture(autouse=True)
def closed():
    yield
    plt.close("all")


@pytest.mark.parametrize("make", [image_plot, grid_with_titles, constrained_curve])
def test_crops_as_savefig_does(make):
    """The same drawing as matplotlib's tight crop, within a few pixels, with the same margin."""
    fig = make()
    ours, theirs = pixels(runner.tight_png(fig)), pixels(saved(fig))
    assert abs(ours.shape[0] - theirs.shape[0]) <= 4 and abs(ours.shape[1] - theirs.shape[1]) <= 4
    top, bottom, left, right = drawn(ours)
    assert (top, left) == (MARGIN, MARGIN)
    assert (ours.shape[0] - 1 - bottom, ours.shape[1] - 1 - right) == (MARGIN, MARGIN)
    their_top, their_bottom, their_left, their_right = drawn(theirs)
    assert abs((bottom - top) - (their_bottom - their_top)) <= 2
    assert abs((right - left) - (their_right - their_left)) <= 2
    assert (ours[0, 0] == theirs[0, 0]).all()  # the figure's own background
    assert fig.dpi == 100  # as the cell left it: a figure shown again draws the same


def test_a_drawing_past_the_edge_is_saved_whole():
    """A legend placed outside the axes goes past the figure's edge: savefig's crop keeps it."""
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], label="a line with a long label")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    ours = pixels(runner.tight_png(fig))
    assert ours.shape[1] > fig.get_figwidth() * 96
    assert np.array_equal(ours, pixels(saved(fig)))


def test_a_transparent_figure_stays_transparent():
    fig, ax = plt.subplots(facecolor="none")
    ax.plot([1, 2])
    ours = pixels(runner.tight_png(fig))
    assert ours[0, 0, 3] == ours[-1, -1, 3] == 0
    assert ours[MARGIN:-MARGIN, MARGIN:-MARGIN, 3].max() == 255


def test_an_empty_figure():
    fig = plt.figure(figsize=(2, 1))
    assert np.array_equal(pixels(runner.tight_png(fig)), pixels(saved(fig)))


def test_a_figure_without_a_pyplot_canvas():
    """A Figure made directly (no Agg canvas) still comes out as savefig's tight crop."""
    fig = Figure()
    fig.subplots().plot([1, 2])
    assert np.array_equal(pixels(runner.tight_png(fig)), pixels(saved(fig)))


def test_the_png_says_its_resolution():
    info = Image.open(io.BytesIO(runner.tight_png(image_plot()))).info
    assert [round(value) for value in info["dpi"]] == [96, 96]
