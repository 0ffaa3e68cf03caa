"""Tests for convlesson.kernels: the named classic kernels."""

from __future__ import annotations

import numpy as np
import pytest

import convlesson as cl
from convlesson import kernels

NAMES = [
    "identity",
    "edge",
    "box_blur",
    "gaussian_blur",
    "sharpen",
    "sobel_x",
    "sobel_y",
    "laplacian",
    "emboss",
]


class TestCatalogue:
    def test_names_in_order(self):
        """names() lists every kernel once, in the order of the lesson."""
        assert kernels.names() == NAMES == list(kernels.KERNELS)

    @pytest.mark.parametrize("name", NAMES)
    def test_each_kernel_is_3x3_float_with_a_one_line_description(self, name):
        """Every entry is a 3×3 float64 array with a non-empty, single-line description."""
        array, text = kernels.KERNELS[name]
        assert array.shape == (3, 3) and array.dtype == np.float64
        assert text and "\n" not in text

    def test_describe_lists_every_kernel(self):
        """describe() has one line per kernel, starting with its name."""
        lines = kernels.describe().splitlines()
        assert [line.split()[0] for line in lines] == NAMES

    def test_table_is_read_only(self):
        """The arrays in KERNELS cannot be changed in place."""
        with pytest.raises(ValueError, match="read-only"):
            kernels.KERNELS["edge"][0][0, 0] = 5.0


class TestGet:
    @pytest.mark.parametrize(
        "name, expected",
        [
            ("edge", [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
            ("box_blur", np.ones((3, 3)) / 9),
            ("gaussian_blur", np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16),
            ("sharpen", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
            ("sobel_x", [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
            ("sobel_y", [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
            ("laplacian", [[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
            ("identity", [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
        ],
    )
    def test_values(self, name, expected):
        """Each kernel holds the classic numbers."""
        np.testing.assert_array_equal(kernels.get(name), expected)

    def test_returns_a_fresh_writable_copy(self):
        """Changing what get() returned changes neither the table nor the next call."""
        k = kernels.get("sharpen")
        k[1, 1] = 100.0
        assert kernels.get("sharpen")[1, 1] == 5.0
        assert kernels.KERNELS["sharpen"][0][1, 1] == 5.0

    @pytest.mark.parametrize(
        "name, total",
        [
            ("identity", 1),
            ("box_blur", 1),
            ("gaussian_blur", 1),
            ("sharpen", 1),
            ("emboss", 1),
            ("edge", 0),
            ("sobel_x", 0),
            ("sobel_y", 0),
            ("laplacian", 0),
        ],
    )
    def test_sums(self, name, total):
        """Blurs and sharpening keep flat areas (sum 1); edge detectors send them to 0 (sum 0)."""
        assert kernels.get(name).sum() == pytest.approx(total)


class TestWhatTheyDo:
    def test_identity_returns_the_image(self):
        """The identity kernel with padding 1 gives the image back."""
        image = cl.images.shapes(32)
        np.testing.assert_array_equal(cl.conv2d(image, kernels.get("identity"), padding=1), image)

    def test_edge_fires_only_at_the_edge(self):
        """On a step edge the edge kernel is 0 on flat areas and 3 where dark turns bright."""
        out = cl.conv2d(cl.images.step_edge(8), kernels.get("edge"))
        np.testing.assert_array_equal(out[0], [0, 0, 3, 3, 0, 0])

    def test_sobel_y_is_sobel_x_transposed(self):
        """The vertical gradient is the horizontal one turned by transposition."""
        np.testing.assert_array_equal(kernels.get("sobel_y"), kernels.get("sobel_x").T)

    def test_blur_keeps_a_flat_image(self):
        """Blurring a constant image leaves it unchanged."""
        flat = np.full((6, 6), 0.3)
        for name in ("box_blur", "gaussian_blur"):
            np.testing.assert_allclose(cl.conv2d(flat, kernels.get(name)), np.full((4, 4), 0.3))
