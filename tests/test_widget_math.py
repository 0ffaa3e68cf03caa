"""The figures' JavaScript arithmetic equals convlesson's, over every input the figures accept.

The figures compute in the page what is too large to precompute: output sizes as you type,
a custom kernel over the photo, an edited layer list, every step of the playground. Each test
loads the JavaScript module in Chromium, evaluates it over the whole input grid the figure
allows (or a random sample of it, where said) and compares with convlesson in Python. The
data the build put into the page is checked against convlesson too.
"""

from __future__ import annotations

import html
import itertools
import json
import re

import numpy as np
import pytest

import convlesson as cl
from mkdocs_cells.widgets import kernel_explorer, network_shapes

pytestmark = pytest.mark.browser

RNG = np.random.default_rng(19680801)


def figure_data(site, name):
    """The JSON the build wrote into the first figure called ``name`` on the gallery page."""
    page = (site / "figures" / "index.html").read_text()
    match = re.search(
        rf'data-widget="{name}".*?<template class="cl-widget__data">(.*?)</template>', page, re.S)
    return json.loads(html.unescape(match.group(1)))


@pytest.fixture
def js(page, server):
    """Evaluate an expression with the figures' math modules imported as ``conv``, ``shapes``, ``network``."""
    page.goto(server.url)  # the home page: it has no cells, so no Python loads in the background
    base = server.url + "assets/cells/widgets/"

    def evaluate(body, arg=None):
        return page.evaluate(
            """async ([body, arg, base]) => {
                const [conv, shapes, network] = await Promise.all(
                    ["conv.js", "shapes.js", "network.js"].map((m) => import(new URL(m, base))));
                return new Function("conv", "shapes", "network", "arg", body)(conv, shapes, network, arg);
            }""",
            [body, arg, base],
        )

    return evaluate


def reference_size(w, k, s, p, d):
    try:
        return cl.output_size(w, k, stride=s, padding=p, dilation=d)
    except ValueError:
        return None


class TestOutputSize:
    def test_equals_output_size_over_the_calculators_whole_range(self, js, site):
        """outputSize(W, K, S, P, D) is cl.output_size for every input the calculator accepts (null where it raises)."""
        ranges = figure_data(site, "output_size")["ranges"]
        axes = [range(lo, hi + 1) for lo, hi in (ranges[key] for key in ("size", "kernel", "stride", "padding", "dilation"))]
        got = js("""
            const [W, K, S, P, D] = arg;
            const out = [];
            for (let w = W[0]; w <= W[1]; w++) for (let k = K[0]; k <= K[1]; k++) for (let s = S[0]; s <= S[1]; s++)
              for (let p = P[0]; p <= P[1]; p++) for (let d = D[0]; d <= D[1]; d++)
                out.push(shapes.outputSize(w, k, { stride: s, padding: p, dilation: d }) ?? -1);
            return out;
        """, [[a.start, a.stop - 1] for a in axes])
        expected = [reference_size(*args) for args in itertools.product(*axes)]
        assert len(got) == len(expected) == 256 * 11 * 8 * 11 * 4
        assert got == [-1 if e is None else e for e in expected]

    def test_the_stride_padding_figure_stays_inside_that_range(self, site):
        """The stride/padding explorer uses the same function on a sub-range of the calculator's."""
        small, big = figure_data(site, "stride_padding")["ranges"], figure_data(site, "output_size")["ranges"]
        for key in ("size", "kernel", "stride", "padding"):
            assert big[key][0] <= small[key][0] <= small[key][1] <= big[key][1]


def read_by_conv1d(w, k, s, p, d):
    """Which input pixels a kernel reads, found with convlesson: one-hot inputs through cl.conv1d."""
    out = cl.conv1d(np.eye(w)[:, None, :], np.ones((1, 1, k)), stride=s, padding=p, dilation=d)
    return out.reshape(w, -1).any(axis=1)


