"""Every hand-written backward pass of convlesson.nn against centred finite differences, in float64.

As CS231n's ``gradient_check.py`` does: nudge each entry of the input (or of a
parameter) by ±h, weight the change of the output by a random upstream
gradient ``dout``, and compare with the analytic gradient by relative error.
"""

from __future__ import annotations

import numpy as np
import pytest

from convlesson import nn

TOL = 1e-6
H = 1e-5


def rel_error(analytic, numeric):
    """Largest entrywise relative error, |a − n| / (|a| + |n|), ignoring entries where both are ~0."""
    return float(np.max(np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric))))


def numeric_grad(f, a, dout):
    """Centred differences of ``Σ f()·dout`` with respect to each entry of ``a``, which ``f`` reads."""
    grad = np.zeros_like(a)
    for index in np.ndindex(a.shape):
        old = a[index]
        a[index] = old + H
        plus = np.copy(f())
        a[index] = old - H
        minus = np.copy(f())
        a[index] = old
        grad[index] = np.sum((plus - minus) * dout) / (2 * H)
    return grad


def check(layer, x, forward=None, seed=0):
    """Assert that ``layer.backward`` gives ∂L/∂x and every ∂L/∂parameter within TOL.

    ``forward`` (default ``layer(x)``) recomputes the output; Dropout passes
    one that redraws the same mask each time.
    """
    forward = forward or (lambda: layer(x))
    layer.to(np.float64)
    dout = np.random.default_rng(seed).standard_normal(np.shape(forward()))
    layer.zero_grad()
    forward()
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    assert rel_error(dx, numeric_grad(forward, x, dout)) < TOL, "input gradient"
    for name, p in layer.named_parameters():
        assert rel_error(p.grad, numeric_grad(forward, p.data, dout)) < TOL, name


def images(*shape, seed=1):
    """Random float64 images of ``shape``."""
    return np.random.default_rng(seed).standard_normal(shape)


class TestConv2d:
    @pytest.mark.parametrize(
        "options",
        [
            dict(),
            dict(padding=1),
            dict(stride=2, padding=1),
            dict(stride=3),  # the last rows and columns are read by no window
            dict(dilation=2, padding=2),
            dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2), bias=False),
            dict(groups=2, padding=1),
            dict(groups=4, stride=2),  # depthwise
            dict(padding="same", dilation=2),
        ],
    )
    def test_variants(self, options):
        """dx, dw and db are right for strides, paddings, dilations, groups and no bias."""
        check(nn.Conv2d(4, 4, 3, rng=np.random.default_rng(0), **options), images(2, 4, 7, 6))

    def test_even_kernel_same_padding(self):
        """padding='same' with an even kernel pads one more row and column after, and dx follows."""
        check(nn.Conv2d(2, 3, (2, 4), padding="same", rng=np.random.default_rng(0)), images(2, 2, 5, 6))

    def test_one_image(self):
        """An unbatched (C, H, W) input gets a (C, H, W) gradient."""
        check(nn.Conv2d(3, 2, 3, padding=1, rng=np.random.default_rng(0)), images(3, 5, 5))


class TestPools:
    @pytest.mark.parametrize(
        "options",
        [
            dict(kernel_size=2),
            dict(kernel_size=2, stride=1),  # overlapping windows
            dict(kernel_size=3, stride=2, padding=1),
            dict(kernel_size=2, ceil_mode=True),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            dict(kernel_size=2, stride=1, dilation=2),
            dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), ceil_mode=True),
        ],
    )
    def test_max_pool(self, options):
        """The gradient goes to each window's largest entry: overlaps, padding, dilation, ceil_mode."""
        check(nn.MaxPool2d(**options), images(2, 3, 7, 6))

    @pytest.mark.parametrize(
        "options",
        [
            dict(kernel_size=2),
            dict(kernel_size=3, stride=1),
            dict(kernel_size=3, stride=2, padding=1),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            dict(kernel_size=2, divisor_override=3),
        ],
    )
    def test_avg_pool(self, options):
        """Each pixel of a window gets 1/count of its gradient, with every divisor rule."""
        check(nn.AvgPool2d(**options), images(2, 3, 7, 6))

    @pytest.mark.parametrize("output_size", [1, 3, (2, None), (4, 5)])
    def test_adaptive_avg_pool(self, output_size):
        """The adaptive bins, overlapping or not, pass the gradient back through A_hᵀ·dout·A_w."""
        check(nn.AdaptiveAvgPool2d(output_size), images(2, 3, 7, 6))


class TestElementwiseAndLinear:
    def test_relu(self):
        """ReLU passes the gradient where the input is positive."""
        check(nn.ReLU(), images(2, 3, 4, 4))

    @pytest.mark.parametrize("dims", [(1, -1), (0, -1), (1, 2), (-2, -1)])
    def test_flatten(self, dims):
        """Flatten's gradient is the upstream gradient reshaped back."""
        check(nn.Flatten(*dims), images(2, 3, 4, 5))

    @pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
    @pytest.mark.parametrize("bias", [True, False])
    def test_linear(self, shape, bias):
        """Linear's dx, dW and db are right for 2-D inputs and with extra leading axes."""
        check(nn.Linear(5, 3, bias=bias, rng=np.random.default_rng(0)), images(*shape))

    @pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
    def test_dropout(self, p):
        """With the mask held fixed, dropout's gradient is dout times the mask."""
        layer, x = nn.Dropout(p), images(3, 4, 5)

        def forward():
            layer.rng = np.random.default_rng(7)  # the same mask every time
            return layer(x)

        check(layer, x, forward)


class TestContainers:
    def test_residual(self):
        """The gradient reaches the input through F and through the skip connection."""
        rng = np.random.default_rng(0)
        block = nn.Residual(nn.Sequential(nn.Conv2d(3, 3, 3, padding=1, rng=rng), nn.ReLU(),
                                          nn.Conv2d(3, 3, 3, padding=1, rng=rng)))
        check(block, images(2, 3, 5, 5))

    def test_sequential(self):
        """The chain rule through a whole small network reaches the input and every parameter."""
        rng = np.random.default_rng(0)
        model = nn.Sequential(
            nn.Conv2d(2, 4, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
            nn.Residual(nn.Sequential(nn.Conv2d(4, 4, 3, padding=1, rng=rng), nn.ReLU())),
            nn.AvgPool2d(2, ceil_mode=True), nn.Flatten(), nn.Linear(16, 3, rng=rng),
        )
        check(model, images(2, 2, 6, 6))


class TestLoss:
    @pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
    @pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
    def test_cross_entropy(self, reduction, label_smoothing):
        """The loss gradient softmax − target is right for every reduction, with and without smoothing."""
        loss_fn = nn.CrossEntropyLoss(reduction=reduction, label_smoothing=label_smoothing)
        z, y = images(4, 5), np.array([0, 4, 2, 2])
        dout = np.random.default_rng(0).standard_normal(np.shape(loss_fn(z, y)))
        loss_fn(z, y)
        assert rel_error(loss_fn.backward(dout), numeric_grad(lambda: loss_fn(z, y), z, dout)) < TOL
