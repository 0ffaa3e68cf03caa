"""Tests for convlesson.conv (conv1d, conv2d, convolve2d, corr2d_loop) and convlesson.steps."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from _oracles import as_batch_case, conv2d_cases, naive_conv2d
from hypothesis import given, settings
from hypothesis import strategies as st

import convlesson as cl

X3 = np.arange(9.0).reshape(3, 3)
K2 = np.array([[0.0, 1.0], [2.0, 3.0]])
RNG = np.random.default_rng(19680801)


def random(*shape):
    """Standard normal numbers of the given shape, from the module's seeded generator."""
    return RNG.standard_normal(shape)


class TestKnownValues:
    def test_cross_correlation_worked_example(self):
        """The worked example 0·0 + 1·1 + 3·2 + 4·3 = 19 and its neighbours come out of conv2d."""
        np.testing.assert_array_equal(cl.conv2d(X3, K2), [[19.0, 25.0], [37.0, 43.0]])

    def test_true_convolution_worked_example(self):
        """convolve2d flips the kernel, giving [[5, 11], [23, 29]] on the same numbers."""
        np.testing.assert_array_equal(cl.convolve2d(X3, K2), [[5.0, 11.0], [23.0, 29.0]])

    def test_loop_reference_worked_example(self):
        """The two-loop reference gives the worked example too."""
        np.testing.assert_array_equal(cl.corr2d_loop(X3, K2), [[19.0, 25.0], [37.0, 43.0]])

    def test_conv1d_difference_kernel(self):
        """A [1, 0, -1] kernel on a ramp gives the constant difference x[i] - x[i+2]."""
        np.testing.assert_array_equal(
            cl.conv1d(np.arange(6.0), np.array([1.0, 0.0, -1.0])), [-2.0] * 4
        )

    def test_bias_is_added_per_output_channel(self):
        """Each output channel is shifted by its own bias."""
        out = cl.conv2d(np.zeros((1, 4, 4)), np.zeros((3, 1, 2, 2)), bias=np.array([1.0, 2.0, 3.0]))
        np.testing.assert_array_equal(out[:, 0, 0], [1.0, 2.0, 3.0])


