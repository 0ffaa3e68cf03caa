"""The ConvNet page's drawing pad: the 8×8 reduction, the exported network, and the pad itself.

`convlesson.data.to_digit_grid` is checked against a loop written from the UCI description and
against properties any such reduction has; `convlesson.nn.export` against the network's own
forward pass; the pad's JavaScript (``widgets/digits.js``) against both, over many inputs, in
Chromium; and the pad on the built page: a stroke, a picked digit, a selected unit, Clear, and a
network sent from Python.
"""

from __future__ import annotations

import functools
import json
import math

import numpy as np
import pytest

import convlesson as cl
from convlesson import nn
from convlesson.nn import export, pretrained

RNG = np.random.default_rng(19680801)


def loop_digit_grid(bitmap):
    """The optdigits reduction written as loops: ink box, scale its longer side to 32, centre,
    sample each box pixel's centre, count 4×4 blocks."""
    ink = np.asarray(bitmap) > 0.5
    cells = [(r, c) for r in range(ink.shape[0]) for c in range(ink.shape[1]) if ink[r, c]]
    grid = [[0] * 8 for _ in range(8)]
    if not cells:
        return np.array(grid)
    top, bottom = min(r for r, _ in cells), max(r for r, _ in cells)
    left, right = min(c for _, c in cells), max(c for _, c in cells)
    h, w = bottom - top + 1, right - left + 1
    scale = 32 / max(h, w)
    off_y, off_x = (32 - scale * h) / 2, (32 - scale * w) / 2
    for i in range(32):
        for j in range(32):
            y, x = (i + 0.5 - off_y) / scale, (j + 0.5 - off_x) / scale
            if 0 <= y < h and 0 <= x < w and ink[top + min(h - 1, math.floor(y)), left + min(w - 1, math.floor(x))]:
                grid[i // 4][j // 4] += 1
    return np.array(grid)


def random_drawing(size):
    """A few thick random strokes on a (size, size) canvas, like a hand-drawn digit."""
    image = np.zeros((size, size))
    y, x = np.mgrid[0:size, 0:size]
    for _ in range(RNG.integers(1, 4)):
        (y0, x0), (y1, x1) = RNG.uniform(0, size, (2, 2))
        width = RNG.uniform(0.5, size / 10)
        t = np.clip(((y - y0) * (y1 - y0) + (x - x0) * (x1 - x0)) / max(1e-9, (y1 - y0) ** 2 + (x1 - x0) ** 2), 0, 1)
        image[np.hypot(y - (y0 + t * (y1 - y0)), x - (x0 + t * (x1 - x0))) <= width] = 1
    return image


class TestToDigitGrid:
    def test_equals_the_loop(self):
        """Random drawings of many sizes reduce as the loop written from the description does."""
        for size in (8, 17, 32, 64, 100, 224):
            for _ in range(10):
                drawing = random_drawing(size)
                np.testing.assert_array_equal(cl.data.to_digit_grid(drawing), loop_digit_grid(drawing))

    def test_a_filled_square_fills_the_grid(self):
        """Ink over a square box fills all 32×32 pixels: every count is 16, wherever it is."""
        image = np.zeros((50, 60))
        image[5:25, 30:50] = 1
        np.testing.assert_array_equal(cl.data.to_digit_grid(image), np.full((8, 8), 16))

    def test_position_and_enlargement_do_not_matter(self):
        """A drawing moved, or blown up by a whole factor, gives the same grid (size-normalised)."""
        drawing = random_drawing(40)
        moved = np.zeros((90, 90))
        moved[30:70, 45:85] = drawing
        np.testing.assert_array_equal(cl.data.to_digit_grid(moved), cl.data.to_digit_grid(drawing))
        np.testing.assert_array_equal(cl.data.to_digit_grid(np.kron(drawing, np.ones((3, 3)))),
                                      cl.data.to_digit_grid(drawing))

    def test_levels_and_empty(self):
        """Counts are 0–16 integers; nothing drawn is all zeros; a tall bar keeps its thinness."""
        assert not cl.data.to_digit_grid(np.zeros((10, 10))).any()
        bar = np.zeros((64, 64))
        bar[0:64, 30:34] = 1  # 64 rows by 4 columns: 2 box columns wide once scaled
        grid = cl.data.to_digit_grid(bar)
        assert grid.dtype == np.int64 and grid.max() <= 16
        assert grid.sum() == 32 * 2

    def test_shape_is_checked(self):
        with pytest.raises(ValueError, match="shape"):
            cl.data.to_digit_grid(np.zeros((2, 3, 4)))


def numpy_forward(layers, numbers, x):
    """The exported network run with numpy (sliding windows), as an oracle for both sides."""
    outputs = []
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            F, C, K, S, P = layer["out"], layer["in"], layer["kernel"], layer["stride"], layer["padding"]
            w = numbers[layer["weight"]:layer["weight"] + F * C * K * K].reshape(F, C, K, K)
            b = numbers[layer["bias"]:layer["bias"] + F] if layer["bias"] is not None else np.zeros(F)
            windows = np.lib.stride_tricks.sliding_window_view(np.pad(x, ((0, 0), (P, P), (P, P))), (K, K), axis=(1, 2))
            x = np.einsum("chwuv,fcuv->fhw", windows[:, ::S, ::S], w) + b[:, None, None]
        elif kind in ("maxpool", "avgpool"):
            K, S = layer["kernel"], layer["stride"]
            windows = np.lib.stride_tricks.sliding_window_view(x, (K, K), axis=(1, 2))[:, ::S, ::S]
            x = windows.max(axis=(3, 4)) if kind == "maxpool" else windows.mean(axis=(3, 4))
        elif kind == "relu":
            x = np.maximum(x, 0)
        elif kind == "flatten":
            x = x.ravel()
        elif kind == "linear":
            w = numbers[layer["weight"]:layer["weight"] + layer["out"] * layer["in"]].reshape(layer["out"], layer["in"])
            x = w @ x + numbers[layer["bias"]:layer["bias"] + layer["out"]]
        outputs.append(x)
    return outputs


def small_networks():
    nn.manual_seed(3)
    yield nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Conv2d(4, 6, 3, stride=2),
                        nn.ReLU(), nn.Flatten(), nn.Linear(6, 10))
    yield nn.Sequential(nn.Conv2d(1, 3, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5), nn.Flatten(),
                        nn.Linear(48, 10))


