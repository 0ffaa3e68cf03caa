"""The seven figures as a reader uses them, in Chromium: each control, and what the figure shows.

Expected numbers are computed here with convlesson (never read from the figures' code): a
figure passes when what it shows, rounded as shown, is convlesson's number for the state the
test put it in. "Open as code" is checked by running the code a figure hands over in CPython,
as the build runs cells, and once in Pyodide. Screenshots of each figure, light and dark (and
375 px wide), go to test-artifacts/widgets/ for review.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import convlesson as cl
from mkdocs_cells import runner
from conftest import ROOT
from test_widget_math import read_by_conv1d, reference_rows

cell_runner = runner.install()

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "widgets"
NAMES = ["sliding_1d", "kernel_explorer", "stride_padding", "output_size", "pooling", "network_shapes", "conv_playground"]

# Keeps Python from loading in the background (cells.js prefetches it when the browser is idle),
# so that these tests measure and drive the figures alone. Figures never need Python.
NO_PREFETCH = "window.requestIdleCallback = () => 0;"
# Catches the code "Open as code" sends to the cell before the cell gets it (and runs it).
CAPTURE = """document.addEventListener("cl-set-code", (event) => {
    window.__code = event.detail.code;
    event.stopPropagation();
}, true);"""


def value(text: str) -> float:
    """A number as a figure writes it (true minus sign)."""
    return float(text.strip().replace("−", "-"))


def shows(text: str, expected: float) -> bool:
    """The text is ``expected`` rounded to the two decimals a figure shows."""
    digits = text.strip().split(".")[1] if "." in text else ""
    return len(digits) <= 2 and abs(value(text) - expected) <= 0.005 + 1e-9


def numbers(text: str) -> list[float]:
    return [value(t) for t in re.findall(r"[−-]?\d+(?:\.\d+)?", text)]


class Figures:
    """The gallery page with its seven figures ready."""

    def __init__(self, page, server):
        self.page = page
        page.add_init_script(NO_PREFETCH)
        page.add_init_script(CAPTURE)
        page.goto(server.url + "figures/")
        page.wait_for_function(f"document.querySelectorAll('figure.cl-widget[data-ready]').length === {len(NAMES)}")

    def __call__(self, name):
        return self.page.locator(f'figure.cl-widget[data-widget="{name}"]')

    def data(self, name):
        return json.loads(self(name).locator("template.cl-widget__data").evaluate("t => t.content.textContent"))

    def texts(self, name, group):
        return self(name).get_by_role("group", name=group, exact=True).locator(".cl-grid__cell").all_inner_texts()

    def code(self, name):
        """The code "Open as code" hands to the cell under the figure."""
        self.page.evaluate("window.__code = null")
        self(name).get_by_role("button", name="Open as code").click()
        return self.page.evaluate("window.__code")

    def cell_source(self, name):
        block = self(name).locator("xpath=..")
        return block.locator(".cl-cell__source").input_value()


@pytest.fixture
def figures(page, server):
    page.set_viewport_size({"width": 1100, "height": 1400})
    return Figures(page, server)


def run_python(code: str) -> str:
    """Run code as a cell runs at build time; return what it printed."""
    out = []
    cell_runner.reset("test-widgets")
    reply = cell_runner.run(code, "test-widgets", 1, lambda kind, payload: out.append((kind, payload)))
    assert "error" not in reply, reply.get("error")
    return "".join(p for kind, p in out if kind == "stdout")


# ---------------------------------------------------------------------------------------------


class TestSliding1d:
    def test_step_shows_products_sum_and_output(self, figures):
        """Each Step moves the window one sample; products, sum and outputs are cl.conv_steps's."""
        fig = figures("sliding_1d")
        signal = figures.data("sliding_1d")["signal"]
        steps = cl.conv_steps(signal, [-1, 0, 1])
        assert figures.texts("sliding_1d", "Signal") == [str(v) for v in signal]
        for t, step in enumerate(steps):
            products = figures.texts("sliding_1d", "Products")
            assert all(shows(a, b) for a, b in zip(products, step.products, strict=True))
            sum_text = fig.locator(".cl-slide__sum").inner_text()
            assert sum_text.startswith(f"Step {t + 1} of {len(steps)}") and shows(sum_text.split("=")[-1], step.total)
            outputs = figures.texts("sliding_1d", "Output")
            assert [value(o) for o in outputs[1:t + 2]] == [s.total for s in steps[:t + 1]]
            assert all(o == "" for o in outputs[t + 2:])
            fig.get_by_role("button", name="Step").click()
        assert fig.locator(".cl-slide__sum").inner_text().startswith("Step 1 of")  # Step wraps round

    def test_kernel_choice_play_and_reset(self, figures, page):
        """Another kernel starts over; Play fills the whole output (cl.conv1d); Reset goes back to step 1."""
        fig = figures("sliding_1d")
        signal = np.array(figures.data("sliding_1d")["signal"], float)
        fig.get_by_role("combobox", name="Kernel").select_option("peak")
        assert fig.locator(".cl-slide__sum").inner_text().startswith("Step 1 of 6")
        fig.get_by_role("combobox", name="Speed").select_option("fast")
        fig.get_by_role("button", name="Play").click()
        fig.get_by_role("button", name="Pause").wait_for()
        fig.get_by_role("button", name="Play").wait_for(timeout=5000)  # back to Play at the end
        outputs = [value(o) for o in figures.texts("sliding_1d", "Output")[1:-1]]
        assert outputs == cl.conv1d(signal, np.array([-1.0, 2.0, -1.0])).tolist()
        fig.get_by_role("button", name="Reset").click()
        assert fig.locator(".cl-slide__sum").inner_text().startswith("Step 1 of 6")

    def test_keyboard_operates_the_player(self, figures, page):
        """Tab reaches Step; Enter and Space press it."""
        fig = figures("sliding_1d")
        fig.get_by_role("combobox", name="Kernel").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Step"
        page.keyboard.press("Enter")
        page.keyboard.press("Space")
        assert fig.locator(".cl-slide__sum").inner_text().startswith("Step 3 of")


