"""Tests for convlesson.pool: max_pool2d, avg_pool2d and global_avg_pool2d."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage
from _oracles import naive_avg_pool2d, naive_max_pool2d, pool_cases
from hypothesis import given, settings

import convlesson as cl

GRID = np.array([[1, 3, 2, 1], [4, 2, 0, 1], [5, 6, 1, 2], [7, 1, 3, 4]], dtype=float)
RNG = np.random.default_rng(19680801)


class TestMaxPool:
    def test_four_by_four_to_two_by_two(self):
        """A 2×2 max pool keeps the largest number of each 2×2 block of the 4×4 grid."""
        np.testing.assert_array_equal(cl.max_pool2d(GRID, 2), [[4.0, 2.0], [7.0, 4.0]])

    def test_stride_defaults_to_kernel_size(self):
        """Leaving out stride tiles the input with the windows."""
        x = RNG.standard_normal((2, 3, 9, 6))
        np.testing.assert_array_equal(
            cl.max_pool2d(x, (3, 2)), cl.max_pool2d(x, (3, 2), stride=(3, 2))
        )

    def test_padding_never_wins(self):
        """Padding is -inf, so an all-negative input still gives its own values at the border."""
        out = cl.max_pool2d(-np.ones((4, 4)), 3, stride=1, padding=1)
        np.testing.assert_array_equal(out, -np.ones((4, 4)))

    def test_ceil_mode_adds_the_overhanging_window(self):
        """On 5 columns, a 2-wide window with stride 2 fits twice; ceil_mode adds a third over the edge."""
        x = np.arange(10.0).reshape(2, 5)
        np.testing.assert_array_equal(cl.max_pool2d(x, 2), [[6.0, 8.0]])
        np.testing.assert_array_equal(cl.max_pool2d(x, 2, ceil_mode=True), [[6.0, 8.0, 9.0]])

    def test_nan_wins(self):
        """A NaN in a window makes that window's maximum NaN, as in PyTorch."""
        x = GRID.copy()
        x[0, 0] = np.nan
        out = cl.max_pool2d(x, 2)
        assert np.isnan(out[0, 0]) and not np.isnan(out.ravel()[1:]).any()

    @pytest.mark.parametrize("k", [1, 2, 3, 4])
    def test_stride_one_matches_ndimage_maximum_filter(self, k):
        """With stride 1, max pooling is scipy's maximum_filter restricted to the windows inside the image."""
        x = RNG.standard_normal((9, 8))
        filtered = scipy.ndimage.maximum_filter(x, size=k, mode="constant", cval=-np.inf)
        c = k // 2
        np.testing.assert_array_equal(
            cl.max_pool2d(x, k, stride=1), filtered[c : c + 9 - k + 1, c : c + 8 - k + 1]
        )

    @settings(max_examples=60, deadline=None)
    @given(case=pool_cases())
    def test_matches_naive_loops(self, case):
        """Random kernels, strides, paddings, dilations and ceil_mode agree with the loop definition."""
        x, kernel, stride, padding, dilation, ceil_mode = case
        out = cl.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)
        np.testing.assert_array_equal(
            out, naive_max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)
        )


class TestAvgPool:
    def test_four_by_four_to_two_by_two(self):
        """A 2×2 average pool gives the mean of each 2×2 block."""
        np.testing.assert_array_equal(cl.avg_pool2d(GRID, 2), [[2.5, 1.0], [4.75, 2.5]])

    @pytest.mark.parametrize(
        "count_include_pad, corner, edge",
        [(True, 1 / 4, 2 / 4), (False, 1.0, 1.0)],
    )
    def test_count_include_pad(self, count_include_pad, corner, edge):
        """On ones with padding 1, padded zeros lower the border means unless they are left out of the count."""
        out = cl.avg_pool2d(
            np.ones((2, 2)), 2, stride=1, padding=1, count_include_pad=count_include_pad
        )
        assert out[0, 0] == corner and out[0, 1] == edge and out[1, 1] == 1.0

    def test_ceil_mode_overhang_is_not_counted(self):
        """The overhang of ceil_mode is left out of the divisor even with count_include_pad=True.

        On 5 columns [0 1 2 3 4], a window of 2 with stride 2 and ceil_mode has
        a last window holding only column 4 and the overhang: its mean is 4, not 2.
        """
        x = np.arange(5.0).reshape(1, 5)
        out = cl.avg_pool2d(x, (1, 2), ceil_mode=True, count_include_pad=True)
        np.testing.assert_array_equal(out, [[0.5, 2.5, 4.0]])

    def test_ceil_mode_counts_padding_but_not_overhang(self):
        """With padding 1 and ceil_mode, the last window counts its padded column but not the overhang."""
        x = np.ones((1, 4))
        # windows (kernel 3, stride 2) start at -1, 1, 3: the last covers 3, the padded 4, and 5 beyond.
        out = cl.avg_pool2d(x, (1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True)
        np.testing.assert_allclose(out, [[2 / 3, 1.0, 1 / 2]])

    @pytest.mark.parametrize("k", [1, 2, 3, 5])
    def test_stride_one_matches_ndimage_uniform_filter(self, k):
        """With stride 1 and no padding, average pooling is scipy's uniform_filter inside the image."""
        x = RNG.standard_normal((9, 8))
        filtered = scipy.ndimage.uniform_filter(x, size=k, mode="constant")
        c = k // 2
        expected = filtered[c : c + 9 - k + 1, c : c + 8 - k + 1]
        np.testing.assert_allclose(cl.avg_pool2d(x, k, stride=1), expected, atol=1e-12)

    @settings(max_examples=60, deadline=None)
    @given(case=pool_cases(dilation=False))
    def test_matches_naive_loops(self, case):
        """Random kernels, strides, paddings and ceil_mode, both divisor rules, agree with the loop definition."""
        x, kernel, stride, padding, _, ceil_mode = case
        for include in (True, False):
            out = cl.avg_pool2d(x, kernel, stride, padding, ceil_mode, include)
            expected = naive_avg_pool2d(x, kernel, stride, padding, ceil_mode, include)
            np.testing.assert_allclose(out, expected, atol=1e-12)

    def test_float32_stays_float32(self):
        """The divisor does not promote a float32 input to float64."""
        assert cl.avg_pool2d(np.ones((4, 4), np.float32), 2, ceil_mode=True).dtype == np.float32


class TestGlobalAvgPool:
    @pytest.mark.parametrize(
        "shape, out_shape", [((5, 7), (1, 1)), ((3, 5, 7), (3, 1, 1)), ((2, 3, 5, 7), (2, 3, 1, 1))]
    )
    def test_keeps_rank_with_one_by_one_maps(self, shape, out_shape):
        """Each feature map becomes a 1×1 map holding its mean, like AdaptiveAvgPool2d(1)."""
        x = RNG.standard_normal(shape)
        out = cl.global_avg_pool2d(x)
        assert out.shape == out_shape
        np.testing.assert_allclose(out[..., 0, 0], x.mean(axis=(-2, -1)))

    def test_equals_avg_pool_over_the_whole_map(self):
        """Global average pooling is avg_pool2d with the kernel as large as the map."""
        x = RNG.standard_normal((2, 3, 7, 7))
        np.testing.assert_allclose(cl.global_avg_pool2d(x), cl.avg_pool2d(x, 7))