class TestCoverage:
    def check(self, js, grid):
        got = js("""return arg.map(([w, k, s, p, d]) => shapes.coverage(w, k, { stride: s, padding: p, dilation: d }));""", grid)
        for (w, k, s, p, d), cover in zip(grid, got):
            out = reference_size(w, k, s, p, d)
            if out is None:
                assert cover is None, (w, k, s, p, d)
                continue
            read = read_by_conv1d(w, k, s, p, d)
            last = (out - 1) * s + d * (k - 1)
            unread = [i for i in range(w) if not read[i]]
            assert cover["out"] == out and cover["read"] == read.tolist(), (w, k, s, p, d)
            assert cover["leftover"] == [i for i in unread if i + p > last], (w, k, s, p, d)
            assert sorted(cover["leftover"] + cover["skipped"]) == unread, (w, k, s, p, d)

    def test_unread_pixels_match_conv1d_on_a_dense_small_grid(self, js):
        """Every (W ≤ 24, K ≤ 6, S ≤ 5, P ≤ 4, D ≤ 4): read / left over / skipped, as cl.conv1d sees them."""
        grid = list(itertools.product(range(1, 25), range(1, 7), range(1, 6), range(0, 5), range(1, 5)))
        self.check(js, grid)

    def test_unread_pixels_match_conv1d_across_the_calculators_range(self, js, site):
        """A random sample of 1,500 inputs from the calculator's whole range."""
        ranges = figure_data(site, "output_size")["ranges"]
        keys = ("size", "kernel", "stride", "padding", "dilation")
        grid = [tuple(int(RNG.integers(ranges[key][0], ranges[key][1] + 1)) for key in keys) for _ in range(1500)]
        self.check(js, grid)


def explorer_images():
    """Every image the kernel explorer can be given, as the build makes it."""
    return {name: kernel_explorer.data({"image": name})["image"] for name in kernel_explorer.EXPLORER_IMAGES}


def decode(image, pixels=None):
    """The image's pixels: the build's bytes, or ``pixels`` read from the file the page names."""
    return np.frombuffer(pixels or image["pixels"], "<f8").reshape(image["height"], image["width"])


class TestKernelExplorer:
    def test_page_photo_is_convlessons(self, site):
        """The pixels the page names, in a file beside it, are cl.images.photo(64), bit for bit."""
        image = figure_data(site, "kernel_explorer")["image"]
        pixels = (site / "figures" / image["pixels"]["bytes"]).resolve().read_bytes()
        assert np.array_equal(decode(image, pixels), cl.images.photo(64))

    def test_presets_are_convlessons_kernels(self, site):
        """Each kernel offered is cl.kernels.get(name), with its description."""
        kernels = figure_data(site, "kernel_explorer")["kernels"]
        assert list(kernels) == cl.kernels.names()
        for name, kernel in kernels.items():
            assert np.array_equal(kernel["weights"], cl.kernels.get(name))
            assert kernel["text"] in cl.kernels.describe()

    @pytest.mark.parametrize("image_name", list(kernel_explorer.EXPLORER_IMAGES))
    def test_conv_equals_conv2d_and_convolve2d(self, js, image_name):
        """For every image option, all presets and 40 random kernels, flipped or not: cl.conv2d / cl.convolve2d, padding 1."""
        image = explorer_images()[image_name]
        x = decode(image)
        kernels = [cl.kernels.get(name) for name in cl.kernels.names()]
        kernels += [RNG.integers(-5, 6, (3, 3)).astype(float) for _ in range(20)]
        kernels += [RNG.normal(0, 2, (3, 3)) for _ in range(20)]
        got = js("""
            const [pixels, h, w, kernels] = arg;
            const x = Float64Array.from(pixels);
            return kernels.flatMap((k) => [false, true].map((flip) => Array.from(conv.conv2d(x, h, w, k, { padding: 1, flip }).values)));
        """, [x.ravel().tolist(), x.shape[0], x.shape[1], [k.tolist() for k in kernels]])
        for n, k in enumerate(kernels):
            np.testing.assert_allclose(np.reshape(got[2 * n], x.shape), cl.conv2d(x, k, padding=1), rtol=0, atol=1e-12)
            np.testing.assert_allclose(np.reshape(got[2 * n + 1], x.shape), cl.convolve2d(x, k, padding=1), rtol=0, atol=1e-12)