class TestKernelExplorer:
    def photo(self):
        return cl.images.photo(64)

    def shown_range(self, fig):
        text = fig.locator(".cl-explorer__range").inner_text()
        low, high = text.split("values from ")[1].split(" to ")
        return low, high

    def check_range(self, fig, feature_map):
        low, high = self.shown_range(fig)
        assert shows(low, feature_map.min()) and shows(high, feature_map.max())

    def test_every_preset_with_and_without_flip(self, figures):
        """For each kernel of cl.kernels the figure's range is cl.conv2d's; flipped, cl.convolve2d's."""
        fig = figures("kernel_explorer")
        x = self.photo()
        select = fig.get_by_role("combobox", name="Kernel")
        flip = fig.get_by_role("checkbox", name="Flip the kernel (true convolution)")
        for name in cl.kernels.names():
            select.select_option(name)
            k = cl.kernels.get(name)
            boxes = [fig.get_by_label(f"Kernel row {u + 1}, column {v + 1}").input_value() for u in range(3) for v in range(3)]
            np.testing.assert_allclose([float(b) for b in boxes], k.ravel(), atol=5e-5)
            self.check_range(fig, cl.conv2d(x, k, padding=1))
            flip.check()
            self.check_range(fig, cl.convolve2d(x, k, padding=1))
            flip.uncheck()

    def test_custom_kernel_typed_by_the_reader(self, figures):
        """Typing weights makes the kernel custom; the figure then shows cl.conv2d of the typed kernel."""
        fig = figures("kernel_explorer")
        k = np.array([[1, 2, 1], [0, 0, 0], [-1, -2.5, -1]])
        for (u, v), w in np.ndenumerate(k):
            fig.get_by_label(f"Kernel row {u + 1}, column {v + 1}").fill(str(w))
        assert fig.get_by_role("combobox", name="Kernel").input_value() == "custom"
        self.check_range(fig, cl.conv2d(self.photo(), k, padding=1))
        fig.get_by_role("checkbox", name="Flip the kernel (true convolution)").check()
        self.check_range(fig, cl.convolve2d(self.photo(), k, padding=1))
        box = fig.get_by_label("Kernel row 1, column 1")
        box.fill("")
        assert box.get_attribute("aria-invalid") == "true"
        self.check_range(fig, cl.convolve2d(self.photo(), k, padding=1))  # the last valid kernel stays

    def test_pointing_reads_one_value(self, figures):
        """Pointing at the feature map reads out that pixel's value, and outlines its window on the input."""
        fig = figures("kernel_explorer")
        feature_map = cl.conv2d(self.photo(), cl.kernels.get("edge"), padding=1)
        canvas = fig.get_by_role("img", name="The feature map")
        box = canvas.bounding_box()
        for i, j in [(10, 20), (40, 33), (63, 0)]:
            canvas.hover(position={"x": (j + 0.5) * box["width"] / 64, "y": (i + 0.5) * box["height"] / 64})
            text = fig.locator(".cl-explorer__readout").inner_text()
            assert text.startswith(f"feature map [{i}, {j}] = ")
            assert abs(value(text.split("= ")[1].split(":")[0]) - feature_map[i, j]) <= 0.0005 + 1e-9
            assert fig.locator(".cl-explorer__window").is_visible()

    def test_canvas_draws_the_feature_map(self, figures):
        """The output canvas is drawn (its pixels vary), and differs between kernels."""
        fig = figures("kernel_explorer")
        canvas = fig.get_by_role("img", name="The feature map")
        read = "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, n) => n % 4 === 0))"
        edge = canvas.evaluate(read)
        fig.get_by_role("combobox", name="Kernel").select_option("box_blur")
        blur = canvas.evaluate(read)
        assert len(set(edge)) > 20 and len(set(blur)) > 20 and edge != blur


