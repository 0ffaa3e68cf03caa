"""convlesson.nn against torch.nn: outputs, gradients, optimiser steps, init and repr (skipped without torch).

As micrograd's ``test_engine.py`` does: the same computation in both, from the
same weights (moved by ``state_dict`` in either direction), in float64; forward
values first, then gradients.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from convlesson import nn

torch = pytest.importorskip("torch")
tnn = torch.nn

RTOL, ATOL = 1e-6, 1e-10
same_padding_warning = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")


class Residual(tnn.Module):
    """PyTorch's form of nn.Residual: ``fn(x) + x``, the block stored as ``fn``."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x) + x


def seed_network(layers, residual=None):
    """The lesson's network in ``convlesson.nn`` or ``torch.nn`` (``residual`` unused, for symmetry)."""
    return layers.Sequential(
        layers.Conv2d(3, 32, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
        layers.Conv2d(32, 64, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
        layers.Flatten(), layers.Linear(4096, 10),
    )


def residual_network(layers, residual):
    """A small ResNet-like network: a stem, one residual block, global average pooling, a classifier."""
    return layers.Sequential(
        layers.Conv2d(3, 8, 3, padding=1), layers.ReLU(),
        residual(layers.Sequential(
            layers.Conv2d(8, 8, 3, padding=1), layers.ReLU(), layers.Conv2d(8, 8, 3, padding=1),
        )),
        layers.ReLU(), layers.MaxPool2d(2), layers.AdaptiveAvgPool2d(1),
        layers.Flatten(), layers.Linear(8, 5),
    )


def t(a):
    """A copy of a numpy array (0-d included) as a torch tensor; float64 stays float64."""
    return torch.from_numpy(np.array(a))


def pair(make):
    """The same network from both libraries, in float64, with equal weights copied from convlesson."""
    ours = make(nn, nn.Residual).to(np.float64)
    theirs = make(tnn, Residual).double()
    theirs.load_state_dict({name: t(a) for name, a in ours.state_dict().items()})
    return ours, theirs


def assert_same_computation(ours, theirs, x, seed=0):
    """Outputs, input gradients and every parameter gradient agree for input x and a random dout."""
    out = ours(x)
    x_t = t(x).requires_grad_()
    out_t = theirs(x_t)
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=RTOL, atol=ATOL)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    ours.zero_grad()
    dx = ours.backward(dout)
    out_t.backward(t(dout))
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=RTOL, atol=ATOL)
    grads = {name: p.grad for name, p in theirs.named_parameters()}
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, grads[name].numpy(), rtol=RTOL, atol=ATOL, err_msg=name)


def images(*shape, seed=1):
    """Random float64 images of ``shape``."""
    return np.random.default_rng(seed).standard_normal(shape)


class TestNetworks:
    @pytest.mark.parametrize("make, shape", [(seed_network, (2, 3, 32, 32)), (residual_network, (2, 3, 8, 8))])
    def test_weights_from_convlesson(self, make, shape):
        """With convlesson's weights loaded into PyTorch, outputs and all gradients agree."""
        assert_same_computation(*pair(make), images(*shape))

    @pytest.mark.parametrize("make, shape", [(seed_network, (2, 3, 32, 32)), (residual_network, (2, 3, 8, 8))])
    def test_weights_from_torch(self, make, shape):
        """With PyTorch's own initial weights loaded into convlesson, outputs and all gradients agree."""
        theirs = make(tnn, Residual).double()
        ours = make(nn, nn.Residual).to(np.float64)
        ours.load_state_dict(theirs.state_dict())
        assert_same_computation(ours, theirs, images(*shape))

    @pytest.mark.parametrize("make", [seed_network, residual_network])
    def test_state_dicts_have_the_same_names_and_shapes(self, make):
        """state_dict keys, in order, and array shapes are PyTorch's."""
        ours, theirs = make(nn, nn.Residual).state_dict(), make(tnn, Residual).state_dict()
        assert list(ours) == list(theirs)
        assert all(ours[name].shape == tuple(theirs[name].shape) for name in ours)

    @pytest.mark.parametrize("make", [seed_network, residual_network])
    def test_repr(self, make):
        """The network prints exactly as PyTorch prints it."""
        assert repr(make(nn, nn.Residual)) == repr(make(tnn, Residual))

    @pytest.mark.parametrize("make, shape", [(seed_network, (1, 3, 32, 32)), (residual_network, (1, 3, 8, 8))])
    def test_summary_total(self, make, shape):
        """summary's total is PyTorch's sum of p.numel()."""
        total = sum(p.numel() for p in make(tnn, Residual).parameters())
        assert make(nn, nn.Residual).summary(shape).total == total