class TestExport:
    @pytest.mark.parametrize("net", list(small_networks()), ids=["avgpool-stride", "maxpool-dropout"])
    def test_numbers_run_as_the_network(self, net):
        """The exported layers and numbers compute the network's scores (numpy oracle)."""
        layers, numbers = export.export(net)
        x = RNG.uniform(0, 1, (1, 8, 8)).astype(np.float32)
        expected = net.eval()(x[None])[0]
        np.testing.assert_allclose(numpy_forward(layers, numbers, x.astype(float))[-1], expected, rtol=1e-4, atol=1e-5)

    def test_receptive_fields_are_convlessons(self):
        """Each layer's rf is cl.receptive_field's for the conv and pooling layers up to it."""
        layers, _ = export.export(next(small_networks()))
        fields = cl.receptive_field([(3, 1, 1), (2, 2), (3, 2, 0)])
        assert [layer["rf"] for layer in layers] == [
            [3, 1, 1], [3, 1, 1], [4, 2, 1], [fields[2].rf, fields[2].jump, fields[2].padding],
            [fields[2].rf, fields[2].jump, fields[2].padding], None, None]

    def test_refuses_what_the_pad_cannot_run(self):
        with pytest.raises(ValueError, match="dilation"):
            export.export(nn.Sequential(nn.Conv2d(1, 2, 3, dilation=2)))

    def test_to_page_outside_the_browser_says_so(self, capsys):
        export.to_page(next(small_networks()))
        assert "No drawing pad here" in capsys.readouterr().out


# ---- in Chromium ------------------------------------------------------------------------


@pytest.fixture
def digits_js(page, server):
    """Evaluate a function body with the pad's math module imported as ``digits``."""
    page.goto(server.url)
    url = server.url + "assets/cells/widgets/digits.js"

    def evaluate(body, arg=None):
        return page.evaluate("""async ([body, arg, url]) => {
            const digits = await import(url);
            return new Function("digits", "arg", body)(digits, arg);
        }""", [body, arg, url])

    return evaluate