class TestStridePadding:
    def set(self, fig, page, name, target):
        slider = fig.get_by_role("slider", name=name)
        slider.focus()
        current = int(slider.input_value())
        for _ in range(abs(target - current)):
            page.keyboard.press("ArrowRight" if target > current else "ArrowLeft")
        assert int(slider.input_value()) == target

    def test_sliders_resize_the_output_as_output_size_says(self, figures, page):
        """Every stride and padding for a 7×7 input and 3×3 kernel: output grid and formula follow cl.output_size."""
        fig = figures("stride_padding")
        self.set(fig, page, "Input size", 7)
        for stride in (1, 2, 3):
            for padding in (0, 1, 2):
                self.set(fig, page, "Stride", stride)
                self.set(fig, page, "Padding", padding)
                out = cl.output_size(7, 3, stride=stride, padding=padding)
                assert len(figures.texts("stride_padding", "Output")) == out * out
                assert len(figures.texts("stride_padding", "Padded input")) == (7 + 2 * padding) ** 2
                formula = fig.locator(".cl-stride__formula").inner_text()
                assert f"⌊(7 − 3 + 2·{padding}) / {stride}⌋ + 1 = {out}" in formula

    def test_output_cell_moves_the_window_to_its_origin(self, figures, page):
        """Choosing an output cell puts the orange window at cl.conv_steps's origin for it."""
        fig = figures("stride_padding")
        self.set(fig, page, "Input size", 8)
        self.set(fig, page, "Stride", 2)
        self.set(fig, page, "Padding", 1)
        steps = cl.conv_steps(np.ones((8, 8)), np.ones((3, 3)), stride=2, padding=1)
        window = fig.locator(".cl-grid__window")
        for step in (steps[0], steps[5], steps[-1]):
            i, j = step.out_index
            fig.get_by_role("button", name=re.compile(rf"^Output \({i}, {j}\)")).click()
            origin = window.evaluate("w => [w.style.getPropertyValue('--i'), w.style.getPropertyValue('--j')].map(Number)")
            assert origin == list(step.origin)

    def test_unread_and_no_output(self, figures, page):
        """6 wide, stride 2, no padding: the last row and column are marked unread; a too-large kernel gives no output."""
        fig = figures("stride_padding")
        self.set(fig, page, "Input size", 6)
        self.set(fig, page, "Stride", 2)
        read = read_by_conv1d(6, 3, 2, 0, 1)
        marked = fig.get_by_role("group", name="Padded input").locator(".cl-grid__cell.is-unread").count()
        unread = 6 - int(read.sum())
        assert marked == 6 * 6 - (6 - unread) ** 2
        self.set(fig, page, "Input size", 3)
        self.set(fig, page, "Kernel size", 5)
        assert "no output" in fig.locator(".cl-stride__formula").inner_text()
        with pytest.raises(ValueError):
            cl.output_size(3, 5)