class TestPlayground:
    def test_page_images_are_convlessons(self, site):
        """The playground's images are the cl.images its code names."""
        images = figure_data(site, "conv_playground")["images"]
        for name, image in images.items():
            made = eval(image["code"], {"cl": cl, "np": np})  # the same expression its code shows
            assert np.array_equal(image["pixels"], made), name

    def test_steps_equal_conv_steps_for_every_state(self, js, site):
        """Every image × kernel × stride × padding the playground offers: each step is cl.conv_steps's."""
        data = figure_data(site, "conv_playground")
        states = list(itertools.product(data["images"], data["kernels"],
                                        range(data["ranges"]["stride"][0], data["ranges"]["stride"][1] + 1),
                                        range(data["ranges"]["padding"][0], data["ranges"]["padding"][1] + 1)))
        assert len(states) == 4 * 9 * 3 * 3
        got = js("""
            const [data, states] = arg;
            return states.map(([image, kernel, stride, padding]) =>
              conv.convSteps(data.images[image].pixels, data.kernels[kernel].weights, stride, padding));
        """, [data, states])
        for (image, kernel, stride, padding), run in zip(states, got):
            steps = cl.conv_steps(np.array(data["images"][image]["pixels"]), cl.kernels.get(kernel),
                                  stride=stride, padding=padding)
            assert len(run["steps"]) == len(steps)
            assert (run["height"], run["width"]) == tuple(s + 1 for s in steps[-1].out_index)
            for mine, theirs in zip(run["steps"], steps):
                ref = theirs.to_dict()
                assert mine["out_index"] == ref["out_index"] and mine["origin"] == ref["origin"]
                np.testing.assert_array_equal(mine["patch"], ref["patch"])
                np.testing.assert_array_equal(mine["products"], ref["products"])
                assert mine["total"] == pytest.approx(ref["total"], abs=1e-12)

    def test_stride_padding_windows_are_conv_steps_origins(self, js, site):
        """origin = index · stride, as the explorer places its window: cl.conv_steps's origins on its whole range."""
        ranges = figure_data(site, "stride_padding")["ranges"]
        states = [s for s in itertools.product(*(range(ranges[k][0], ranges[k][1] + 1) for k in ("size", "kernel", "stride", "padding")))
                  if s[1] <= s[0] + 2 * s[3]]
        got = js("""return arg.map(([n, k, s, p]) => conv.convSteps(Array.from({length: n}, () => new Array(n).fill(1)),
                     Array.from({length: k}, () => new Array(k).fill(1)), s, p).steps.map((step) => step.origin));""", states)
        for (n, k, s, p), origins in zip(states, got):
            expected = [list(step.origin) for step in cl.conv_steps(np.ones((n, n)), np.ones((k, k)), stride=s, padding=p)]
            assert origins == expected


class TestSliding1d:
    def test_page_steps_are_conv_steps(self, site):
        """Each kernel's steps in the page are cl.conv_steps's, and the outputs cl.conv1d's."""
        data = figure_data(site, "sliding_1d")
        for name, kernel in data["kernels"].items():
            steps = cl.conv_steps(data["signal"], kernel["weights"])
            assert kernel["steps"] == [s.to_dict() for s in steps], name
            assert kernel["output"] == cl.conv1d(np.array(data["signal"], float), np.array(kernel["weights"], float)).tolist()