@pytest.mark.browser
class TestDigitsJs:
    def test_reduction_equals_convlesson(self, digits_js):
        """toDigitGrid equals cl.data.to_digit_grid on 120 random drawings of 8 to 224 pixels."""
        cases = [random_drawing(int(size)) for size in RNG.choice([8, 13, 32, 57, 100, 224], 120)]
        got = digits_js("return arg.map(([n, bits]) => digits.toDigitGrid(bits, n, n));",
                        [[len(c), c.ravel().astype(int).tolist()] for c in cases])
        for case, grid in zip(cases, got):
            np.testing.assert_array_equal(np.reshape(grid, (8, 8)), cl.data.to_digit_grid(case))

    def test_forward_equals_convlesson(self, digits_js):
        """Every layer's output, for 30 inputs and three networks (the build's among them)."""
        nets = [*small_networks(), build_network()]
        for net in nets:
            layers, numbers = export.export(net)
            inputs = [RNG.integers(0, 17, 64) / 16 for _ in range(30)]
            got = digits_js("""const [layers, numbers, inputs] = arg;
                return inputs.map((x) => digits.forward(layers, numbers, x, [1, 8, 8]).map((o) => Array.from(o.values)));""",
                            [layers, numbers.tolist(), [x.tolist() for x in inputs]])
            for x, outputs in zip(inputs, got):
                expected = net.eval()(x.reshape(1, 1, 8, 8).astype(np.float32))[0]
                np.testing.assert_allclose(outputs[-1], expected, rtol=1e-4, atol=1e-5)
                for mine, theirs in zip(outputs, numpy_forward(layers, numbers, x.reshape(1, 8, 8))):
                    np.testing.assert_allclose(mine, np.ravel(theirs), rtol=1e-9, atol=1e-12)


def pad_page(page, server):
    page.goto(server.url + "convnet/")
    figure = page.locator('figure[data-widget="digit_pad"][data-ready]')
    figure.wait_for()
    figure.scroll_into_view_if_needed()
    return figure


@functools.cache
def build_network():
    """The network the build ships with the pad, trained once for these tests."""
    return pretrained.digits_convnet()


def cpython_probabilities(grid):
    scores = build_network().eval()(np.reshape(grid, (1, 1, 8, 8)).astype(np.float32) / 16)[0]
    e = np.exp(scores - scores.max())
    return e / e.sum()


def shown(figure):
    grid = [int(v) for v in figure.locator(".cl-pad__grid").get_attribute("data-grid").split(",")]
    bars = figure.locator(".cl-pad__value").all_text_contents()
    return grid, [float(b.split()[0]) / 100 for b in bars]