class TestOutputSize:
    CASES = [(8, 3, 0, 2, 1), (32, 3, 1, 1, 1), (224, 7, 3, 2, 1), (7, 3, 0, 3, 1), (10, 3, 2, 3, 2),
             (5, 4, 0, 1, 2), (3, 5, 0, 1, 1), (256, 11, 10, 8, 4), (1, 1, 0, 1, 1), (17, 2, 0, 5, 3)]

    def fill(self, fig, case):
        for label, number in zip(("Input size W", "Kernel K", "Padding P", "Stride S", "Dilation D"), case):
            fig.get_by_role("spinbutton", name=label).fill(str(number))

    def test_result_as_you_type(self, figures):
        """Each case: the result is cl.output_size (or none where it raises), and the formula carries the numbers."""
        fig = figures("output_size")
        for case in self.CASES:
            w, k, p, s, d = case
            self.fill(fig, case)
            result = fig.locator(".cl-size__result").inner_text()
            try:
                expected = cl.output_size(w, k, stride=s, padding=p, dilation=d)
            except ValueError:
                assert result == "none", case
                continue
            assert result == str(expected), case
            room = w + 2 * p - (d * (k - 1) + 1)
            lines = fig.locator(".cl-size__lines").inner_text()
            assert f"⌊{room} / {s}⌋ + 1 = {room // s} + 1 = {expected}" in lines, case

    def test_strip_marks_what_the_floor_leaves(self, figures):
        """The strip's unread columns are those no one-hot input lights up through cl.conv1d."""
        fig = figures("output_size")
        for case in [(8, 3, 0, 2, 1), (11, 3, 1, 3, 1), (12, 2, 0, 4, 1), (9, 3, 0, 2, 2)]:
            w, k, p, s, d = case
            self.fill(fig, case)
            read = read_by_conv1d(w, k, s, p, d)
            marked = fig.locator(".cl-size__cell.is-leftover, .cl-size__cell.is-skipped").all_inner_texts()
            assert [int(t) for t in marked] == [i for i in range(w) if not read[i]], case
            if case == (8, 3, 0, 2, 1):
                assert "column 7 of the input is never read" in fig.locator(".cl-size__lines").inner_text()

    def test_out_of_range_entry_is_flagged(self, figures):
        """A size outside 1…256 is marked invalid and no result is shown until it is fixed."""
        fig = figures("output_size")
        box = fig.get_by_role("spinbutton", name="Input size W")
        box.fill("0")
        assert box.get_attribute("aria-invalid") == "true"
        assert fig.locator(".cl-size__result").inner_text() == "—"
        assert "from 1 to 256" in fig.locator(".cl-size__lines").inner_text()
        box.fill("9")
        assert fig.locator(".cl-size__result").inner_text() == str(cl.output_size(9, 3, stride=2))


class TestPooling:
    def grid(self, figures, name):
        cells = [value(t) for t in figures.texts("pooling", name)]
        n = int(len(cells) ** 0.5)
        return np.array(cells).reshape(n, n)

    def test_max_average_and_new_numbers(self, figures):
        """For every example: the output is cl.max_pool2d of the input shown, or cl.avg_pool2d after switching."""
        fig = figures("pooling")
        for _ in range(len(figures.data("pooling")["examples"])):
            x = self.grid(figures, "Input, 4 by 4")
            fig.get_by_role("radio", name="Max").check()
            assert np.array_equal(self.grid(figures, "Pooled output, 2 by 2"), cl.max_pool2d(x, 2))
            winners = [value(t) for t in fig.locator(".cl-grid__cell.is-winner").all_inner_texts()]
            assert sorted(winners) == sorted(cl.max_pool2d(x, 2).ravel())
            fig.get_by_role("radio", name="Average").check()
            np.testing.assert_allclose(self.grid(figures, "Pooled output, 2 by 2"), cl.avg_pool2d(x, 2), atol=0.005)
            assert fig.locator(".cl-grid__cell.is-winner").count() == 0
            fig.get_by_role("button", name="New numbers").click()

    def test_output_cell_focus_highlights_its_window(self, figures, page):
        """Focusing an output cell dims the other three windows and names its sum."""
        fig = figures("pooling")
        fig.get_by_role("button", name=re.compile(r"^Output \(1, 0\)")).focus()
        dimmed = fig.get_by_role("group", name="Input, 4 by 4").locator(".cl-grid__cell.is-dim")
        assert dimmed.count() == 12
        assert fig.locator(".cl-pool__sums li.is-focus").inner_text().startswith("max(")


