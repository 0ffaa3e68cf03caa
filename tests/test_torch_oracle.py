"""The package against PyTorch, the behaviour it promises to match (skipped when torch is not installed)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _oracles import as_batch_case, conv2d_cases, pool_cases
from hypothesis import given, settings

import convlesson as cl

torch = pytest.importorskip("torch")
F = torch.nn.functional
nn = torch.nn

# PyTorch warns that padding='same' with an even kernel copies the input; that is its business.
same_padding_warning = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")


def t(a):
    """A numpy array as a torch tensor (float64 stays float64)."""
    return torch.from_numpy(np.ascontiguousarray(a))


class TestConvolution:
    @same_padding_warning
    @settings(max_examples=60, deadline=None)
    @given(case=conv2d_cases())
    def test_conv2d(self, case):
        """conv2d equals F.conv2d for every rank, stride, padding (including 'same'), dilation and groups."""
        x, weight, bias, _ = as_batch_case(case)
        expected = F.conv2d(
            t(x),
            t(weight),
            None if bias is None else t(bias),
            stride=case["stride"],
            padding=case["padding"],
            dilation=case["dilation"],
            groups=case["groups"],
        ).numpy()
        out = cl.conv2d(**case)
        np.testing.assert_allclose(out, expected.reshape(out.shape), rtol=1e-10, atol=1e-12)

    @same_padding_warning
    @settings(max_examples=40, deadline=None)
    @given(case=conv2d_cases())
    def test_conv1d(self, case):
        """conv1d equals F.conv1d on the rows of the same cases."""
        x, weight, bias, _ = as_batch_case(case)
        x, weight = x[:, :, 0, :], weight[:, :, 0, :]
        padding = case["padding"] if isinstance(case["padding"], str) else case["padding"][1]
        options = dict(
            stride=case["stride"][1],
            padding=padding,
            dilation=case["dilation"][1],
            groups=case["groups"],
        )
        expected = F.conv1d(t(x), t(weight), None if bias is None else t(bias), **options).numpy()
        np.testing.assert_allclose(
            cl.conv1d(x, weight, bias, **options), expected, rtol=1e-10, atol=1e-12
        )

    def test_convolve2d_is_conv2d_of_the_flipped_kernel(self):
        """convolve2d equals F.conv2d with torch.flip applied to the kernel's spatial axes."""
        rng = np.random.default_rng(1)
        x, w = rng.standard_normal((2, 4, 9, 7)), rng.standard_normal((6, 2, 3, 2))
        expected = F.conv2d(
            t(x), torch.flip(t(w), dims=(2, 3)), stride=2, padding=1, groups=2
        ).numpy()
        np.testing.assert_allclose(
            cl.convolve2d(x, w, stride=2, padding=1, groups=2), expected, atol=1e-12
        )

    def test_float32_matches_float32(self):
        """In float32 the result stays float32 and agrees with PyTorch's float32 to float32 accuracy."""
        rng = np.random.default_rng(2)
        x, w = (
            rng.standard_normal((2, 3, 16, 16), np.float32),
            rng.standard_normal((8, 3, 3, 3), np.float32),
        )
        out = cl.conv2d(x, w, padding=1)
        assert out.dtype == np.float32
        np.testing.assert_allclose(
            out, F.conv2d(t(x), t(w), padding=1).numpy(), rtol=1e-4, atol=1e-5
        )

    def test_nan_spreads_like_torch(self):
        """NaN reaches the same outputs as in PyTorch, zero weights included."""
        x = np.ones((1, 1, 6, 6))
        x[0, 0, 2, 3] = np.nan
        w = np.zeros((2, 1, 3, 3))
        expected = F.conv2d(t(x), t(w), padding=1).numpy()
        np.testing.assert_array_equal(np.isnan(cl.conv2d(x, w, padding=1)), np.isnan(expected))