class TestAgainstScipy:
    @pytest.mark.parametrize(
        "shape, kshape", [((7, 9), (3, 3)), ((5, 5), (5, 5)), ((6, 4), (1, 1)), ((8, 3), (2, 3))]
    )
    def test_valid_matches_correlate2d(self, shape, kshape):
        """Without padding, conv2d is scipy's correlate2d in 'valid' mode."""
        x, k = random(*shape), random(*kshape)
        np.testing.assert_allclose(
            cl.conv2d(x, k), scipy.signal.correlate2d(x, k, mode="valid"), atol=1e-12
        )

    @pytest.mark.parametrize("kshape", [(3, 3), (2, 4), (1, 3)])
    def test_full_padding_matches_correlate2d_full(self, kshape):
        """Padding k - 1 on each side is scipy's 'full' mode."""
        x, k = random(5, 6), random(*kshape)
        padding = (kshape[0] - 1, kshape[1] - 1)
        np.testing.assert_allclose(
            cl.conv2d(x, k, padding=padding),
            scipy.signal.correlate2d(x, k, mode="full"),
            atol=1e-12,
        )

    @pytest.mark.parametrize("kshape", [(3, 3), (5, 3), (1, 5)])
    def test_same_odd_kernel_matches_ndimage(self, kshape):
        """padding='same' with an odd kernel is ndimage.correlate with zero borders."""
        x, k = random(9, 7), random(*kshape)
        expected = scipy.ndimage.correlate(x, k, mode="constant", cval=0.0)
        np.testing.assert_allclose(cl.conv2d(x, k, padding="same"), expected, atol=1e-12)

    @pytest.mark.parametrize("kshape", [(3, 3), (2, 2), (4, 1)])
    def test_convolve2d_matches_scipy_convolve2d(self, kshape):
        """convolve2d is scipy's convolve2d, in 'valid' and 'full' modes."""
        x, k = random(6, 7), random(*kshape)
        full = (kshape[0] - 1, kshape[1] - 1)
        np.testing.assert_allclose(
            cl.convolve2d(x, k), scipy.signal.convolve2d(x, k, "valid"), atol=1e-12
        )
        np.testing.assert_allclose(
            cl.convolve2d(x, k, padding=full), scipy.signal.convolve2d(x, k, "full"), atol=1e-12
        )

    @pytest.mark.parametrize("stride", [1, 2, 3])
    def test_stride_subsamples_the_valid_map(self, stride):
        """Stride s keeps every s-th row and column of the stride-1 result."""
        x, k = random(11, 10), random(3, 2)
        expected = scipy.signal.correlate2d(x, k, mode="valid")[::stride, ::stride]
        np.testing.assert_allclose(cl.conv2d(x, k, stride=stride), expected, atol=1e-12)

    @pytest.mark.parametrize("dilation", [(2, 2), (3, 1), (1, 2)])
    def test_dilation_is_a_kernel_with_holes(self, dilation):
        """Dilation d equals an ordinary kernel with d - 1 zeros between the taps."""
        x, k = random(12, 12), random(3, 3)
        holes = np.zeros((dilation[0] * 2 + 1, dilation[1] * 2 + 1))
        holes[:: dilation[0], :: dilation[1]] = k
        expected = scipy.signal.correlate2d(x, holes, mode="valid")
        np.testing.assert_allclose(cl.conv2d(x, k, dilation=dilation), expected, atol=1e-12)

    def test_channels_are_summed(self):
        """A (C_out, C_in, kH, kW) bank sums the per-channel correlations of each filter."""
        x, w = random(3, 8, 9), random(4, 3, 3, 2)
        expected = [
            sum(scipy.signal.correlate2d(x[c], w[o, c], mode="valid") for c in range(3))
            for o in range(4)
        ]
        np.testing.assert_allclose(cl.conv2d(x, w), expected, atol=1e-12)

    @pytest.mark.parametrize("mode, padding", [("valid", 0), ("full", 3)])
    def test_conv1d_matches_signal_correlate(self, mode, padding):
        """conv1d of one signal with one kernel is scipy.signal.correlate."""
        x, k = random(20), random(4)
        np.testing.assert_allclose(
            cl.conv1d(x, k, padding=padding), scipy.signal.correlate(x, k, mode=mode), atol=1e-12
        )


class TestAgainstLoops:
    @settings(max_examples=60, deadline=None)
    @given(case=conv2d_cases())
    def test_conv2d_matches_naive_loops(self, case):
        """Every valid combination of ranks, stride, padding, dilation and groups agrees with the loop definition."""
        x, weight, bias, pads = as_batch_case(case)
        expected = naive_conv2d(
            x, weight, bias, case["stride"], pads, case["dilation"], case["groups"]
        )
        out = cl.conv2d(**case)
        np.testing.assert_allclose(out, expected.reshape(out.shape), atol=1e-12)
        assert out.ndim == case["x"].ndim

    @settings(max_examples=40, deadline=None)
    @given(case=conv2d_cases())
    def test_conv1d_matches_naive_loops(self, case):
        """conv1d on rows of length W is conv2d's loop definition with a kernel one row high."""
        case["weight"] = case["weight"][..., :1, :]
        case["x"] = case["x"][..., :1, :]
        x, weight, bias, pads = as_batch_case(case)
        stride, dilation = case["stride"][1], case["dilation"][1]
        padding = case["padding"] if isinstance(case["padding"], str) else case["padding"][1]
        expected = naive_conv2d(
            x, weight, bias, (1, stride), ((0, 0), pads[1]), (1, dilation), case["groups"]
        )
        args = dict(
            bias=case["bias"],
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=case["groups"],
        )
        out = cl.conv1d(case["x"][..., 0, :], case["weight"][..., 0, :], **args)
        np.testing.assert_allclose(out, expected[:, :, 0, :].reshape(out.shape), atol=1e-12)

    @settings(max_examples=30, deadline=None)
    @given(h=st.integers(1, 7), w=st.integers(1, 7), kh=st.integers(1, 7), kw=st.integers(1, 7))
    def test_conv2d_matches_corr2d_loop(self, h, w, kh, kw):
        """The vectorised conv2d equals the package's own two-loop reference whenever the kernel fits."""
        kh, kw = min(kh, h), min(kw, w)
        x, k = random(h, w), random(kh, kw)
        np.testing.assert_allclose(cl.conv2d(x, k), cl.corr2d_loop(x, k), atol=1e-12)


