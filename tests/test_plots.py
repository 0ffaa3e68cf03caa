"""Tests for convlesson.plots: each figure draws, in both colour schemes, what the math says."""

from __future__ import annotations

import doctest
import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
import scipy.signal
from matplotlib.figure import Figure

import convlesson as cl
from convlesson import architectures as arch
from convlesson import nn, plots
from convlesson.plots.figures import FIGURES
from convlesson.plots.training import columns

SCHEMES = ["light", "dark"]
RNG = np.random.default_rng(19680801)


@pytest.fixture(params=SCHEMES)
def scheme(request):
    """Each test that takes it runs in the light and in the dark scheme."""
    with plots.theme(request.param) as colors:
        yield colors


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    """No test leaves a figure open in pyplot (the package never makes one unless asked)."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    assert plt is None or plt.get_fignums() == []


def render(fig):
    """Draw the whole figure to PNG and SVG, which runs layout, text and mathtext."""
    for fmt in ("png", "svg"):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
        assert buffer.getbuffer().nbytes > 1000


def texts(drawn):
    """The numbers written in a grid's cells, as floats, row by row."""
    return [float(t.get_text()) for t in drawn["texts"] if t.get_visible()]


def history():
    """A short made-up training history, as convlesson.nn.fit returns it."""
    return [nn.Epoch(e, 2.0 * 0.7**e, 1 - 0.5 * 0.6**e, 3.0 * e) for e in range(1, 7)]


# Every function, called as the site will call it: a figure from plots.figure, its axes unpacked.
CALLS = {
    "dense_vs_conv": lambda fig, axes: plots.dense_vs_conv(*axes),
    "kernel_gallery": lambda fig, axes: plots.kernel_gallery(fig, cl.images.photo(48)),
    "feature_map": lambda fig, ax: plots.feature_map(
        ax, cl.conv2d(cl.images.shapes(32), cl.kernels.get("edge")), "edge"),
    "grid": lambda fig, ax: plots.grid(ax, plots.EXAMPLE_INPUT, highlight=(0, 0, 3, 3)),
    "conv_step": lambda fig, axes: plots.conv_step(*axes, step=4),
    "stride_padding": lambda fig, ax: plots.stride_padding(ax, 5, 3, 2, 1),
    "pooling": lambda fig, axes: plots.pooling(*axes),
    "network_shapes": lambda fig, ax: plots.network_shapes(ax),
    "filters": lambda fig, ax: plots.filters(ax, RNG.standard_normal((8, 3, 5, 5))),
    "residual_block": lambda fig, ax: plots.residual_block(ax),
    "channel_sum": lambda fig, ax: plots.channel_sum(ax),
    "receptive_field_growth": lambda fig, axes: plots.receptive_field_growth(fig, image=np.eye(32)),
    "training_curves": lambda fig, axes: plots.training_curves(*axes, history()),
    "confusion_matrix": lambda fig, ax: plots.confusion_matrix(ax, np.array([[5, 1], [2, 7]]), ["a", "b"]),
    "feature_maps": lambda fig, axes: plots.feature_maps(
        fig, [("input", np.eye(8)), ("conv", RNG.standard_normal((16, 8, 8))), ("pool", RNG.random((32, 2, 2)))]),
}