class TestPooling:
    def test_page_results_are_pool2d(self, site):
        """Each example's pooled grids are cl.max_pool2d and cl.avg_pool2d; the marked winner holds the max."""
        for example in figure_data(site, "pooling")["examples"]:
            x = np.array(example["input"], float)
            assert example["max"] == cl.max_pool2d(x, 2).tolist()
            assert example["avg"] == cl.avg_pool2d(x, 2).tolist()
            for i, j in itertools.product(range(2), range(2)):
                r, c = example["argmax"][i][j]
                assert (r // 2, c // 2) == (i, j) and x[r, c] == example["max"][i][j]


# --- the network ----------------------------------------------------------------------------


def reference_rows(shape, layers):
    """Output shape and parameters of each layer, with convlesson's functions; None from a failing layer on."""
    rows, shape = [], tuple(shape)
    for layer in layers:
        kind = layer["type"]
        if shape is None:
            rows.append(None)
            continue
        try:
            if kind == "Conv2d":
                if len(shape) != 3:
                    raise ValueError("flat input")
                size = [cl.output_size(n, layer["kernel"], stride=layer["stride"], padding=layer["padding"]) for n in shape[1:]]
                params = cl.conv2d_params(shape[0], layer["out"], layer["kernel"])
                shape = (layer["out"], *size)
            elif kind.endswith("Pool2d"):
                if len(shape) != 3:
                    raise ValueError("flat input")
                shape = (shape[0], *[cl.output_size(n, layer["kernel"], stride=layer["stride"]) for n in shape[1:]])
                params = 0
            elif kind == "Flatten":
                shape, params = (int(np.prod(shape)),), 0
            elif kind == "Linear":
                if len(shape) != 1:
                    raise ValueError("not flat")
                params = cl.linear_params(shape[0], layer["out"])
                shape = (layer["out"],)
            else:
                params = 0
        except ValueError:
            rows.append(None)
            shape = None
            continue
        rows.append((list(shape), params))
    return rows


def random_network(rng):
    """A random layer list of the kinds the figure offers, settings within its ranges, often CNN-like."""
    layers = []
    for _ in range(int(rng.integers(1, 10))):
        kind = str(rng.choice(["Conv2d", "ReLU", "MaxPool2d", "AvgPool2d", "Flatten", "Linear"], p=[.35, .15, .15, .1, .1, .15]))
        if kind == "Conv2d":
            layers.append({"type": kind, "out": int(rng.integers(1, 1025)), "kernel": int(rng.integers(1, 12)),
                           "stride": int(rng.integers(1, 9)), "padding": int(rng.integers(0, 11))})
        elif kind.endswith("Pool2d"):
            layers.append({"type": kind, "kernel": int(rng.integers(1, 12)), "stride": int(rng.integers(1, 9))})
        elif kind == "Linear":
            layers.append({"type": kind, "out": int(rng.integers(1, 10001))})
        else:
            layers.append({"type": kind})
    return [int(rng.integers(1, 65)), int(rng.integers(1, 513)), int(rng.integers(1, 513))], layers


class TestNetwork:
    def test_default_rows_match_the_lesson(self, js, site):
        """The seed network: 3×32×32 → … → 10, with 896, 18,496 and 40,970 parameters."""
        data = figure_data(site, "network_shapes")
        rows = js("return network.networkRows(arg[0], arg[1]);", [data["input"], data["layers"]])
        assert [r["shape"] for r in rows] == [[32, 32, 32], [32, 32, 32], [32, 16, 16], [64, 16, 16],
                                              [64, 16, 16], [64, 8, 8], [4096], [10]]
        assert [r["params"] for r in rows] == [896, 0, 0, 18496, 0, 0, 0, 40970]
        assert [r["name"] for r in rows] == [row["name"] for row in data["rows"]]

    def test_rows_equal_convlesson_for_random_networks(self, js):
        """600 random layer lists: shapes and parameter counts as convlesson computes them, errors where it raises."""
        rng = np.random.default_rng(7)
        networks = [random_network(rng) for _ in range(600)]
        got = js("return arg.map(([input, layers]) => network.networkRows(input, layers));", networks)
        for (shape, layers), rows in zip(networks, got):
            for layer, mine, ref in zip(layers, rows, reference_rows(shape, layers)):
                if ref is None:
                    assert mine["shape"] is None and mine["params"] is None, (shape, layers)
                else:
                    assert [mine["shape"], mine["params"]] == list(ref), (shape, layers)
                    assert "error" not in mine

    def test_layer_names_match_the_build(self, js):
        """The names the page writes (and puts into code) are network_shapes.layer_name's."""
        rng = np.random.default_rng(11)
        networks = [random_network(rng) for _ in range(200)]
        got = js("return arg.map(([input, layers]) => network.networkRows(input, layers).map((r) => r.name));", networks)
        for (shape, layers), names in zip(networks, got):
            current = shape
            for layer, name, ref in zip(layers, names, reference_rows(shape, layers)):
                assert name == network_shapes.layer_name(layer, current)
                if ref is None:
                    break
                current = ref[0]


def test_data_cannot_break_out_of_its_element(site):
    """Each figure's JSON is escaped text inside its <template>: no markup, and it reads back whole."""
    page = (site / "figures" / "index.html").read_text()
    payloads = re.findall(r'<template class="cl-widget__data">(.*?)</template>', page, re.S)
    assert len(payloads) == 7
    for payload in payloads:
        assert "<" not in payload
        json.loads(html.unescape(payload))