class TestPooling:
    @settings(max_examples=60, deadline=None)
    @given(case=pool_cases())
    def test_max_pool2d(self, case):
        """max_pool2d equals F.max_pool2d for random kernels, strides, paddings, dilations and ceil_mode."""
        x, kernel, stride, padding, dilation, ceil_mode = case
        expected = F.max_pool2d(
            t(x), kernel, stride, padding, dilation, ceil_mode=ceil_mode
        ).numpy()
        np.testing.assert_array_equal(
            cl.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode), expected
        )

    @settings(max_examples=60, deadline=None)
    @given(case=pool_cases(dilation=False))
    def test_avg_pool2d(self, case):
        """avg_pool2d equals F.avg_pool2d, divisor rules included, with and without count_include_pad."""
        x, kernel, stride, padding, _, ceil_mode = case
        for include in (True, False):
            expected = F.avg_pool2d(t(x), kernel, stride, padding, ceil_mode, include).numpy()
            out = cl.avg_pool2d(x, kernel, stride, padding, ceil_mode, include)
            np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-14)

    def test_refuses_exactly_what_torch_refuses(self):
        """Over a grid of small cases, the pools raise exactly when PyTorch raises, else agree in shape."""
        x = np.random.default_rng(3).standard_normal((1, 1, 5, 5))
        for size, k, s, p, d, ceil_mode in itertools.product(
            (1, 2, 3, 5), (1, 2, 3, 4), (1, 2, 3), (0, 1, 2), (1, 2), (False, True)
        ):
            xs = x[..., :size, :size]
            try:
                expected = F.max_pool2d(t(xs), k, s, p, d, ceil_mode=ceil_mode).shape
            except RuntimeError:
                expected = None
            try:
                shape = cl.max_pool2d(xs, k, s, p, d, ceil_mode).shape
            except ValueError:
                shape = None
            assert shape == (None if expected is None else tuple(expected)), (
                size,
                k,
                s,
                p,
                d,
                ceil_mode,
            )

    def test_nan_wins_like_torch(self):
        """A NaN wins its max-pool window in both."""
        x = np.arange(16.0).reshape(1, 1, 4, 4)
        x[0, 0, 1, 2] = np.nan
        np.testing.assert_array_equal(cl.max_pool2d(x, 2), F.max_pool2d(t(x), 2).numpy())

    def test_global_avg_pool_is_adaptive_avg_pool_1(self):
        """global_avg_pool2d equals F.adaptive_avg_pool2d(x, 1), shape (N, C, 1, 1) included."""
        x = np.random.default_rng(4).standard_normal((2, 3, 5, 7))
        np.testing.assert_allclose(
            cl.global_avg_pool2d(x), F.adaptive_avg_pool2d(t(x), 1).numpy(), atol=1e-14
        )


class TestShapes:
    def test_seed_network(self):
        """The seed network's layers in PyTorch give the shapes and parameter counts the shape functions predict."""
        layers = [
            nn.Conv2d(3, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(4096, 10),
        ]
        h = torch.zeros(1, 3, 32, 32)
        side = 32
        for layer in layers:
            h = layer(h)
            if isinstance(layer, nn.Conv2d):
                side = cl.output_size(side, 3, padding=1)
                count = cl.conv2d_params(layer.in_channels, layer.out_channels, 3)
            elif isinstance(layer, nn.MaxPool2d):
                side = cl.output_size(side, 2, stride=2)
            elif isinstance(layer, nn.Linear):
                count = cl.linear_params(4096, 10)
            if isinstance(layer, (nn.Conv2d, nn.MaxPool2d)):
                assert tuple(h.shape[-2:]) == (side, side)
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                assert count == sum(p.numel() for p in layer.parameters())
        assert tuple(h.shape) == (1, 10)

    @pytest.mark.parametrize(
        "c_in, c_out, k, bias, groups",
        [
            (64, 128, 3, True, 1),
            (3, 64, (7, 7), False, 1),
            (32, 32, 3, True, 32),
            (32, 64, (1, 3), True, 4),
        ],
    )
    def test_conv2d_params_counts_torch_parameters(self, c_in, c_out, k, bias, groups):
        """conv2d_params equals the number of elements in nn.Conv2d's parameters."""
        layer = nn.Conv2d(c_in, c_out, k, bias=bias, groups=groups)
        assert cl.conv2d_params(c_in, c_out, k, bias=bias, groups=groups) == sum(
            p.numel() for p in layer.parameters()
        )