class TestEveryFigure:
    @pytest.mark.parametrize("name", sorted(CALLS))
    def test_draws_in_both_schemes(self, scheme, name):
        """Each function draws on a bare Figure of the fixed size and renders to PNG and SVG."""
        fig, axes = plots.figure(name)
        assert fig.get_layout_engine() is not None
        drawn = CALLS[name](fig, axes)
        assert drawn is not None
        render(fig)

    @pytest.mark.parametrize("name", sorted(CALLS))
    def test_text_uses_the_scheme(self, scheme, name):
        """Titles and labels are in the scheme's text colour (or a role colour), readable on its page."""
        fig, axes = plots.figure(name)
        CALLS[name](fig, axes)
        allowed = {matplotlib.colors.to_hex(c) for c in
                   (scheme["text"], scheme["muted"], scheme["input"], scheme["kernel"], scheme["output"],
                    *plots.INKS)}
        for ax in fig.axes:
            for text in [*ax.texts, ax.title]:
                if text.get_text():
                    assert matplotlib.colors.to_hex(text.get_color()) in allowed, text.get_text()

    def test_figure_sizes_are_fixed(self):
        """figure() gives each plot its own fixed size, constrained layout and the axes it takes."""
        for name in CALLS:
            fig, axes = plots.figure(name)
            assert tuple(fig.get_size_inches()) == FIGURES[name][0]
            assert type(fig.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
        assert len(plots.figure("conv_step")[1]) == 3
        assert plots.figure("kernel_gallery")[1] is None

    def test_unknown_figure(self):
        """figure() refuses a name it does not know, listing the known ones."""
        with pytest.raises(ValueError, match="conv_step"):
            plots.figure("conv_stpe")

    def test_pyplot_figure_on_request(self):
        """figure(pyplot=True) makes a pyplot figure, so a page cell shows it; the others stay out of pyplot."""
        import matplotlib.pyplot as plt

        plots.figure("grid")
        assert plt.get_fignums() == []
        fig, _ = plots.figure("grid", pyplot=True)
        assert plt.get_fignums() == [fig.number]
        plt.close(fig)

    @pytest.mark.parametrize("name, call", [
        ("grid", lambda: plots.grid(None, [[1, 2]])),
        ("conv_step", lambda: plots.conv_step(None, None, None)),
        ("pooling", lambda: plots.pooling(None, None)),
        ("kernel_gallery", lambda: plots.kernel_gallery(None, cl.images.step_edge(8), ["edge"])),
        ("network_shapes", lambda: plots.network_shapes(None)),
        ("filters", lambda: plots.filters(None, np.ones((2, 1, 3, 3)))),
        ("residual_block", lambda: plots.residual_block(None)),
        ("channel_sum", lambda: plots.channel_sum(None)),
        ("receptive_field_growth", lambda: {"rectangles": plots.receptive_field_growth(None)["rectangles"]}),
        ("dense_vs_conv", lambda: plots.dense_vs_conv(None, None)),
        ("training_curves", lambda: plots.training_curves(None, None, history())),
        ("confusion_matrix", lambda: plots.confusion_matrix(None, np.eye(3))),
        ("stride_padding", lambda: plots.stride_padding(None)),
        ("feature_map", lambda: plots.feature_map(None, np.eye(3))),
        ("feature_maps", lambda: {"rows": plots.feature_maps(None, [("x", np.eye(3))])}),
    ])
    def test_none_makes_a_figure(self, name, call):
        """Given None instead of Axes, a function draws on a new bare Figure, not a pyplot one."""
        drawn = call()
        artist = drawn if isinstance(drawn, matplotlib.artist.Artist) else _first_artist(drawn)
        assert isinstance(artist.get_figure(), Figure)


def _first_artist(drawn):
    """Some artist out of a function's returned dict (nested dicts and lists included)."""
    for value in drawn.values():
        if isinstance(value, matplotlib.artist.Artist):
            return value
        if isinstance(value, dict):
            return _first_artist(value)
        if isinstance(value, list) and value and isinstance(value[0], matplotlib.artist.Artist):
            return value[0]
    raise AssertionError(f"no artist in {drawn}")


class TestTheme:
    @pytest.mark.parametrize("name", SCHEMES)
    def test_sets_and_restores(self, name):
        """Inside theme(), backgrounds are transparent and text has the scheme's colour; after, all is back."""
        before = dict(matplotlib.rcParams)
        with plots.theme(name) as colors:
            assert colors is plots.palette() is plots.PALETTES[name]
            assert matplotlib.rcParams["figure.facecolor"] == "none"
            assert matplotlib.rcParams["axes.facecolor"] == "none"
            assert matplotlib.rcParams["savefig.transparent"] is True
            assert matplotlib.rcParams["text.color"] == colors["text"]
            cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
            assert cycle[:3] == [colors["input"], colors["output"], colors["kernel"]]
        assert dict(matplotlib.rcParams) == before
        assert plots.palette() is plots.PALETTES["light"]

    def test_restores_after_an_error(self):
        """An exception inside the block still restores the scheme."""
        with pytest.raises(RuntimeError), plots.theme("dark"):
            raise RuntimeError
        assert plots.palette() is plots.PALETTES["light"]

    def test_unknown_scheme(self):
        """Only 'light' and 'dark' exist."""
        with pytest.raises(ValueError, match="'light' or 'dark'"), plots.theme("slate"):
            pass

    @pytest.mark.parametrize("name", SCHEMES)
    def test_contrast(self, name):
        """Text and the role colours stand out from the page background (WCAG contrast ≥ 3, text ≥ 7)."""
        colors = plots.PALETTES[name]
        background = colors["background"]
        assert _contrast(colors["text"], background) >= 7
        for role in ("input", "kernel", "output", "muted"):
            assert _contrast(colors[role], background) >= 3, role

    def test_dark_roles_are_lighter(self):
        """The dark scheme uses lighter variants of blue, orange and teal."""
        for role in ("input", "kernel", "output"):
            assert _luminance(plots.PALETTES["dark"][role]) > _luminance(plots.PALETTES["light"][role])

    @pytest.mark.parametrize("name", SCHEMES)
    def test_diverging_map_is_the_page_at_zero(self, name):
        """The signed colour map is the page's colour at 0, blue below and orange-red above."""
        cmap = plots.diverging(name)
        page = matplotlib.colors.to_rgba(plots.PALETTES[name]["background"])
        np.testing.assert_allclose(cmap(0.5), page, atol=0.01)
        low, high = cmap(0.0), cmap(1.0)
        assert low[2] > low[0] and high[0] > high[2]


def _luminance(color):
    """Relative luminance (WCAG 2)."""
    rgb = np.array(matplotlib.colors.to_rgb(color))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class TestGrid:
    @pytest.mark.parametrize("values", [
        plots.EXAMPLE_INPUT,
        np.array([[0.25, -1.5], [3.0, 0.5]]),
        np.arange(12).reshape(3, 4),
    ])
    def test_numbers_are_the_values(self, scheme, values):
        """Each cell shows its value, row by row."""
        fig, ax = plots.figure("grid")
        drawn = plots.grid(ax, values)
        assert texts(drawn) == list(np.ravel(values))
        assert len(drawn["cells"].get_paths()) == np.size(values)
        assert [t.get_text() for t in ax.texts] == [t.get_text() for t in drawn["texts"]]

    def test_rounds_to_two_decimals(self):
        """Long decimals are rounded to 2 places and integers have no decimal point."""
        drawn = plots.grid(None, [[1 / 3, 2.0, -0.125]])
        assert [t.get_text() for t in drawn["texts"]] == ["0.33", "2", "-0.12"]

    def test_cell_positions(self):
        """Cell (i, j) is centred at x = j + 0.5, y = i + 0.5, with row 0 at the top."""
        fig, ax = plots.figure("grid")
        drawn = plots.grid(ax, np.arange(6).reshape(2, 3))
        assert [t.get_position() for t in drawn["texts"]][4] == (1.5, 1.5)
        assert ax.get_ylim()[0] > ax.get_ylim()[1]

    @pytest.mark.parametrize("highlight", [(1, 1, 3, 3), (slice(1, 4), slice(1, 4))])
    def test_highlight_window(self, highlight):
        """The highlighted window is an orange rectangle over its cells."""
        fig, ax = plots.figure("grid")
        drawn = plots.grid(ax, plots.EXAMPLE_INPUT, highlight=highlight)
        window = drawn["window"]
        assert (window.get_x(), window.get_y(), window.get_width(), window.get_height()) == (1, 1, 3, 3)
        assert matplotlib.colors.to_hex(window.get_edgecolor()) == plots.palette()["kernel"]

    def test_highlight_mask(self):
        """A boolean mask marks each of its cells."""
        fig, ax = plots.figure("grid")
        mask = np.eye(3, dtype=bool)
        plots.grid(ax, np.zeros((3, 3)), highlight=mask)
        assert len(ax.patches) == 3

    def test_one_row_and_colour_map(self):
        """A 1-D array is one row; a colour map colours the cells by value and keeps text readable."""
        fig, ax = plots.figure("grid")
        drawn = plots.grid(ax, [0, 5, 10], cmap="viridis")
        faces = drawn["cells"].get_facecolors()
        np.testing.assert_allclose(faces[0], matplotlib.colormaps["viridis"](0.0))
        np.testing.assert_allclose(faces[2], matplotlib.colormaps["viridis"](1.0))
        assert drawn["texts"][0].get_color() == plots.INKS[1]  # light text on dark purple
        assert drawn["texts"][2].get_color() == plots.INKS[0]  # dark text on yellow

    @pytest.mark.parametrize("color", ["input", "kernel", "output"])
    def test_role_colours(self, scheme, color):
        """A grid is tinted with its role's colour: blue input, orange kernel, teal output."""
        drawn = plots.grid(None, [[1]], color=color)
        face = drawn["cells"].get_facecolors()[0]
        np.testing.assert_allclose(face[:3], matplotlib.colors.to_rgb(scheme[color]))

    def test_bad_shapes(self):
        """3-D values and a misshapen mask are refused."""
        with pytest.raises(ValueError, match="shape"):
            plots.grid(None, np.zeros((2, 2, 2)))
        with pytest.raises(ValueError, match="mask"):
            plots.grid(None, np.zeros((2, 2)), highlight=np.ones((3, 3), bool))


class TestFeatureMap:
    def test_data_is_the_array(self, scheme):
        """The image holds x itself; signed maps get limits symmetric around 0 and the diverging map."""
        x = cl.conv2d(cl.images.shapes(32), cl.kernels.get("sobel_x"))
        image = plots.feature_map(None, x, "sobel x")
        np.testing.assert_array_equal(image.get_array(), x)
        low, high = image.get_clim()
        assert low == -high > -np.abs(x).max() - 1e-12
        assert image.get_cmap().name.startswith("convlesson_")
        assert image.axes.get_title() == "sobel x"

    def test_unsigned_is_gray(self):
        """A map without negative values is gray, with limits from its own values."""
        x = cl.images.shapes(32)
        image = plots.feature_map(None, x)
        assert image.get_cmap().name == "gray"
        assert image.get_clim() == (0.0, 1.0)

    def test_explicit_limits(self):
        """vmin and vmax override the chosen limits."""
        assert plots.feature_map(None, np.eye(3), vmin=-2, vmax=2).get_clim() == (-2, 2)


class TestKernelGallery:
    @pytest.mark.parametrize("names", [None, ["edge", "gaussian_blur", "emboss", "sobel_x"]])
    def test_panels_are_conv2d(self, scheme, names):
        """Each panel's image is conv2d(image, kernel) for its kernel, titled with the kernel's name."""
        image = cl.images.photo(40)
        fig = Figure(figsize=(7.5, 5.6), layout="constrained")
        drawn = plots.kernel_gallery(fig, image, names)
        expected = names or plots.GALLERY
        assert list(drawn) == expected
        for ax, name in zip(fig.axes, expected):
            assert ax.images[0] is drawn[name]
            np.testing.assert_array_equal(ax.images[0].get_array(), cl.conv2d(image, cl.kernels.get(name)))
            assert ax.get_title() == name.replace("_", " ")
        render(fig)

    def test_kernel_numbers_inset(self):
        """Each panel shows its kernel's numbers in an inset, as fractions where needed."""
        fig = Figure()
        drawn = plots.kernel_gallery(fig, cl.images.step_edge(8), ["box_blur", "sharpen"])
        box_inset = drawn["box_blur"].axes.child_axes[0]
        assert [t.get_text() for t in box_inset.texts] == ["1/9"] * 9
        sharpen_inset = drawn["sharpen"].axes.child_axes[0]
        assert [float(t.get_text()) for t in sharpen_inset.texts] == list(cl.kernels.get("sharpen").ravel())

    def test_colour_image_becomes_gray(self):
        """A colour photo is turned gray with the BT.601 weights before convolving."""
        rgb = cl.images.photo(24, gray=False)
        drawn = plots.kernel_gallery(Figure(), rgb, ["identity"])
        np.testing.assert_allclose(drawn["identity"].get_array(), (rgb @ cl.images.LUMA)[1:-1, 1:-1])


class TestConvStep:
    @pytest.mark.parametrize("index", range(9))
    def test_each_step(self, scheme, index):
        """Step i: the window sits at the step's origin, outputs 0..i are written, the rest blank."""
        fig, axes = plots.figure("conv_step")
        drawn = plots.conv_step(*axes, step=index)
        steps = cl.conv_steps(plots.EXAMPLE_INPUT, plots.EXAMPLE_KERNEL)
        row, col = steps[index].origin
        window = drawn["window"]
        assert (window.get_x(), window.get_y(), window.get_width()) == (col, row, 3)
        assert texts(drawn["output"]) == [s.total for s in steps[: index + 1]]
        assert (drawn["step"].out_index, drawn["step"].total) == (steps[index].out_index, steps[index].total)
        assert texts(drawn["input"]) == list(plots.EXAMPLE_INPUT.ravel())
        assert texts(drawn["kernel"]) == list(plots.EXAMPLE_KERNEL.ravel())

    def test_last_step_is_conv2d(self):
        """After the last step the output grid is conv2d's output."""
        drawn = plots.conv_step(None, None, None, step=-1)
        expected = cl.conv2d(plots.EXAMPLE_INPUT, plots.EXAMPLE_KERNEL)
        assert texts(drawn["output"]) == list(expected.ravel())

    def test_caption_adds_up_the_products(self):
        """The caption lists the nonzero products and their sum."""
        drawn = plots.conv_step(None, None, None, step=4)
        caption = drawn["caption"].get_text().replace("$", "").replace("\n", " ")
        assert caption == "-5 + 9 - 7 + 5 - 1 + 1 = 2"

    def test_padding_and_stride(self, scheme):
        """With padding the input grid shows the zeros; with stride the output is smaller."""
        fig, axes = plots.figure("conv_step")
        x = np.arange(16.0).reshape(4, 4)
        drawn = plots.conv_step(*axes, step=3, x=x, weight=np.ones((3, 3)), stride=2, padding=1)
        assert len(drawn["input"]["texts"]) == 36
        assert texts(drawn["output"]) == list(cl.conv2d(x, np.ones((3, 3)), stride=2, padding=1).ravel())
        render(fig)

    def test_signal(self, scheme):
        """A 1-D signal is one row; its outputs are conv1d's."""
        fig, axes = plots.figure("conv_step_signal")
        signal, kernel = np.array([0, 1, 2, 3, 2, 1, 0.0]), np.array([1, 0, -1.0])
        drawn = plots.conv_step(*axes, step=cl.conv_steps(signal, kernel)[4], x=signal, weight=kernel)
        assert texts(drawn["output"]) == list(cl.conv1d(signal, kernel))
        assert drawn["window"].get_x() == 4
        assert axes[0].get_title() == "input, 7 samples" and axes[2].get_title() == "output, 5 samples"
        render(fig)

    def test_step_record(self):
        """A Step from conv_steps picks the same position as its index."""
        steps = cl.conv_steps(plots.EXAMPLE_INPUT, plots.EXAMPLE_KERNEL)
        drawn = plots.conv_step(None, None, None, step=steps[5])
        assert drawn["step"].out_index == (1, 2)

    @pytest.mark.parametrize("step", [9, -10, 1.5])
    def test_bad_step(self, step):
        """A step outside the 9 positions is refused."""
        with pytest.raises(ValueError, match="step"):
            plots.conv_step(None, None, None, step=step)


class TestStridePadding:
    @pytest.mark.parametrize("size, kernel, stride, padding, expected",
                             [(5, 3, 1, 0, 3), (5, 3, 1, 1, 5), (5, 3, 2, 1, 3), (7, 3, 2, 0, 3), (6, 2, 2, 0, 3)])
    def test_output_size(self, scheme, size, kernel, stride, padding, expected):
        """One dot per window position, an output of ⌊(W − K + 2P)/S⌋ + 1 cells a side, stated in the caption."""
        fig, ax = plots.figure("stride_padding")
        drawn = plots.stride_padding(ax, size, kernel, stride, padding)
        assert drawn["out"] == expected == cl.output_size(size, kernel, stride, padding)
        assert len(drawn["centers"].get_offsets()) == expected**2
        assert len(drawn["output"]["cells"].get_paths()) == expected**2
        assert len(drawn["input"]["cells"].get_paths()) == (size + 2 * padding) ** 2
        assert drawn["caption"].get_text().endswith(f"= {expected}$")
        render(fig)

    def test_window_positions(self):
        """The first window is at the corner and the second one stride further right."""
        drawn = plots.stride_padding(None, 5, 3, 2, 1)
        assert [w.get_x() for w in drawn["windows"]] == [0, 2]
        np.testing.assert_array_equal(drawn["centers"].get_offsets()[:3], [[1.5, 1.5], [3.5, 1.5], [5.5, 1.5]])

    def test_kernel_too_large(self):
        """A kernel larger than the padded input is refused by output_size."""
        with pytest.raises(ValueError, match="larger than the padded input"):
            plots.stride_padding(None, 3, 5, 1, 0)


class TestPooling:
    @pytest.mark.parametrize("mode, pool", [("max", cl.max_pool2d), ("avg", cl.avg_pool2d)])
    def test_output_is_the_pool(self, scheme, mode, pool):
        """The output grid holds max_pool2d (or avg_pool2d) of the input, window by window."""
        fig, axes = plots.figure("pooling")
        x = np.array([[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 1, 2], [7, 1, 3, 4]])
        drawn = plots.pooling(*axes, x, 2, mode)
        assert texts(drawn["output"]) == list(pool(x, 2).ravel())
        assert texts(drawn["input"]) == list(x.ravel())
        assert len(drawn["winners"]) == (4 if mode == "max" else 0)
        render(fig)

    def test_winners_circle_the_maxima(self):
        """Each circle sits on its window's largest number, which is bold."""
        drawn = plots.pooling(None, None)
        centres = sorted(tuple(c.center) for c in drawn["winners"])
        assert centres == sorted([(0.5, 1.5), (2.5, 0.5), (0.5, 3.5), (3.5, 3.5)])  # 4, 2, 7, 4
        bold = [float(t.get_text()) for t in drawn["input"]["texts"] if t.get_fontweight() == "bold"]
        assert sorted(bold) == [2, 4, 4, 7]

    def test_windows_have_different_colours(self):
        """Neighbouring windows differ in colour, and each output cell has its window's colour."""
        drawn = plots.pooling(None, None)
        edges = [matplotlib.colors.to_hex(c) for c in drawn["output"]["cells"].get_edgecolors()]
        assert len(set(edges)) == 4

    def test_bad_mode(self):
        """Only max and avg pooling are drawn."""
        with pytest.raises(ValueError, match="mode"):
            plots.pooling(None, None, mode="min")


class TestNetworkShapes:
    @pytest.mark.parametrize("layers", ["seed_net", "lenet5", "alexnet"])
    def test_labels_are_the_summary_shapes(self, scheme, layers):
        """The boxes are labelled with the input shape and the output shapes of architectures.summary."""
        fig, ax = plots.figure("network_shapes")
        drawn = plots.network_shapes(ax, layers)
        summary = arch.summary(layers)
        labels = [t.get_text() for t in drawn["labels"]]
        assert labels == [arch.format_shape(s) for s in drawn["shapes"]]
        assert drawn["shapes"][0] == summary.input_shape
        assert drawn["shapes"][-1] == summary.output_shape
        assert set(drawn["shapes"][1:]) == {row.output_shape for row in summary}
        render(fig)

    def test_seed_net(self):
        """The seed network: 3×32×32, 32×32×32, 32×16×16, 64×16×16, 64×8×8, 4096, 10."""
        drawn = plots.network_shapes(None)
        assert [t.get_text() for t in drawn["labels"]] == [
            "3×32×32", "32×32×32", "32×16×16", "64×16×16", "64×8×8", "4096", "10"
        ]
        assert [t.get_text() for t in drawn["names"]][:2] == ["input", "conv 3×3\n+ ReLU"]

    def test_boxes_shrink_and_deepen(self):
        """Box height follows H (halved by each pool) and width grows with the channels."""
        drawn = plots.network_shapes(None)
        fronts = [faces[-1].get_xy() for faces in drawn["boxes"]]
        heights = [np.ptp(xy[:, 1]) for xy in fronts]
        widths = [np.ptp(xy[:, 0]) for xy in fronts]
        assert heights[1] == pytest.approx(2 * heights[2]) == pytest.approx(4 * heights[4])
        assert widths[0] < widths[1] < widths[3]

    def test_list_with_shape(self):
        """A plain list of specs works given its input shape."""
        drawn = plots.network_shapes(None, [arch.Conv(1, 4, 3), arch.ReLU(), arch.Pool(2)], (1, 10, 10))
        assert drawn["shapes"] == [(1, 10, 10), (4, 8, 8), (4, 4, 4)]


class TestFilters:
    @pytest.mark.parametrize("channels", [1, 3])
    def test_tiles_are_the_normalised_filters(self, scheme, channels):
        """Tile i is filter i scaled to [0, 1] on its own (RGB for 3 channels, gray for 1)."""
        w = RNG.standard_normal((6, channels, 3, 3))
        fig, ax = plots.figure("filters")
        image = plots.filters(ax, w)
        mosaic = np.asarray(image.get_array())
        ncols = 3  # 6 filters: 2 rows of 3
        assert mosaic.shape == (2 * 4 - 1, ncols * 4 - 1, 4)
        for i in range(6):
            r, q = divmod(i, ncols)
            tile = mosaic[r * 4 : r * 4 + 3, q * 4 : q * 4 + 3]
            scaled = (w[i] - w[i].min()) / (w[i].max() - w[i].min())
            if channels == 3:
                np.testing.assert_allclose(tile[..., :3], scaled.transpose(1, 2, 0))
            else:
                np.testing.assert_allclose(tile, matplotlib.colormaps["gray"](scaled[0]))
        assert mosaic[3, :, 3].max() == 0  # the gaps are transparent
        render(fig)

    def test_figure_or_axes(self):
        """A Figure gets one new Axes; an Axes is drawn into."""
        fig = Figure()
        image = plots.filters(fig, np.ones((4, 1, 5, 5)))
        assert fig.axes == [image.axes]

    def test_columns(self):
        """32 filters go in 4 rows of 8, 10 in 2 of 5, 7 in 3 of 3."""
        assert [columns(n) for n in (32, 10, 7, 16)] == [8, 5, 3, 4]

    def test_bad_shape(self):
        """Weights that are not (C_out, 1 or 3, k, k) are refused with a hint."""
        with pytest.raises(ValueError, match=r"weights\[:, :1\]"):
            plots.filters(None, np.ones((4, 16, 3, 3)))


class TestDiagrams:
    def test_dense_vs_conv_wires(self, scheme):
        """24 wires (one weight each) on the left, 4 outputs × 3 shared weights on the right."""
        fig, axes = plots.figure("dense_vs_conv")
        drawn = plots.dense_vs_conv(*axes)
        assert len(drawn["dense"]["wires"].get_segments()) == cl.linear_params(6, 4, bias=False) == 24
        assert len(drawn["conv"]["wires"].get_segments()) == 4 * 3
        conv_colors = {matplotlib.colors.to_hex(c) for c in drawn["conv"]["wires"].get_colors()}
        assert len(conv_colors) == 3  # one colour per shared weight
        assert "24 weights" in axes[0].get_title() and "3 weights" in axes[1].get_title()
        assert len(drawn["conv"]["neurons"].get_offsets()) == cl.output_size(6, 3)
        render(fig)

    def test_residual_block(self, scheme):
        """The block shows two weight layers, the + node and the shortcut arrow, and names F(x) + x."""
        fig, ax = plots.figure("residual_block")
        drawn = plots.residual_block(ax)
        assert len(drawn["layers"]) == 2
        assert len(drawn["arrows"]) == 5
        words = " ".join(t.get_text() for t in drawn["texts"])
        assert "F(x)" in words and "+ x" in words and "shortcut" in words
        render(fig)


class TestTraining:
    def test_curves_from_fit_history(self, scheme):
        """The lines are the loss and test accuracy of each Epoch record."""
        fig, axes = plots.figure("training_curves")
        records = history()
        drawn = plots.training_curves(*axes, records)
        (loss,), (acc,) = drawn["loss"], drawn["accuracy"]
        np.testing.assert_array_equal(loss.get_xdata(), [r.epoch for r in records])
        np.testing.assert_array_equal(loss.get_ydata(), [r.loss for r in records])
        np.testing.assert_array_equal(acc.get_ydata(), [r.test_accuracy for r in records])
        render(fig)

    def test_curves_from_a_dict(self):
        """A dict of lists works too; 'val_' series are drawn beside the training ones."""
        drawn = plots.training_curves(None, None, {"loss": [1, 0.5], "val_loss": [1.2, 0.8],
                                                   "accuracy": [0.5, 0.7], "val_accuracy": [0.4, 0.6]})
        assert [line.get_label() for line in drawn["loss"]] == ["training loss", "validation loss"]
        assert len(drawn["accuracy"]) == 2

    def test_fixed_epoch_axis_for_live_plots(self):
        """With the planned number of epochs the x axis spans them all, from no record on."""
        fig, axes = plots.figure("training_curves")
        drawn = plots.training_curves(*axes, [], epochs=8)
        assert all(ax.get_xlim() == (0.5, 8.5) for ax in axes)
        assert len(drawn["loss"][0].get_xdata()) == 0
        fig, axes = plots.figure("training_curves")
        plots.training_curves(*axes, history()[:2], epochs=8)
        assert axes[0].get_xlim() == (0.5, 8.5)

    def test_feature_maps_rows(self, scheme):
        """A row per layer; channel i of a row is its tile, scaled with the whole row, gaps between."""
        x = RNG.standard_normal((5, 3, 4))
        fig, _ = plots.figure("feature_maps")
        first, second = plots.feature_maps(fig, [("input", x[0]), ("conv", x)], ncols=2)
        tiles = second.get_array()
        assert tiles.shape == (3 * (3 + 1) - 1, 2 * (4 + 1) - 1, 4)  # 5 channels of 3×4, 2 to a row
        gray = matplotlib.colormaps["gray"]((x - x.min()) / (x.max() - x.min()))
        np.testing.assert_allclose(tiles[4:7, 5:9], gray[3])  # channel 3: row 1, column 1
        assert tiles[3, :, 3].max() == 0  # the gap between tile rows is transparent
        assert first.get_array().shape == (3, 4, 4)
        assert fig.axes[1].get_ylabel() == "conv\n5×3×4"
        render(fig)

    def test_feature_maps_refuses_a_batch(self):
        """A batch instead of one image's maps is refused, saying how to pick one."""
        with pytest.raises(ValueError, match=r"got shape \(2, 4, 3, 3\); for a batch pass one image, x\[0\]"):
            plots.feature_maps(None, [("conv", np.ones((2, 4, 3, 3)))])
        with pytest.raises(ValueError, match="maps is empty"):
            plots.feature_maps(None, [])

    def test_one_axes_only(self):
        """Either Axes may be None: only the other plot is drawn."""
        fig, ax = plots.figure("grid")
        drawn = plots.training_curves(ax, None, history())
        assert len(drawn["loss"]) == 1 and drawn["accuracy"] == []

    def test_confusion_matrix(self, scheme):
        """Cells show the counts, row by row; the title gives trace / total."""
        fig, ax = plots.figure("confusion_matrix")
        cm = np.array([[8, 2, 0], [1, 7, 2], [0, 0, 10]])
        drawn = plots.confusion_matrix(ax, cm, ["circle", "square", "triangle"])
        assert texts(drawn) == list(cm.ravel())
        assert "83.3%" in drawn["title"].get_text()
        assert [t.get_text() for t in ax.get_xticklabels()] == ["circle", "square", "triangle"]
        render(fig)

    @pytest.mark.parametrize("cm", [np.array([[34, 2, 0], [3, 40, 9], [0, 1, 50]]), np.eye(4) * 7])
    def test_confusion_matrix_text_is_readable(self, scheme, cm):
        """Every count contrasts with its cell, pale or dark, as seen on the page (WCAG ≥ 4.5)."""
        drawn = plots.confusion_matrix(None, cm)
        page = np.array(matplotlib.colors.to_rgb(scheme["background"]))
        for text, face in zip(drawn["texts"], drawn["cells"].get_facecolors()):
            seen = face[3] * face[:3] + (1 - face[3]) * page
            assert _contrast(text.get_color(), seen) >= 4.5, text.get_text()

    def test_confusion_matrix_shape(self):
        """A non-square matrix or the wrong number of labels is refused."""
        with pytest.raises(ValueError, match="square"):
            plots.confusion_matrix(None, np.ones((2, 3)))
        with pytest.raises(ValueError, match="labels"):
            plots.confusion_matrix(None, np.ones((2, 2)), ["a"])


class TestImports:
    def test_convlesson_does_not_import_matplotlib(self):
        """import convlesson (and its architectures) leaves matplotlib unloaded; plots loads it, not pyplot."""
        code = ("import sys, convlesson, convlesson.architectures\n"
                "assert 'matplotlib' not in sys.modules, 'matplotlib'\n"
                "import convlesson.plots\n"
                "assert 'matplotlib' in sys.modules\n"
                "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot'\n")
        subprocess.run([sys.executable, "-c", code], check=True)

    def test_docstring_examples(self):
        """The >>> examples of the module give what they show."""
        result = doctest.testmod(plots)
        assert result.attempted >= 4 and result.failed == 0


class TestChannelSum:
    def test_maps_are_scipy_correlations_and_output_their_sum(self, scheme):
        """Each channel's map is scipy's correlation of that channel with its slice; the output adds them and the bias."""
        x, w, b = RNG.integers(-3, 4, (3, 4, 5)).astype(float), RNG.integers(-2, 3, (3, 2, 3)).astype(float), 2.0
        drawn = plots.channel_sum(None, x, w, b)
        expected = np.stack([scipy.signal.correlate2d(x[c], w[c], mode="valid") for c in range(3)])
        np.testing.assert_array_equal(drawn["per_channel"], expected)
        np.testing.assert_array_equal(drawn["values"], expected.sum(axis=0) + b)
        shown = [float(t.get_text()) for t in drawn["output"]["texts"]]
        assert shown == list((expected.sum(axis=0) + b).ravel())

    def test_example_is_a_layer_with_one_filter(self):
        """The default numbers are one filter of a layer: the output is conv2d of the volume with the (1, C, kH, kW) weight."""
        drawn = plots.channel_sum(None)
        layer = cl.conv2d(plots.EXAMPLE_VOLUME, plots.EXAMPLE_FILTER[None], np.array([plots.EXAMPLE_BIAS]))
        np.testing.assert_array_equal(drawn["values"], layer[0])
        assert [t.get_text() for t in drawn["inputs"][1]["texts"]] == [
            str(int(v)) for v in plots.EXAMPLE_VOLUME[1].ravel()]

    def test_channels_must_match(self):
        with pytest.raises(ValueError, match="same C"):
            plots.channel_sum(None, np.ones((3, 4, 4)), np.ones((2, 2, 2)))


class TestReceptiveFieldGrowth:
    @staticmethod
    def depends_on(layers, size):
        """First and last input pixel each unit of each layer depends on, by following the windows (no convlesson)."""
        lo, hi = np.arange(size), np.arange(size)
        big = np.iinfo(int).max
        out = []
        for k, s, p, d in layers:
            lo = np.concatenate([np.full(p, big), lo, np.full(p, big)])
            hi = np.concatenate([np.full(p, -big), hi, np.full(p, -big)])
            n = (len(lo) - d * (k - 1) - 1) // s + 1
            taps = np.arange(n)[:, None] * s + np.arange(k)[None, :] * d
            lo, hi = lo[taps].min(axis=1), hi[taps].max(axis=1)
            out.append((lo, hi))
        return out

    @pytest.mark.parametrize("layers, size", [
        ("seed_net", 32),
        ([(3, 1, 0, 1), (3, 1, 0, 1), (3, 1, 0, 1)], 16),
        ([(5, 1, 2, 1), (2, 2, 0, 1), (3, 1, 1, 2), (3, 2, 0, 1)], 40),
    ])
    def test_windows_are_the_pixels_a_unit_depends_on(self, layers, size):
        """The outlined square is, on each axis, the input pixels that the outlined unit's value depends on."""
        drawn = plots.receptive_field_growth(None, layers, size=size, image=np.zeros((size, size)))
        specs = cl.architectures.rf_layers(layers) if isinstance(layers, str) else layers
        for (lo, hi), unit, window in zip(self.depends_on(specs, size), drawn["units"], drawn["windows"]):
            assert window == (lo[unit], lo[unit], hi[unit], hi[unit])
            assert abs((lo[unit] + hi[unit]) / 2 - size / 2) <= max(4, (hi[unit] - lo[unit]) / 2)

    def test_seed_net_panels(self):
        """One panel per conv and pool of the lesson's network, titled with its receptive field."""
        fig, _ = plots.figure("receptive_field_growth")
        drawn = plots.receptive_field_growth(fig)
        assert drawn["names"] == ["conv1", "pool1", "conv2", "pool2"]
        assert [ax.get_title() for ax in fig.axes] == [
            f"{n}\nsees {f.rf}×{f.rf}" for n, f in zip(drawn["names"], drawn["fields"])]


class TestSignedFilters:
    def test_sign_colours(self, scheme):
        """signed=True: a zero weight takes the page's colour, the largest positive and negative the map's ends."""
        w = np.zeros((2, 1, 3, 3))
        w[0, 0, 0, 0], w[0, 0, 2, 2] = 2.0, -1.0
        w[1, 0, 1, 1] = -3.0
        mosaic = plots.filters(None, w, ncols=2, signed=True).get_array()
        cmap = plots.diverging()
        np.testing.assert_allclose(mosaic[0, 0], cmap(1.0))            # +2, the filter's largest |w|
        np.testing.assert_allclose(mosaic[2, 2], cmap(0.25))           # −1 of 2: a quarter of the way
        np.testing.assert_allclose(mosaic[1, 1], cmap(0.5))            # 0: the page's colour
        np.testing.assert_allclose(mosaic[1, 4 + 1], cmap(0.0))        # −3, the second filter's largest |w|
        np.testing.assert_allclose(matplotlib.colors.to_rgb(cmap(0.5)),
                                   matplotlib.colors.to_rgb(scheme["background"]), atol=0.01)