class TestShapesAndDtypes:
    @pytest.mark.parametrize(
        "x_shape, w_shape, out_shape",
        [
            ((6, 5), (3, 3), (4, 3)),
            ((2, 6, 5), (4, 2, 3, 3), (4, 4, 3)),
            ((3, 2, 6, 5), (4, 2, 3, 3), (3, 4, 4, 3)),
            ((2, 6, 5), (4, 1, 3, 3), (4, 4, 3)),
        ],
    )
    def test_output_rank_follows_input(self, x_shape, w_shape, out_shape):
        """Image -> map, volume -> volume, batch -> batch (the last with groups=2)."""
        groups = x_shape[-3] // w_shape[1] if len(w_shape) == 4 else 1
        assert cl.conv2d(np.ones(x_shape), np.ones(w_shape), groups=groups).shape == out_shape

    @pytest.mark.parametrize(
        "x_shape, w_shape, out_shape",
        [((9,), (3,), (7,)), ((2, 9), (4, 2, 3), (4, 7)), ((5, 2, 9), (4, 2, 3), (5, 4, 7))],
    )
    def test_conv1d_output_rank_follows_input(self, x_shape, w_shape, out_shape):
        """conv1d keeps the rank of its input too."""
        assert cl.conv1d(np.ones(x_shape), np.ones(w_shape)).shape == out_shape

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_float_precision_is_kept(self, dtype):
        """float32 in gives float32 out, like PyTorch, and float64 stays float64; a Python-float bias does not promote."""
        x, k = np.ones((4, 4), dtype), np.ones((2, 2), dtype)
        assert cl.conv2d(x, k, bias=0.5).dtype == dtype
        assert cl.convolve2d(x, k).dtype == dtype

    @pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int64])
    def test_integers_are_computed_in_float64(self, dtype):
        """Integer images give the float64 result of their float values (no overflow in uint8)."""
        x = np.full((4, 4), 100, dtype)
        out = cl.conv2d(x, np.ones((2, 2), dtype))
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, np.full((3, 3), 400.0))

    def test_lists_are_accepted(self):
        """Nested lists work like arrays."""
        np.testing.assert_array_equal(cl.conv2d(X3.tolist(), K2.tolist()), cl.conv2d(X3, K2))

    def test_inputs_are_not_modified(self):
        """conv2d leaves its arguments untouched."""
        x, w = random(2, 5, 5), random(3, 2, 3, 3)
        x0, w0 = x.copy(), w.copy()
        cl.conv2d(x, w, padding=1)
        np.testing.assert_array_equal(x, x0)
        np.testing.assert_array_equal(w, w0)


class TestNaN:
    def test_nan_reaches_every_window_that_holds_it(self):
        """A NaN pixel makes NaN exactly the outputs whose window covers it, even under zero weights."""
        x = np.ones((5, 5))
        x[0, 0] = np.nan
        out = cl.conv2d(x, np.zeros((3, 3)), padding=1)
        expected = np.zeros((5, 5))
        expected[:2, :2] = np.nan
        np.testing.assert_array_equal(out, expected)

    def test_inf_times_zero_is_nan(self):
        """inf under a zero weight gives NaN, as 0·inf does (numpy's warning about it is silenced here)."""
        x = np.ones((3, 3))
        x[1, 1] = np.inf
        with np.errstate(invalid="ignore"):
            assert np.isnan(cl.conv2d(x, np.zeros((3, 3)))).all()