def layer_pair(ours, theirs):
    """One layer from each library, in float64, with equal parameters."""
    ours.to(np.float64)
    theirs.double()
    theirs.load_state_dict({name: t(a) for name, a in ours.state_dict().items()})
    return ours, theirs


class TestLayers:
    @same_padding_warning
    @pytest.mark.parametrize(
        "args, options",
        [
            ((4, 6, 3), dict(stride=2, padding=1)),
            ((4, 4, 3), dict(dilation=2, groups=2)),
            ((4, 8, (2, 3)), dict(padding="same")),
            ((4, 4, 3), dict(groups=4, bias=False, stride=(2, 1), padding=(0, 2))),
            ((4, 2, 5), dict(stride=3, padding=2, dilation=(1, 2))),
        ],
    )
    def test_conv2d(self, args, options):
        """Conv2d matches nn.Conv2d, forward and backward, with strides, padding, dilation and groups."""
        layers = layer_pair(nn.Conv2d(*args, **options), tnn.Conv2d(*args, **options))
        assert_same_computation(*layers, images(2, 4, 9, 8))

    @pytest.mark.parametrize(
        "options",
        [
            dict(kernel_size=2),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            dict(kernel_size=2, stride=1, dilation=2),
            dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 0), ceil_mode=True),
        ],
    )
    def test_max_pool(self, options):
        """MaxPool2d matches nn.MaxPool2d, forward and backward."""
        assert_same_computation(nn.MaxPool2d(**options), tnn.MaxPool2d(**options), images(2, 3, 9, 8))

    @pytest.mark.parametrize(
        "options",
        [
            dict(kernel_size=2),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            dict(kernel_size=(3, 2), stride=1, divisor_override=5),
        ],
    )
    def test_avg_pool(self, options):
        """AvgPool2d matches nn.AvgPool2d, forward and backward, divisors included."""
        assert_same_computation(nn.AvgPool2d(**options), tnn.AvgPool2d(**options), images(2, 3, 9, 8))

    @pytest.mark.parametrize("output_size", [1, 3, (2, None), (4, 5), (9, 8)])
    def test_adaptive_avg_pool(self, output_size):
        """AdaptiveAvgPool2d matches nn.AdaptiveAvgPool2d, bins overlapping or not."""
        layers = nn.AdaptiveAvgPool2d(output_size), tnn.AdaptiveAvgPool2d(output_size)
        assert_same_computation(*layers, images(2, 3, 9, 8))

    @pytest.mark.parametrize(
        "ours, theirs, shape",
        [
            (nn.ReLU(), tnn.ReLU(), (2, 3, 4, 4)),
            (nn.Flatten(), tnn.Flatten(), (2, 3, 4, 4)),
            (nn.Flatten(0, 2), tnn.Flatten(0, 2), (2, 3, 4, 4)),
            (nn.Linear(4, 3), tnn.Linear(4, 3), (2, 5, 4)),
        ],
    )
    def test_other_layers(self, ours, theirs, shape):
        """ReLU, Flatten and Linear (with extra leading axes) match PyTorch, forward and backward."""
        assert_same_computation(*layer_pair(ours, theirs), images(*shape))

    def test_one_image(self):
        """An unbatched (C, H, W) image goes through Conv2d and MaxPool2d as in PyTorch."""
        ours = nn.Sequential(nn.Conv2d(3, 4, 3), nn.MaxPool2d(2))
        theirs = tnn.Sequential(tnn.Conv2d(3, 4, 3), tnn.MaxPool2d(2))
        assert_same_computation(*layer_pair(ours, theirs), images(3, 8, 8))

    @pytest.mark.parametrize(
        "make",
        [
            lambda layers: layers.MaxPool2d((3, 2), stride=1, padding=1, dilation=2, ceil_mode=True),
            lambda layers: layers.AvgPool2d(3, 2, 1),
            lambda layers: layers.AdaptiveAvgPool2d((3, None)),
            lambda layers: layers.Flatten(0, -2),
            lambda layers: layers.Linear(3, 4, bias=False),
            lambda layers: layers.Conv2d(2, 4, (1, 3), stride=(2, 1), padding="valid", groups=2),
            lambda layers: layers.Dropout(0.25),
        ],
    )
    def test_repr(self, make):
        """Layers built with the same arguments print alike."""
        assert repr(make(nn)) == repr(make(tnn))

    def test_dropout_scaling(self):
        """In training both libraries keep entries scaled by 1/(1 − p); in eval both pass x through."""
        x = images(50, 50) + 10
        ours, theirs = nn.Dropout(0.3)(x), tnn.Dropout(0.3)(t(x)).numpy()
        for out in (ours, theirs):
            np.testing.assert_allclose(out[out != 0], x[out != 0] / 0.7)
        np.testing.assert_array_equal(nn.Dropout(0.3).eval()(x), tnn.Dropout(0.3).eval()(t(x)).numpy())