class TestNetworkShapes:
    def rows(self, fig):
        out = []
        for item in fig.locator("li.cl-net__layer").all():
            shape = item.locator(".cl-net__shape").inner_text()
            params = item.locator(".cl-net__params").inner_text()
            error = "is-error" in item.get_attribute("class")
            out.append(None if error else ([int(n) for n in shape.split("×")] if shape else None,
                                           int(params.split()[0].replace(",", "")) if params else 0))
        return out

    def check(self, figures, fig, shape, layers):
        expected = reference_rows(shape, layers)
        got = self.rows(fig)
        for mine, ref in zip(got, expected, strict=True):
            if ref is None:
                assert mine is None or mine[0] is None
            else:
                assert mine == (ref[0], ref[1])
        if all(r is not None for r in expected):
            total = sum(r[1] for r in expected)
            assert fig.locator(".cl-net__total").inner_text() == f"Total: {total:,} parameters"

    def test_lesson_network(self, figures):
        """Shapes and parameters of the seed network, as convlesson computes them; total 60,362."""
        fig = figures("network_shapes")
        data = figures.data("network_shapes")
        self.check(figures, fig, data["input"], data["layers"])
        assert fig.locator(".cl-net__total").inner_text() == "Total: 60,362 parameters"
        names = fig.locator(".cl-net__name").all_inner_texts()
        assert names[0] == "Conv2d(3, 32, 3, padding=1)" and names[-1] == "Linear(4096, 10)"
        label = fig.get_by_role("img").get_attribute("aria-label")
        assert "MaxPool2d 64×8×8" in label and "Linear 10" in label

    def test_editing_the_layer_list(self, figures, page):
        """Change settings and types, add, move and remove layers: every row follows convlesson."""
        fig = figures("network_shapes")
        data = figures.data("network_shapes")
        shape, layers = list(data["input"]), [dict(layer) for layer in data["layers"]]

        fig.get_by_label("Layer 1 channels").fill("16")
        layers[0]["out"] = 16
        self.check(figures, fig, shape, layers)
        assert fig.locator(".cl-net__name").nth(3).inner_text() == "Conv2d(16, 64, 3, padding=1)"

        fig.get_by_role("combobox", name="Layer 3 type").select_option("AvgPool2d")
        layers[2] = {"type": "AvgPool2d", "kernel": 2, "stride": 2}
        fig.get_by_label("Layer 4 stride").fill("2")
        layers[3]["stride"] = 2
        self.check(figures, fig, shape, layers)

        fig.get_by_label("Input height").fill("64")
        shape[1] = 64
        self.check(figures, fig, shape, layers)

        fig.get_by_role("button", name="Move layer 2 up").click()
        layers[0], layers[1] = layers[1], layers[0]
        self.check(figures, fig, shape, layers)
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move layer 1 down"

        fig.get_by_role("button", name="Add layer").click()
        layers.append({"type": "Conv2d", "out": 16, "kernel": 3, "stride": 1, "padding": 1})
        self.check(figures, fig, shape, layers)  # a Conv2d after Linear cannot work
        assert "red" in fig.locator(".cl-net__total").inner_text()
        fig.get_by_role("button", name=f"Remove layer {len(layers)}").click()
        layers.pop()
        self.check(figures, fig, shape, layers)

    def test_kernel_larger_than_the_input_is_an_error(self, figures):
        """A kernel that does not fit marks its row (convlesson raises there) and the rows after it."""
        fig = figures("network_shapes")
        fig.get_by_label("Input height").fill("4")
        fig.get_by_label("Layer 4 kernel").fill("7")
        rows = self.rows(fig)
        assert rows[3] is None and all(r is None or r[0] is None for r in rows[4:])
        with pytest.raises(ValueError):
            cl.output_size(2, 7, padding=1)
        fig.get_by_role("button", name="Reset").click()
        assert fig.locator(".cl-net__total").inner_text() == "Total: 60,362 parameters"


class TestPlayground:
    def outputs(self, figures):
        return figures.texts("conv_playground", "Feature map")

    def test_step_spells_out_each_multiply_and_sum(self, figures):
        """Six Steps: the window, products and sum of position 6 are cl.conv_steps's; six outputs are filled."""
        fig = figures("conv_playground")
        image = cl.images.shapes(8)
        steps = cl.conv_steps(image, cl.kernels.get("edge"))
        for _ in range(5):
            fig.get_by_role("button", name="Step").click()
        step = steps[5]
        assert all(shows(a, b) for a, b in zip(figures.texts("conv_playground", "Window"), step.patch.ravel(), strict=True))
        assert all(shows(a, b) for a, b in zip(figures.texts("conv_playground", "Products"), step.products.ravel(), strict=True))
        assert shows(fig.locator(".cl-play__total").inner_text(), step.total)
        outputs = self.outputs(figures)
        assert all(shows(a, s.total) for a, s in zip(outputs[:6], steps[:6]))
        assert all(o == "" for o in outputs[6:])
        window = fig.locator(".cl-grid__window").evaluate("w => [w.style.getPropertyValue('--i'), w.style.getPropertyValue('--j')].map(Number)")
        assert window == list(step.origin)
        assert fig.locator(".cl-play__status").inner_text().startswith(f"Position 6 of {len(steps)}")

    def test_every_setting_then_play_to_the_end(self, figures, page):
        """Image, kernel, stride, padding changed; Play fills the feature map with cl.conv2d's values."""
        fig = figures("conv_playground")
        fig.get_by_role("combobox", name="Image").select_option("photo")
        fig.get_by_role("combobox", name="Kernel").select_option("sharpen")
        for name, target in (("Stride", 2), ("Padding", 1)):
            fig.get_by_role("slider", name=name).focus()
            page.keyboard.press("ArrowRight")
            assert fig.get_by_role("slider", name=name).input_value() == str(target)
        x = np.round(cl.images.photo(8), 2)
        expected = cl.conv2d(x, cl.kernels.get("sharpen"), stride=2, padding=1)
        assert len(self.outputs(figures)) == expected.size
        assert len(figures.texts("conv_playground", "Input")) == 10 * 10
        fig.get_by_role("combobox", name="Speed").select_option("fast")
        fig.get_by_role("button", name="Play").click()
        fig.get_by_role("button", name="Play").wait_for(timeout=10_000)
        assert all(shows(a, b) for a, b in zip(self.outputs(figures), expected.ravel(), strict=True))

    def test_output_cell_jumps_to_its_position(self, figures):
        """Choosing an output cell shows its step; the cells before it are filled, those after are empty."""
        fig = figures("conv_playground")
        steps = cl.conv_steps(cl.images.shapes(8), cl.kernels.get("edge"))
        fig.get_by_role("button", name="Output (3, 4)").click()
        index = 3 * 6 + 4
        assert shows(fig.locator(".cl-play__total").inner_text(), steps[index].total)
        outputs = self.outputs(figures)
        assert all(o != "" for o in outputs[: index + 1]) and all(o == "" for o in outputs[index + 1:])


