"""The kernel explorer takes the reader's own image: made as cl.images.photo makes the sample
(top square, BT.601 gray, area-averaged resize), and its feature map is cl.conv2d's; the layout
keeps input, kernel and feature map on one line on a laptop and stacks them on a phone."""

from __future__ import annotations

import base64

import matplotlib.image
import numpy as np
import pytest

import convlesson as cl

pytestmark = pytest.mark.browser
# Catches the code "Open as code" sends to the cell under the figure.
CAPTURE = """document.addEventListener("cl-set-code", (event) => {
    window.__code = event.detail.code;
    event.stopPropagation();
}, true);"""
RNG = np.random.default_rng(7)


def as_photo(rgb, size=64):
    """cl.images.photo's steps on any picture: top square (centred across), gray, resize, clip."""
    height, width = rgb.shape[:2]
    side = min(height, width)
    left = (width - side) // 2
    gray = rgb[:side, left:left + side] @ cl.images.LUMA
    return np.clip(cl.images.resize(gray, size), 0, 1)


@pytest.fixture
def photo_js(page, server):
    page.goto(server.url)
    url = server.url + "assets/cells/widgets/photo.js"
    return lambda body, arg=None: page.evaluate("""async ([body, arg, url]) => {
        const photo = await import(url);
        return new Function("photo", "arg", body)(photo, arg);
    }""", [body, arg, url])


def test_photo_steps_equal_convlesson(photo_js):
    """topSquare, grayOf and resize equal cl.images on 12 random pictures of many shapes."""
    for height, width in [(64, 64), (100, 80), (80, 100), (65, 300), (513, 512), (7, 9), (200, 200), (64, 65),
                          (129, 64), (99, 101), (640, 480), (480, 640)]:
        rgb = RNG.integers(0, 256, (height, width, 3))
        rgba = np.concatenate([rgb, np.full((height, width, 1), 255)], axis=2)
        got = photo_js("""const [rgba, h, w] = arg;
            const square = photo.topSquare(h, w);
            return Array.from(photo.resize(photo.grayOf(rgba, w, square), square[2], 64));""",
                       [rgba.ravel().tolist(), height, width])
        np.testing.assert_allclose(np.reshape(got, (64, 64)), as_photo(rgb / 255), rtol=0, atol=1e-12)


def test_upload_changes_the_feature_map(page, server, tmp_path):
    """An uploaded PNG becomes the input, and the feature map is cl.conv2d's of it; its code runs."""
    picture = RNG.uniform(0, 1, (90, 120, 3))
    path = tmp_path / "mine.png"
    matplotlib.image.imsave(path, picture)
    # The 8-bit values the file holds, in float64 as the page reads them (imread gives float32).
    rgb = np.round(matplotlib.image.imread(path)[..., :3].astype(float) * 255) / 255
    expected_image = as_photo(rgb)
    page.goto(server.url + "figures/")
    figure = page.locator('figure[data-widget="kernel_explorer"][data-ready]')
    figure.wait_for()
    before = figure.locator(".cl-widget__live").evaluate("(root) => Array.from(root.clFeatureMap.values)")
    figure.get_by_label("Use your own image").set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('figure[data-widget=kernel_explorer] .cl-widget__live').clPixels")
    live = figure.locator(".cl-widget__live")
    image = np.reshape(live.evaluate("(root) => Array.from(root.clPixels)"), (64, 64))
    np.testing.assert_allclose(image, expected_image, atol=1e-12)
    feature_map = np.reshape(live.evaluate("(root) => Array.from(root.clFeatureMap.values)"), (64, 64))
    assert not np.allclose(feature_map, np.reshape(before, (64, 64)))
    np.testing.assert_allclose(feature_map, cl.conv2d(expected_image, cl.kernels.get("edge"), padding=1), atol=1e-12)
    page.evaluate(CAPTURE)
    figure.get_by_role("button", name="Open as code").click()
    code = page.evaluate("window.__code")  # what the cell gets (its editor shows long lines in part)
    assert "base64.b64decode" in code
    encoded = code.split('b64decode("')[1].split('"')[0]
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(encoded), "<f8").reshape(64, 64), image)


@pytest.mark.parametrize("width, stacked", [(1280, False), (1024, False), (375, True)])
def test_layout_one_line_or_stacked(page, server, width, stacked):
    """At a laptop's widths the three panels share one line; at 375 px they stack in order."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url + "figures/")
    figure = page.locator('figure[data-widget="kernel_explorer"][data-ready]')
    figure.wait_for()
    boxes = [figure.locator(".cl-explorer > *").nth(n).bounding_box() for n in range(5)]
    tops = [b["y"] for b in boxes]
    lefts = [b["x"] for b in boxes]
    if stacked:
        assert tops == sorted(tops) and len(set(round(t) for t in tops)) == 5
    else:
        assert max(tops) - min(tops) < boxes[0]["height"] / 2, tops  # one line
        assert lefts == sorted(lefts)
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width