class TestPaddingAndGroups:
    @pytest.mark.parametrize("kernel", [(2, 2), (4, 3), (3, 4), (1, 2)])
    def test_same_puts_odd_extra_padding_bottom_right(self, kernel):
        """padding='same' keeps the size; an odd total puts the extra row and column after, as PyTorch does."""
        x, k = random(6, 7), random(*kernel)
        total = [n - 1 for n in kernel]
        padded = np.pad(x, [(t // 2, t - t // 2) for t in total])
        out = cl.conv2d(x, k, padding="same")
        assert out.shape == x.shape
        np.testing.assert_allclose(
            out, scipy.signal.correlate2d(padded, k, mode="valid"), atol=1e-12
        )

    def test_valid_is_no_padding(self):
        """padding='valid' is padding=0."""
        x, k = random(6, 7), random(3, 2)
        np.testing.assert_array_equal(cl.conv2d(x, k, padding="valid"), cl.conv2d(x, k))

    def test_depthwise_is_one_kernel_per_channel(self):
        """groups=C_in with one filter per group convolves each channel with its own kernel."""
        x, w = random(3, 6, 6), random(3, 1, 3, 3)
        expected = [cl.conv2d(x[c], w[c, 0]) for c in range(3)]
        np.testing.assert_allclose(cl.conv2d(x, w, groups=3), expected, atol=1e-12)

    def test_groups_split_the_channels(self):
        """With 2 groups, the first half of the filters sees only the first half of the channels."""
        x, w = random(4, 5, 5), random(6, 2, 3, 3)
        out = cl.conv2d(x, w, groups=2)
        np.testing.assert_allclose(out[:3], cl.conv2d(x[:2], w[:3]), atol=1e-12)
        np.testing.assert_allclose(out[3:], cl.conv2d(x[2:], w[3:]), atol=1e-12)


class TestConvolve2d:
    def test_is_conv2d_with_flipped_kernel(self):
        """convolve2d(x, k) is conv2d(x, k flipped in both spatial axes), options included."""
        x, w = random(2, 4, 9, 8), random(6, 2, 3, 2)
        options = dict(stride=(2, 1), padding=1, dilation=(1, 2), groups=2)
        np.testing.assert_allclose(
            cl.convolve2d(x, w, **options), cl.conv2d(x, w[..., ::-1, ::-1], **options), atol=1e-12
        )

    def test_true_convolution_commutes(self):
        """Full convolution of a with b equals that of b with a; correlation does not commute."""
        a, b = random(4, 3), random(2, 5)
        ab = cl.convolve2d(a, b, padding=(1, 4))
        ba = cl.convolve2d(b, a, padding=(3, 2))
        np.testing.assert_allclose(ab, ba, atol=1e-12)
        assert not np.allclose(cl.conv2d(a, b, padding=(1, 4)), cl.conv2d(b, a, padding=(3, 2)))


class TestConvSteps:
    @pytest.mark.parametrize(
        "stride, padding", [(1, 0), (2, 1), ((1, 2), (2, 0)), (1, "same"), (1, "valid")]
    )
    def test_totals_are_conv2d(self, stride, padding):
        """The totals of the steps, in raster order, are conv2d's output."""
        x, k = random(5, 6), random(2, 3)
        out = cl.conv2d(x, k, stride=stride, padding=padding)
        steps = cl.conv_steps(x, k, stride=stride, padding=padding)
        np.testing.assert_allclose([s.total for s in steps], out.ravel(), atol=1e-12)
        assert [s.out_index for s in steps] == list(np.ndindex(*out.shape))

    @pytest.mark.parametrize("stride, padding", [(1, 0), (3, 2), (1, "same")])
    def test_totals_are_conv1d(self, stride, padding):
        """In 1-D the totals are conv1d's output."""
        x, k = random(11), random(4)
        steps = cl.conv_steps(x, k, stride=stride, padding=padding)
        np.testing.assert_allclose(
            [s.total for s in steps], cl.conv1d(x, k, stride=stride, padding=padding)
        )

    def test_step_records_its_window(self):
        """Each step's patch is the padded input at its origin, and products are patch times kernel."""
        x, k = random(4, 4), random(3, 3)
        padded = np.pad(x, 1)
        for step in cl.conv_steps(x, k, stride=2, padding=1):
            i, j = step.origin
            assert step.origin == (2 * step.out_index[0], 2 * step.out_index[1])
            np.testing.assert_array_equal(step.patch, padded[i : i + 3, j : j + 3])
            np.testing.assert_array_equal(step.products, step.patch * k)
            assert step.total == pytest.approx(step.products.sum())

    def test_records_unpack_in_field_order(self):
        """A Step unpacks as (out_index, origin, patch, products, total)."""
        out_index, origin, patch, _, total = cl.conv_steps(X3, K2)[3]
        assert (out_index, origin, total) == ((1, 1), (1, 1), 43.0)
        np.testing.assert_array_equal(patch, [[4.0, 5.0], [7.0, 8.0]])

    def test_to_dict_is_json(self):
        """to_dict gives plain lists and numbers that json round-trips unchanged."""
        steps = cl.conv_steps(X3, K2, padding=1)
        records = json.loads(json.dumps([s.to_dict() for s in steps]))
        assert records[0] == {
            "out_index": [0, 0],
            "origin": [0, 0],
            "patch": [[0.0, 0.0], [0.0, 0.0]],
            "products": [[0.0, 0.0], [0.0, 0.0]],
            "total": 0.0,
        }
        assert [r["total"] for r in records] == [s.total for s in steps]


class TestConvMatrix:
    @settings(max_examples=40, deadline=None)
    @given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3), st.integers(1, 3),
           st.integers(1, 2), st.integers(1, 2), st.integers(0, 2), st.integers(0, 1))
    def test_columns_are_the_responses_to_single_pixels(self, h, w, kh, kw, sh, sw, ph, pw):
        """Column p is the output (by the loop oracle) for an input that is 1 at pixel p, 0 elsewhere."""
        if kh > h + 2 * ph or kw > w + 2 * pw:
            return
        kernel = random(kh, kw)
        matrix = cl.conv_matrix(kernel, (h, w), stride=(sh, sw), padding=(ph, pw))
        for p in range(h * w):
            impulse = np.zeros((1, 1, h, w))
            impulse.flat[p] = 1.0
            response = naive_conv2d(impulse, kernel[None, None], stride=(sh, sw), padding=((ph, ph), (pw, pw)))
            np.testing.assert_allclose(matrix[:, p], response.ravel(), atol=1e-12)

    @pytest.mark.parametrize("stride, padding", [(1, 0), (1, 1), (2, 1), (3, 2)])
    def test_times_the_flat_image_is_scipy_correlate(self, stride, padding):
        """matrix @ x.ravel() is scipy's correlation of the padded image, taken every `stride` pixels."""
        x, kernel = random(7, 6), random(3, 3)
        expected = scipy.signal.correlate2d(np.pad(x, padding), kernel, mode="valid")[::stride, ::stride]
        got = cl.conv_matrix(kernel, x.shape, stride=stride, padding=padding) @ x.ravel()
        np.testing.assert_allclose(got, expected.ravel())
        np.testing.assert_allclose(got, cl.conv2d(x, kernel, stride=stride, padding=padding).ravel())

    def test_tied_weights_and_zeros(self):
        """Away from the padding every row holds the kernel's weights once each; the rest is 0."""
        kernel = np.arange(1.0, 10.0).reshape(3, 3)
        matrix = cl.conv_matrix(kernel, (5, 5))
        assert matrix.shape == (9, 25)
        for row in matrix:
            assert sorted(row[row != 0]) == list(kernel.ravel())
        assert np.count_nonzero(matrix) == 9 * 9

    @pytest.mark.parametrize("kernel, shape, error", [
        (np.ones(3), (4, 4), ValueError), (np.ones((5, 5)), (3, 3), ValueError), (np.ones((2, 2)), (3,), ValueError),
    ])
    def test_bad_arguments(self, kernel, shape, error):
        with pytest.raises(error):
            cl.conv_matrix(kernel, shape)