# --- Open as code -----------------------------------------------------------------------------


class TestOpenAsCode:
    @pytest.mark.parametrize("name", NAMES)
    def test_default_state_is_the_cell_under_the_figure(self, figures, name):
        """Before any change, the figure's code is exactly the cell the build ran under it."""
        assert figures.code(name) == figures.cell_source(name)

    def test_code_reproduces_what_each_figure_shows(self, figures, page):
        """After changes, each figure's code, run in CPython, prints the numbers the figure shows."""
        # 1: two steps with the smooth kernel
        fig = figures("sliding_1d")
        fig.get_by_role("combobox", name="Kernel").select_option("smooth")
        fig.get_by_role("button", name="Step").click()
        out = run_python(figures.code("sliding_1d"))
        assert shows(fig.locator(".cl-slide__sum").inner_text().split("= ")[-1], numbers(out.splitlines()[1])[-1])
        assert "steps[1]" in figures.code("sliding_1d")

        # 2: a custom kernel, flipped
        fig = figures("kernel_explorer")
        fig.get_by_label("Kernel row 2, column 2").fill("3")
        fig.get_by_role("checkbox", name="Flip the kernel (true convolution)").check()
        code = figures.code("kernel_explorer")
        assert "cl.convolve2d" in code and "kernel = np.array([[-1, 0, 1]," in code
        shown_range = numbers(fig.locator(".cl-explorer__range").inner_text().split("values from ")[1])
        printed = numbers(run_python(code))[-2:]
        assert all(abs(a - b) <= 0.01 + 1e-9 for a, b in zip(printed, shown_range, strict=True))

        # 3: stride 2, padding 1, the fourth position
        fig = figures("stride_padding")
        for name in ("Stride", "Padding"):
            fig.get_by_role("slider", name=name).focus()
            page.keyboard.press("ArrowRight")
        fig.get_by_role("button", name="Step").click()
        printed = run_python(figures.code("stride_padding"))
        out = len(figures.texts("stride_padding", "Output")) ** 0.5
        assert printed.splitlines()[0].startswith(f"output: {int(out)} x {int(out)}")

        # 4: a case with dilation
        fig = figures("output_size")
        for label, number in zip(("Input size W", "Kernel K", "Dilation D"), (20, 3, 3)):
            fig.get_by_role("spinbutton", name=label).fill(str(number))
        printed = run_python(figures.code("output_size"))
        assert printed.splitlines()[0] == f"output size: {fig.locator('.cl-size__result').inner_text()}"

        # 5: average pooling on the second example
        fig = figures("pooling")
        fig.get_by_role("radio", name="Average").check()
        fig.get_by_role("button", name="New numbers").click()
        printed = run_python(figures.code("pooling"))
        assert numbers(printed) == [value(t) for t in figures.texts("pooling", "Pooled output, 2 by 2")]

        # 6: an edited network
        fig = figures("network_shapes")
        fig.get_by_label("Layer 4 channels").fill("128")
        printed = run_python(figures.code("network_shapes"))
        total = fig.locator(".cl-net__total").inner_text()
        assert printed.splitlines()[-1].split()[-1] == total.split()[1]

        # 7: checkerboard, laplacian, stride 2, third position
        fig = figures("conv_playground")
        fig.get_by_role("combobox", name="Image").select_option("checkerboard")
        fig.get_by_role("combobox", name="Kernel").select_option("laplacian")
        fig.get_by_role("slider", name="Stride").focus()
        page.keyboard.press("ArrowRight")
        fig.get_by_role("button", name="Step").click()
        fig.get_by_role("button", name="Step").click()
        printed = run_python(figures.code("conv_playground"))
        sum_line = next(line for line in printed.splitlines() if line.startswith("sum:"))
        assert shows(fig.locator(".cl-play__total").inner_text(), numbers(sum_line)[0])

    def test_the_cell_runs_the_code_in_pyodide(self, page, server, cell):
        """Without interception: the button fills the cell under the figure, which runs it in the browser."""
        page.goto(server.url + "figures/")
        fig = page.locator('figure[data-widget="conv_playground"][data-ready]')
        for _ in range(3):
            fig.get_by_role("button", name="Step").click()
        total = fig.locator(".cl-play__total").inner_text()
        fig.get_by_role("button", name="Open as code").click()
        target = cell(int(fig.locator("xpath=..").locator(".cl-cell").get_attribute("data-cell")))
        assert "step = steps[3]" in target.code
        target.wait_done()
        sum_line = next(line for line in target.output.splitlines() if line.startswith("sum:"))
        assert shows(total, numbers(sum_line)[0])
        assert "code cell" in fig.locator(".cl-widget__note").inner_text()