class TestLoss:
    @pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
    @pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
    def test_cross_entropy(self, reduction, label_smoothing):
        """CrossEntropyLoss matches PyTorch's value and gradient for each reduction and smoothing."""
        z, y = images(6, 4), np.array([0, 3, 1, 1, 2, 0])
        ours = nn.CrossEntropyLoss(reduction=reduction, label_smoothing=label_smoothing)
        z_t = t(z).requires_grad_()
        loss_t = tnn.CrossEntropyLoss(reduction=reduction, label_smoothing=label_smoothing)(z_t, t(y))
        np.testing.assert_allclose(ours(z, y), loss_t.detach().numpy(), rtol=RTOL, atol=ATOL)
        dout = np.random.default_rng(0).standard_normal(tuple(loss_t.shape))
        loss_t.backward(t(dout))
        np.testing.assert_allclose(ours.backward(dout), z_t.grad.numpy(), rtol=RTOL, atol=ATOL)


class TestOptimisers:
    @pytest.mark.parametrize(
        "options",
        [
            dict(lr=0.1),
            dict(lr=0.1, momentum=0.9),
            dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01),
            dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1),
        ],
    )
    def test_sgd(self, options):
        """Three SGD steps from the same start and gradients give PyTorch's parameters."""
        self.run(lambda ps: nn.SGD(ps, **options), lambda ps: torch.optim.SGD(ps, **options))

    @pytest.mark.parametrize(
        "options", [dict(), dict(lr=0.01, betas=(0.8, 0.9), eps=1e-6), dict(lr=0.01, weight_decay=0.1)]
    )
    def test_adam(self, options):
        """Three Adam steps from the same start and gradients give PyTorch's parameters."""
        self.run(lambda ps: nn.Adam(ps, **options), lambda ps: torch.optim.Adam(ps, **options))

    def run(self, ours_for, theirs_for, steps=3):
        """Step both optimisers with the same random gradients; compare the parameters after each step."""
        rng = np.random.default_rng(0)
        start = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
        ours = [nn.Parameter(a.copy()) for a in start]
        theirs = [t(a.copy()).requires_grad_() for a in start]
        ours_opt, theirs_opt = ours_for(ours), theirs_for(theirs)
        for _ in range(steps):
            for p, p_t in zip(ours, theirs):
                g = rng.standard_normal(p.data.shape)
                p.grad, p_t.grad = g.copy(), t(g.copy())
            ours_opt.step()
            theirs_opt.step()
            for p, p_t in zip(ours, theirs):
                np.testing.assert_allclose(p.data, p_t.detach().numpy(), rtol=1e-12, atol=1e-14)

    @pytest.mark.parametrize(
        "ours_for, theirs_for",
        [
            (lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9), lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
            (lambda ps: nn.Adam(ps), lambda ps: torch.optim.Adam(ps)),
        ],
    )
    def test_training_steps_on_the_seed_network(self, ours_for, theirs_for):
        """Two full training steps of the lesson's network (loss, backward, update) leave PyTorch's weights."""
        ours, theirs = pair(seed_network)
        ours_opt, theirs_opt = ours_for(ours.parameters()), theirs_for(theirs.parameters())
        x, y = images(4, 3, 32, 32), np.array([3, 1, 4, 1])
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(2):
            loss = nn.train_step(ours, loss_fn, ours_opt, x, y)
            theirs_opt.zero_grad()
            loss_t = tnn.CrossEntropyLoss()(theirs(t(x)), t(y))
            loss_t.backward()
            theirs_opt.step()
            assert loss == pytest.approx(loss_t.item(), rel=RTOL)
        expected = theirs.state_dict()
        for name, a in ours.state_dict().items():
            np.testing.assert_allclose(a, expected[name].numpy(), rtol=RTOL, atol=ATOL, err_msg=name)


class TestInit:
    @pytest.mark.parametrize(
        "make, fan_in",
        [
            (lambda layers: layers.Conv2d(16, 64, 3), 144),
            (lambda layers: layers.Conv2d(16, 64, 5, groups=4), 100),
            (lambda layers: layers.Linear(256, 300), 256),
        ],
    )
    def test_same_distribution(self, make, fan_in):
        """Both libraries draw weights and biases from U(±1/√fan_in): same shapes, bounds and spread."""
        torch.manual_seed(0)
        ours, theirs = make(nn), make(tnn)
        bound = 1 / math.sqrt(fan_in)
        for name, a in ours.state_dict().items():
            b = theirs.state_dict()[name].numpy()
            assert a.shape == b.shape and a.dtype == b.dtype == np.float32
            assert np.abs(a).max() <= bound and np.abs(b).max() <= bound
        weights = ours.weight.data, theirs.weight.detach().numpy()
        for w in weights:
            assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
            assert abs(w.mean()) < 0.05 * bound
