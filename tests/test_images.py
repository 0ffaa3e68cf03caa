"""Tests for convlesson.images: sample images, resizing and channel layouts."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from convlesson import images


class TestSynthetic:
    @pytest.mark.parametrize("make", [images.step_edge, images.checkerboard, images.shapes])
    @pytest.mark.parametrize("size", [16, 33])
    def test_square_float_in_unit_range(self, make, size):
        """Each synthetic image is a (size, size) float64 array with values in [0, 1]."""
        image = make(size)
        assert image.shape == (size, size) and image.dtype == np.float64
        assert image.min() == 0.0 and image.max() <= 1.0

    def test_step_edge_halves(self):
        """The left half is 0, the right half 1."""
        image = images.step_edge(10)
        assert (image[:, :5] == 0).all() and (image[:, 5:] == 1).all()

    @pytest.mark.parametrize("size, squares", [(8, 4), (32, 4), (10, 3)])
    def test_checkerboard_alternates(self, size, squares):
        """Neighbouring squares differ, the top-left one is dark, and the board has squares × squares cells."""
        board = images.checkerboard(size, squares)
        cell = np.arange(size) * squares // size
        assert board[0, 0] == 0
        np.testing.assert_array_equal(board, (cell[:, None] + cell[None, :]) % 2)

    def test_shapes_has_three_objects(self):
        """shapes() draws three gray levels on black, each a sizeable region."""
        image = images.shapes(64)
        for level in (1.0, 0.75, 0.5):
            assert (image == level).sum() > 100

    def test_deterministic(self):
        """The same call gives the same image."""
        np.testing.assert_array_equal(images.shapes(40), images.shapes(40))


class TestPhoto:
    def test_full_size_gray_and_rgb(self):
        """The photo is 512×512, gray (H, W) or colour (H, W, 3), in [0, 1]."""
        gray, rgb = images.photo(), images.photo(gray=False)
        assert gray.shape == (512, 512) and rgb.shape == (512, 512, 3)
        assert 0.0 <= gray.min() and gray.max() <= 1.0 and 0.0 <= rgb.min() and rgb.max() <= 1.0

    def test_gray_is_luma_of_rgb(self):
        """Gray levels are 0.299 R + 0.587 G + 0.114 B."""
        np.testing.assert_allclose(images.photo(), images.photo(gray=False) @ [0.299, 0.587, 0.114])

    @pytest.mark.parametrize("size", [1, 28, 64, 600])
    def test_size(self, size):
        """size gives a size × size image, still in [0, 1]."""
        image = images.photo(size)
        assert image.shape == (size, size) and 0.0 <= image.min() and image.max() <= 1.0

    def test_returns_a_copy(self):
        """Writing into one photo does not change the next."""
        first = images.photo()
        first[:] = 0.0
        assert images.photo().max() > 0.5

    def test_import_does_not_load_matplotlib(self):
        """import convlesson leaves matplotlib unloaded until photo() needs it."""
        code = "import sys, convlesson; print('matplotlib' in sys.modules)"
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "False"


class TestResize:
    def test_same_size_is_identity(self):
        """Resizing to the same size changes nothing."""
        image = np.random.default_rng(0).random((7, 5, 3))
        np.testing.assert_allclose(images.resize(image, (7, 5)), image)

    def test_halving_averages_blocks(self):
        """Halving is the mean of each 2×2 block."""
        image = np.random.default_rng(0).random((6, 8))
        blocks = image.reshape(3, 2, 4, 2).mean(axis=(1, 3))
        np.testing.assert_allclose(images.resize(image, (3, 4)), blocks)

    @pytest.mark.parametrize("size", [(5, 3), (9, 13), (1, 1)])
    def test_mean_is_kept(self, size):
        """Area averaging keeps the mean brightness at any size."""
        image = np.random.default_rng(1).random((12, 10))
        assert images.resize(image, size).mean() == pytest.approx(image.mean())

    def test_doubling_repeats_pixels(self):
        """Doubling repeats each pixel into a 2×2 block."""
        image = np.arange(6.0).reshape(2, 3)
        np.testing.assert_allclose(
            images.resize(image, (4, 6)), image.repeat(2, axis=0).repeat(2, axis=1)
        )


class TestLayouts:
    def test_round_trip(self):
        """to_hwc undoes to_chw, and both are views."""
        image = np.random.default_rng(0).random((4, 5, 3))
        chw = images.to_chw(image)
        assert chw.shape == (3, 4, 5) and np.shares_memory(chw, image)
        np.testing.assert_array_equal(images.to_hwc(chw), image)

    def test_channel_planes(self):
        """Channel c of the (C, H, W) layout is image[..., c]."""
        image = np.random.default_rng(0).random((4, 5, 3))
        np.testing.assert_array_equal(images.to_chw(image)[1], image[..., 1])