# --- reading without JavaScript, small screens, colours, speed, screenshots -------------------------


def test_static_rendering_without_javascript(browser, server):
    """With JavaScript off each figure shows the build's picture (with alt text) or table, and its cell's output."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "figures/")
    for name in NAMES:
        fig = page.locator(f'figure.cl-widget[data-widget="{name}"]')
        if name == "network_shapes":
            table = fig.locator("table.cl-widget__table")
            assert table.is_visible() and table.locator("tbody tr").count() == 9
            assert "60,362" in table.locator("tfoot").inner_text()
            continue
        image = fig.locator("img.cl-widget__image")
        image.scroll_into_view_if_needed()
        image.evaluate("i => i.decode()")
        assert image.is_visible() and image.evaluate("i => i.naturalWidth") > 300
        assert len(image.get_attribute("alt")) > 60
    assert page.locator(".cl-widget-block .cl-cell .cl-cell__output pre").count() >= 6
    context.close()


def test_narrow_screen_has_no_page_scroll(page, server):
    """At 375 px wide, with padding and long outputs, nothing makes the page scroll sideways."""
    page.set_viewport_size({"width": 375, "height": 800})
    figures = Figures(page, server)
    fig = figures("conv_playground")
    fig.get_by_role("slider", name="Padding").focus()
    page.keyboard.press("End")
    figures("stride_padding").get_by_role("slider", name="Input size").focus()
    page.keyboard.press("End")
    figures("network_shapes").get_by_role("button", name="Add layer").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for name in NAMES:
        box = figures(name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, name


CONTRAST = """root => {
  const parse = (text) => text.match(/[\\d.]+/g).map(Number);
  const over = (text, bg) => { const [r, g, b, a = 1] = parse(text); return [r, g, b].map((c, i) => c * a + bg[i] * (1 - a)); };
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const panel = over(getComputedStyle(root).backgroundColor, [255, 255, 255]);
  const worst = [];
  for (const el of root.querySelectorAll('.cl-grid__cell, .cl-play__total, [class*="cl-legend--"], .cl-w-field, .cl-widget__about')) {
    if (!el.textContent.trim() || !el.checkVisibility()) continue;
    const style = getComputedStyle(el);
    const bg = over(style.backgroundColor, panel);
    const r = ratio(over(style.color, bg), bg);
    if (r < 4.5) worst.push([el.className, el.textContent.trim(), r.toFixed(2)]);
  }
  return worst;
}"""


def screenshot(page, fig, path):
    """The figure alone, scrolled to sit below Material's sticky header."""
    fig.evaluate("f => window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 70)")
    fig.screenshot(path=path, animations="disabled")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_and_screenshots(browser, server, scheme, problems):
    """Every number on a coloured cell, and every legend label, has 4.5:1 contrast; screenshots are saved."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1100, "height": 1500})
    page = context.new_page()
    problems.watch(page)
    figures = Figures(page, server)
    expected_scheme = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected_scheme
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    figures("conv_playground").get_by_role("button", name="Output (2, 5)").click()
    figures("stride_padding").get_by_role("slider", name="Padding").focus()
    page.keyboard.press("ArrowRight")
    for name in NAMES:
        fig = figures(name)
        assert fig.evaluate(CONTRAST) == [], name
        screenshot(page, fig, ARTIFACTS / f"{name}-{scheme}.png")
    if scheme == "light":
        page.set_viewport_size({"width": 375, "height": 2400})
        for name in NAMES:
            screenshot(page, figures(name), ARTIFACTS / f"{name}-375px.png")
    context.close()


def test_palette_switch_repaints(figures, page):
    """Switching to dark mode repaints the cells in the dark palette's colours."""
    cell = figures("conv_playground").get_by_role("group", name="Input", exact=True).locator(".cl-grid__cell").nth(9)
    light = cell.evaluate("c => c.style.backgroundColor")
    page.locator('label[title="Switch to dark mode"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    assert cell.evaluate("c => c.style.backgroundColor") != light


def test_every_control_is_labelled(figures, page):
    """Each button, input and select in the figures has an accessible name, and is a real form control."""
    unnamed = page.evaluate("""() => [...document.querySelectorAll('figure.cl-widget :is(button, input, select)')]
        .filter((el) => !(el.getAttribute('aria-label') || el.labels?.[0]?.textContent.trim() || el.textContent.trim()))
        .map((el) => el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    fake = page.evaluate("() => document.querySelectorAll('figure.cl-widget [onclick], figure.cl-widget [tabindex]').length")
    assert fake == 0


@pytest.mark.no_service_worker
def test_a_figure_whose_data_is_missing_stays_as_drawn_and_says_why(page, server, problems):
    """Without its photo (a file beside the page) the kernel explorer keeps its build-time
    drawing and the console names the file; the other figures come to life all the same."""
    problems.expect("stays as drawn at build")
    problems.expect("status of 404")  # Chromium's own line for the missing file
    problems.expect(".bin")  # and the fixture's
    page.route("**/assets/cells/files/*.bin", lambda route: route.fulfill(status=404, body="missing"))
    page.add_init_script(NO_PREFETCH)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(server.url + "figures/")
    page.wait_for_function(f"document.querySelectorAll('figure.cl-widget[data-ready]').length === {len(NAMES) - 1}")
    for _ in range(50):  # the explorer's turn may come after the others'
        if any("stays as drawn" in e for e in errors):
            break
        page.wait_for_timeout(100)
    said = [e for e in errors if "stays as drawn" in e]
    assert len(said) == 1 and 'The figure "kernel_explorer"' in said[0] and ".bin: 404" in said[0], errors
    explorer = page.locator('figure.cl-widget[data-widget="kernel_explorer"]')
    assert explorer.locator(".cl-widget__image").is_visible()
    assert explorer.locator(".cl-widget__live").count() == 0
    assert explorer.get_attribute("data-ready") is None


def test_instant_navigation_mounts_the_figures(page, server):
    """Arriving through a nav link (instant navigation, no page load) still gives live figures."""
    page.add_init_script(NO_PREFETCH)
    page.goto(server.url)
    page.locator("nav.md-nav--primary a", has_text="Interactive figures").first.click()
    page.wait_for_function(f"document.querySelectorAll('figure.cl-widget[data-ready]').length === {len(NAMES)}")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


# Records, for each figure, the animation frame in which it came to life.
READY_FRAMES = """
window.__frame = 0;
(function count() { window.__frame++; requestAnimationFrame(count); })();
window.__ready = [];
new MutationObserver((records) => {
  for (const { target } of records) {
    if (target.matches?.("figure.cl-widget[data-ready]")) window.__ready.push([target.dataset.widget, window.__frame]);
  }
}).observe(document, { attributes: true, attributeFilter: ["data-ready"], subtree: true });
"""


def test_figures_come_to_life_nearest_first_one_per_frame(page, server, site):
    """Opened at the last figure, that figure is live first; the others follow, one per frame."""
    html = (site / "figures" / "index.html").read_text()
    anchor = re.findall(r'<h2 id="([^"]+)"', html[:html.index('data-widget="conv_playground"')])[-1]
    page.set_viewport_size({"width": 1100, "height": 900})
    page.add_init_script(NO_PREFETCH)
    page.add_init_script(READY_FRAMES)
    page.goto(server.url + f"figures/#{anchor}")
    page.wait_for_function(f"window.__ready.length === {len(NAMES)}")
    ready = page.evaluate("window.__ready")
    assert ready[0][0] == "conv_playground", ready
    frames = [frame for _, frame in ready]
    assert len(set(frames)) == len(frames), ready


@pytest.mark.parametrize("width", [375, 1100])
def test_network_drawing_is_sized_right_the_first_time(page, server, width):
    """The network drawing is laid out for the figure's width when it first appears: no second
    drawing replaces it once the page knows the width (on a phone it scrolls; wide, it fits)."""
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script(NO_PREFETCH)
    page.add_init_script("""window.__svgWidths = [];
new MutationObserver(() => {
  const svg = document.querySelector('figure[data-widget="network_shapes"] svg.cl-net__svg');
  if (svg && svg.getAttribute('width') !== window.__svgWidths.at(-1)) window.__svgWidths.push(svg.getAttribute('width'));
}).observe(document, { childList: true, subtree: true });""")
    Figures(page, server)
    page.wait_for_timeout(300)  # a redraw for the measured width would come within a frame or two
    widths = page.evaluate("window.__svgWidths")
    room = page.locator('figure[data-widget="network_shapes"] .cl-net__diagram').evaluate("b => b.clientWidth - 8")
    assert len(widths) == 1, widths
    if width > 1000:
        assert int(widths[0]) <= room, (widths, room)