@pytest.mark.browser
class TestPad:
    def test_stroke_reduces_and_classifies_as_convlesson(self, page, server):
        """A drawn stroke gives cl.data.to_digit_grid of the pad's bitmap, classified as in CPython."""
        figure = pad_page(page, server)
        pad = figure.get_by_role("img", name="Drawing pad")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15)
        page.mouse.down()
        for t in np.linspace(0, 1, 12):
            page.mouse.move(box["x"] + box["width"] * (0.5 - 0.1 * t), box["y"] + box["height"] * (0.15 + 0.7 * t))
        page.mouse.up()
        bitmap = np.array(pad.evaluate("(canvas) => Array.from(canvas.clBitmap())")).reshape(224, 224)
        grid, probabilities = shown(figure)
        expected = cl.data.to_digit_grid(bitmap)
        assert expected.sum() > 0
        np.testing.assert_array_equal(np.reshape(grid, (8, 8)), expected)
        reference = cpython_probabilities(expected)
        np.testing.assert_allclose(probabilities, reference, atol=0.0006)
        assert figure.locator(".cl-pad__prediction").text_content() == f"Prediction: {reference.argmax()}"

    def test_picked_digits_classify_as_in_cpython(self, page, server):
        """Each test digit picked from the list: its grid and CPython's prediction and probabilities."""
        figure = pad_page(page, server)
        _, (x_test, _) = cl.data.digits_split()
        choose = figure.get_by_label("Or pick a test digit")
        options = choose.locator("option").all_text_contents()[1:]
        for n, text in enumerate(options):
            choose.select_option(str(n))
            grid, probabilities = shown(figure)
            index = int(text.split("test image ")[1].rstrip(")"))
            np.testing.assert_array_equal(grid, np.rint(x_test[index, 0] * 16).ravel())
            reference = cpython_probabilities(grid)
            np.testing.assert_allclose(probabilities, reference, atol=0.0006)
            assert figure.locator(".cl-pad__prediction").text_content() == f"Prediction: {reference.argmax()}"

    def test_selected_unit_shows_field_and_sum(self, page, server):
        """Units chosen by keyboard fields and by pointer: receptive field from cl.receptive_field,
        a sum equal to the activation convlesson computes."""
        figure = pad_page(page, server)
        figure.get_by_label("Or pick a test digit").select_option("6")
        grid, _ = shown(figure)
        net = build_network().eval()
        x = np.reshape(grid, (1, 1, 8, 8)).astype(np.float32) / 16
        activations = []
        for layer in net:
            x = layer(x)
            activations.append(x[0])
        fields = cl.receptive_field([(5, 1, 2), (2, 2), (3, 1, 1), (2, 2)])
        rf_of = {0: fields[0], 1: fields[0], 2: fields[1], 3: fields[2], 4: fields[2], 5: fields[3]}
        for layer, channel, row, col in [(0, 3, 0, 7), (3, 20, 2, 1), (5, 31, 1, 1), (2, 5, 3, 0)]:
            figure.get_by_label("Layer", exact=True).select_option(str(layer))
            for label, value in (("Map", channel), ("Row", row), ("Column", col)):
                figure.get_by_label(label, exact=True).fill(str(value))
            f = rf_of[layer]
            span = lambda i: [i * f.jump - f.padding, i * f.jump - f.padding + f.rf - 1]  # noqa: E731
            assert figure.locator(".cl-pad__field").get_attribute("data-field") == ",".join(map(str, span(row) + span(col)))
            text = figure.locator(".cl-pad__working").text_content()
            expected = activations[layer][channel, row, col]
            assert f"Unit [{channel}, {row}, {col}] of layer {layer + 1}" in text
            if layer in (0, 3):
                total = figure.locator(".cl-pad__total")
                assert float(total.get_attribute("data-total")) == float(total.get_attribute("data-value"))
                assert float(total.get_attribute("data-total")) == pytest.approx(expected, rel=1e-4, abs=1e-5)
        # by pointer: the top-left unit of the first map of layer 1
        maps = figure.locator(".cl-pad__maps").first
        box = maps.bounding_box()
        page.mouse.click(box["x"] + 2, box["y"] + 2)
        assert "Unit [0, 0, 0] of layer 1" in figure.locator(".cl-pad__working").text_content()

    def test_clear_empties_the_pad(self, page, server):
        figure = pad_page(page, server)
        figure.get_by_label("Or pick a test digit").select_option("3")
        assert sum(shown(figure)[0]) > 0
        figure.get_by_role("button", name="Clear").click()
        pad = figure.get_by_role("img", name="Drawing pad")
        assert sum(pad.evaluate("(canvas) => Array.from(canvas.clBitmap())")) == 0
        assert sum(shown(figure)[0]) == 0
        assert figure.locator(".cl-pad__prediction").text_content().startswith("Prediction: (draw")

    def test_network_from_python_is_used_and_named(self, page, server):
        """A network sent on the pad's channel (as to_page does) classifies, and the pad names it."""
        figure = pad_page(page, server)
        net = next(small_networks())
        layers, numbers = export.export(net)
        page.evaluate("""([layers, numbers]) => {
            const channel = new BroadcastChannel("convlesson-network");
            channel.postMessage({name: "your network, trained on this page", layers, numbers});
        }""", [layers, numbers.tolist()])
        figure.get_by_label("Or pick a test digit").select_option("0")
        page.wait_for_function("() => document.querySelector('.cl-pad__whose').textContent.includes('your network')")
        grid, probabilities = shown(figure)
        scores = net.eval()(np.reshape(grid, (1, 1, 8, 8)).astype(np.float32) / 16)[0]
        reference = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        np.testing.assert_allclose(probabilities, reference, atol=0.0006)

    def test_network_trained_in_the_page_reaches_the_pad(self, page, server, cell):
        """The notebook's hand-over cell, run by the reader, trains (its earlier cells) and sends
        that network from the worker's Python to the pad: the pad names it and gives the
        probabilities the same network gives in the page's Python."""
        figure = pad_page(page, server)
        count = page.locator(".cl-cell").count()
        hand_over = next(n for n in range(1, count + 1) if "to_page" in cell(n).code)
        sender = cell(hand_over)
        sender.run(timeout=180_000)
        assert "The drawing pad now classifies with your network, trained on this page" in sender.output
        figure.scroll_into_view_if_needed()
        figure.get_by_label("Or pick a test digit").select_option("4")
        page.wait_for_function("() => document.querySelector('.cl-pad__whose').textContent.includes('trained on this page')")
        grid, probabilities = shown(figure)
        assert sum(grid) > 0
        check = cell(hand_over + 1)
        check.set_code(
            "import json\n"
            f"x = np.array({grid}, dtype=np.float32).reshape(1, 1, 8, 8) / 16\n"
            "s = model.eval()(x)[0]\n"
            "p = np.exp(s - s.max()); p /= p.sum()\n"
            "print(json.dumps(p.tolist()))"
        )
        check.run()
        in_python = json.loads(check.output.strip().splitlines()[-1])
        np.testing.assert_allclose(probabilities, in_python, atol=0.0006)
        assert figure.locator(".cl-pad__prediction").text_content() == f"Prediction: {int(np.argmax(in_python))}"
        # not the network shipped at build: the reader's was trained afresh in the page
        assert not np.allclose(in_python, cpython_probabilities(grid), atol=1e-6)
