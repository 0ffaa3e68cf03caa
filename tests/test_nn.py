"""Tests for convlesson.nn: construction, forward passes, errors, state_dict, modes, summary and training."""

from __future__ import annotations

import math

import numpy as np
import pytest

import convlesson as cl
from convlesson import nn
from convlesson.data import shapes_dataset

RNG = np.random.default_rng(19680801)


def seed_network():
    """The lesson's network, exactly as the page prints it."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4096, 10),
    )


def residual_network():
    """A small network with a skip connection in the middle."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
        nn.Residual(nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1))),
        nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5),
    )


class TestRepr:
    @pytest.mark.parametrize(
        "layer, text",
        [
            (nn.Conv2d(3, 32, 3, padding=1),
             "Conv2d(3, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"),
            (nn.Conv2d(4, 8, (3, 5), stride=2), "Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 2))"),
            (nn.Conv2d(4, 8, 3, dilation=2, groups=4, bias=False),
             "Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2), groups=4, bias=False)"),
            (nn.Conv2d(1, 1, 3, padding="same"),
             "Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=same)"),
            (nn.ReLU(), "ReLU()"),
            (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
            (nn.MaxPool2d(3, 2, 1, ceil_mode=True),
             "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)"),
            (nn.AvgPool2d(2), "AvgPool2d(kernel_size=2, stride=2, padding=0)"),
            (nn.AdaptiveAvgPool2d((2, None)), "AdaptiveAvgPool2d(output_size=(2, None))"),
            (nn.Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
            (nn.Linear(4096, 10), "Linear(in_features=4096, out_features=10, bias=True)"),
            (nn.Dropout(), "Dropout(p=0.5, inplace=False)"),
            (nn.CrossEntropyLoss(), "CrossEntropyLoss()"),
        ],
    )
    def test_layer(self, layer, text):
        """Each layer prints as PyTorch prints the same layer."""
        assert repr(layer) == text

    def test_nested(self):
        """Containers print their children indented, one per line, under their names."""
        block = nn.Sequential(nn.Linear(2, 2), nn.Residual(nn.Sequential(nn.ReLU())))
        assert repr(block) == (
            "Sequential(\n"
            "  (0): Linear(in_features=2, out_features=2, bias=True)\n"
            "  (1): Residual(\n"
            "    (fn): Sequential(\n"
            "      (0): ReLU()\n"
            "    )\n"
            "  )\n"
            ")"
        )


class TestInit:
    @pytest.mark.parametrize(
        "layer, weight_shape, fan_in",
        [
            (nn.Conv2d(16, 32, 3), (32, 16, 3, 3), 144),
            (nn.Conv2d(16, 32, (1, 5), groups=4), (32, 4, 1, 5), 20),
            (nn.Linear(256, 100), (100, 256), 256),
        ],
    )
    def test_uniform_within_one_over_sqrt_fan_in(self, layer, weight_shape, fan_in):
        """Weights and biases are float32 draws from U(±1/√fan_in), spread over the whole range."""
        bound = 1 / math.sqrt(fan_in)
        assert layer.weight.data.shape == weight_shape and layer.weight.data.dtype == np.float32
        assert layer.bias.data.shape == (weight_shape[0],)
        for p in (layer.weight.data, layer.bias.data):
            assert np.abs(p).max() <= bound and np.abs(p).max() > 0.8 * bound
        assert layer.weight.data.std() == pytest.approx(bound / math.sqrt(3), rel=0.1)

    def test_grad_starts_at_zero(self):
        """A new parameter's gradient is zeros of its shape and dtype."""
        p = nn.Linear(3, 2).weight
        assert p.grad.shape == p.data.shape and p.grad.dtype == p.data.dtype and not p.grad.any()

    def test_rng_and_manual_seed_make_weights_reproducible(self):
        """The same rng, or the same manual_seed, gives the same weights; another seed different ones."""
        a = nn.Conv2d(3, 4, 3, rng=np.random.default_rng(5)).weight.data
        b = nn.Conv2d(3, 4, 3, rng=np.random.default_rng(5)).weight.data
        nn.manual_seed(5)
        c = nn.Conv2d(3, 4, 3).weight.data
        nn.manual_seed(5)
        d = nn.Conv2d(3, 4, 3).weight.data
        nn.manual_seed(6)
        e = nn.Conv2d(3, 4, 3).weight.data
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(c, d)
        assert not np.array_equal(d, e)

    def test_dtype(self):
        """dtype= sets the parameters' dtype, and to() converts weights and gradients."""
        layer = nn.Linear(3, 2, dtype=np.float64)
        assert layer.weight.data.dtype == np.float64
        layer.to(np.float32)
        assert layer.weight.data.dtype == layer.bias.grad.dtype == np.float32

    def test_no_bias(self):
        """bias=False leaves bias None and out of the parameters."""
        layer = nn.Conv2d(2, 3, 3, bias=False)
        assert layer.bias is None and [name for name, _ in layer.named_parameters()] == ["weight"]


class TestForward:
    @pytest.mark.parametrize(
        "options",
        [dict(), dict(stride=2, padding=1), dict(dilation=2, padding="same"), dict(groups=2, padding=(0, 1))],
    )
    def test_conv2d_is_the_package_conv2d(self, options):
        """Conv2d computes convlesson.conv2d with its weight and bias."""
        layer, x = nn.Conv2d(4, 6, 3, **options), RNG.standard_normal((2, 4, 7, 7))
        expected = cl.conv2d(x, layer.weight.data, layer.bias.data, **options)
        np.testing.assert_allclose(layer(x), expected, rtol=1e-6)

    @pytest.mark.parametrize(
        "options",
        [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
         dict(kernel_size=2, dilation=2)],
    )
    def test_max_pool_is_the_package_max_pool2d(self, options):
        """MaxPool2d computes convlesson.max_pool2d."""
        x = RNG.standard_normal((2, 3, 9, 8))
        np.testing.assert_array_equal(nn.MaxPool2d(**options)(x), cl.max_pool2d(x, **options))

    @pytest.mark.parametrize(
        "options",
        [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
         dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)],
    )
    def test_avg_pool_is_the_package_avg_pool2d(self, options):
        """AvgPool2d computes convlesson.avg_pool2d, divisors included."""
        x = RNG.standard_normal((2, 3, 9, 8))
        np.testing.assert_allclose(nn.AvgPool2d(**options)(x), cl.avg_pool2d(x, **options), rtol=1e-12)

    def test_divisor_override(self):
        """divisor_override divides every window's sum by the given number."""
        x = np.arange(16.0).reshape(1, 1, 4, 4)
        np.testing.assert_allclose(nn.AvgPool2d(2, divisor_override=1)(x), cl.avg_pool2d(x, 2) * 4)

    def test_adaptive_one_is_global_average(self):
        """AdaptiveAvgPool2d(1) is global_avg_pool2d."""
        x = RNG.standard_normal((2, 3, 5, 7))
        np.testing.assert_allclose(nn.AdaptiveAvgPool2d(1)(x), cl.global_avg_pool2d(x), rtol=1e-12)

    def test_adaptive_dividing_size_is_avg_pool(self):
        """When the output size divides the input size, the bins are plain average-pooling windows."""
        x = RNG.standard_normal((2, 3, 8, 6))
        np.testing.assert_allclose(nn.AdaptiveAvgPool2d((4, 2))(x), cl.avg_pool2d(x, (2, 3)), rtol=1e-12)

    def test_adaptive_overlapping_bins(self):
        """On 5 columns, 3 bins cover columns 0–1, 1–3 and 3–4, as PyTorch's formula gives."""
        x = np.arange(5.0).reshape(1, 1, 1, 5)
        np.testing.assert_allclose(nn.AdaptiveAvgPool2d((1, 3))(x)[0, 0, 0], [0.5, 2.0, 3.5])

    def test_seed_network_runs(self):
        """The lesson's network maps a batch of 32×32 RGB images to 10 scores each."""
        assert seed_network()(RNG.standard_normal((2, 3, 32, 32))).shape == (2, 10)

    @pytest.mark.parametrize(
        "layer", [nn.Conv2d(3, 4, 3, padding=1), nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(2)]
    )
    def test_one_image_is_a_batch_of_one(self, layer):
        """An unbatched (C, H, W) image gives the first item of the batched result, forward and backward."""
        x = RNG.standard_normal((3, 6, 6))
        out = layer(x)
        np.testing.assert_allclose(out, layer(x[None])[0])
        dout = RNG.standard_normal(out.shape)
        np.testing.assert_allclose(layer.backward(dout), layer.backward(dout[None])[0])

    def test_float32_stays_float32(self):
        """float32 images through float32 parameters give float32 outputs and gradients."""
        model = residual_network()
        x = RNG.standard_normal((2, 3, 8, 8)).astype(np.float32)
        out = model(x)
        assert out.dtype == np.float32
        assert model.backward(np.ones_like(out)).dtype == np.float32
        assert all(p.grad.dtype == np.float32 for p in model.parameters())

    def test_integer_images_become_float(self):
        """Integer images are computed in floating point."""
        out = nn.Sequential(nn.MaxPool2d(2), nn.AvgPool2d(1))(np.arange(16).reshape(1, 1, 4, 4))
        np.testing.assert_array_equal(out, [[[[5.0, 7.0], [13.0, 15.0]]]])

    def test_max_pool_tie_goes_to_the_first(self):
        """When a window's largest value appears twice, the gradient goes to the first, as in PyTorch."""
        pool = nn.MaxPool2d(2)
        pool(np.ones((1, 1, 2, 2)))
        np.testing.assert_array_equal(pool.backward(np.ones((1, 1, 1, 1))), [[[[1.0, 0.0], [0.0, 0.0]]]])

    def test_gradients_accumulate(self):
        """Two backward passes add their gradients, until zero_grad clears them."""
        layer, x = nn.Linear(3, 2), RNG.standard_normal((4, 3))
        layer(x)
        layer.backward(np.ones((4, 2)))
        once = layer.weight.grad.copy()
        layer.backward(np.ones((4, 2)))
        np.testing.assert_allclose(layer.weight.grad, 2 * once)
        layer.zero_grad()
        assert not layer.weight.grad.any()

    def test_residual_adds_the_input(self):
        """Residual(F) outputs F(x) + x."""
        x = RNG.standard_normal((2, 3, 4, 4))
        np.testing.assert_array_equal(nn.Residual(nn.ReLU())(x), np.maximum(x, 0) + x)

    def test_sequential_indexing(self):
        """A Sequential has a length, iterates over its layers, and slices into a Sequential."""
        model = seed_network()
        assert len(model) == 8 and isinstance(model[0], nn.Conv2d) and list(model)[-1] is model[7]
        assert isinstance(model[:3], nn.Sequential) and len(model[:3]) == 3


class TestPyodide:
    def test_blasless_matrix_products_agree(self, monkeypatch):
        """The operand copies made for Pyodide's BLAS-less numpy change no output or gradient."""
        x = np.random.default_rng(0).standard_normal((2, 3, 6, 6))

        def run():
            nn.manual_seed(0)
            model = residual_network().to(np.float64)
            out = model(x)
            dx = model.backward(np.ones_like(out))
            return [out, dx, *(p.grad for p in model.parameters())]

        with_blas = run()
        monkeypatch.setattr("convlesson.nn._arrays._NO_BLAS", True)
        for a, b in zip(run(), with_blas):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


class TestCrossEntropy:
    def test_uniform_scores_cost_log_k(self):
        """Equal scores for K classes cost log K whatever the label."""
        assert nn.CrossEntropyLoss()(np.zeros((3, 10)), np.array([0, 5, 9])) == pytest.approx(math.log(10))

    def test_large_scores_do_not_overflow(self):
        """Scores of 1000 are handled by shifting by the maximum."""
        loss = nn.CrossEntropyLoss()(np.array([[1000.0, 0.0]]), np.array([1]))
        assert loss == pytest.approx(1000.0)

    @pytest.mark.parametrize("reduction, shape", [("mean", ()), ("sum", ()), ("none", (3,))])
    def test_reductions(self, reduction, shape):
        """'mean' and 'sum' give a number, 'none' one loss per sample, and they agree."""
        z, y = RNG.standard_normal((3, 4)), np.array([1, 0, 3])
        losses = nn.CrossEntropyLoss(reduction="none")(z, y)
        out = nn.CrossEntropyLoss(reduction=reduction)(z, y)
        assert np.shape(out) == shape
        expected = {"mean": losses.mean(), "sum": losses.sum(), "none": losses}[reduction]
        np.testing.assert_allclose(out, expected)


class TestErrors:
    def test_conv_wrong_channels_names_layer_and_shapes(self):
        """Feeding 1-channel images to Conv2d(3, …) names the layer, the shape got and the shape expected."""
        with pytest.raises(ValueError) as error:
            seed_network()(np.zeros((2, 1, 32, 32)))
        message = str(error.value)
        assert "Conv2d(3, 32, kernel_size=(3, 3)" in message
        assert "(2, 1, 32, 32)" in message and "(N, 3, H, W)" in message

    def test_linear_wrong_features(self):
        """The seed network on 28×28 images fails at Linear, which expected 4096 features and got 3136."""
        with pytest.raises(ValueError, match=r"Linear\(in_features=4096.*\(N, 4096\).*\(2, 3136\)"):
            seed_network()(np.zeros((2, 3, 28, 28)))

    @pytest.mark.parametrize("shape", [(32, 32), (1, 2, 3, 32, 32)])
    def test_image_layers_want_three_or_four_axes(self, shape):
        """Image layers refuse inputs that are not (N, C, H, W) or (C, H, W)."""
        with pytest.raises(ValueError, match=r"MaxPool2d.*\(N, C, H, W\) or \(C, H, W\)"):
            nn.MaxPool2d(2)(np.zeros(shape))

    def test_kernel_larger_than_input(self):
        """A window larger than the input is an error naming the layer and the input shape."""
        with pytest.raises(ValueError, match=r"Conv2d\(1, 1, kernel_size=\(5, 5\).*\(1, 1, 3, 3\).*larger"):
            nn.Conv2d(1, 1, 5)(np.zeros((1, 1, 3, 3)))

    @pytest.mark.parametrize(
        "make, error",
        [
            (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError),
            (lambda: nn.Conv2d(3, 4, 0), ValueError),
            (lambda: nn.Conv2d(3, 4, 3, stride=2, padding="same"), ValueError),
            (lambda: nn.Conv2d(3, 4, 3, bias=1), TypeError),
            (lambda: nn.MaxPool2d(2, padding=2), ValueError),
            (lambda: nn.AdaptiveAvgPool2d(0), ValueError),
            (lambda: nn.Dropout(1.5), ValueError),
            (lambda: nn.Sequential(nn.ReLU(), "relu"), TypeError),
            (lambda: nn.Residual(np.sin), TypeError),
            (lambda: nn.CrossEntropyLoss(reduction="avg"), ValueError),
            (lambda: nn.CrossEntropyLoss("sum"), TypeError),
            (lambda: nn.SGD([]), ValueError),
            (lambda: nn.SGD(nn.Linear(2, 2).parameters(), nesterov=True), ValueError),
        ],
    )
    def test_bad_arguments(self, make, error):
        """Impossible constructor arguments are refused at once (TypeError: wrong kind; ValueError: wrong value)."""
        with pytest.raises(error):
            make()

    def test_residual_needs_same_shape(self):
        """Residual refuses a block that changes the shape, since F(x) + x is then undefined."""
        with pytest.raises(ValueError, match=r"F\(x\) of shape \(1, 4, 5, 5\)"):
            nn.Residual(nn.Conv2d(3, 4, 1))(np.zeros((1, 3, 5, 5)))

    @pytest.mark.parametrize(
        "target",
        [np.array([0, 3]), np.array([0, -1]), np.array([[0], [1]]), np.array([0.0, 1.0]), np.array([0])],
    )
    def test_cross_entropy_targets(self, target):
        """Targets must be (N,) integer class indices in [0, K)."""
        with pytest.raises(ValueError, match=r"CrossEntropyLoss\(\) expects input \(N, K\)"):
            nn.CrossEntropyLoss()(np.zeros((2, 3)), target)


class TestStateDict:
    def test_seed_network_names(self):
        """Sequential names parameters by position and attribute, as PyTorch does."""
        state = seed_network().state_dict()
        assert list(state) == ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"]
        assert state["3.weight"].shape == (64, 32, 3, 3) and state["7.weight"].shape == (10, 4096)

    def test_nested_names(self):
        """A Residual inside a Sequential adds its ``fn`` to the dotted path."""
        assert list(residual_network().state_dict()) == [
            "0.weight", "0.bias", "2.fn.0.weight", "2.fn.0.bias", "2.fn.2.weight", "2.fn.2.bias",
            "6.weight", "6.bias",
        ]

    def test_round_trip(self):
        """Loading one model's state_dict into another makes them compute the same function."""
        a, b = residual_network(), residual_network()
        b.load_state_dict(a.state_dict())
        x = RNG.standard_normal((2, 3, 6, 6)).astype(np.float32)
        np.testing.assert_array_equal(a(x), b(x))

    def test_state_dict_is_a_copy(self):
        """Changing the model after state_dict() leaves the saved arrays unchanged."""
        model = nn.Linear(2, 2)
        state = model.state_dict()
        model.weight.data += 1
        assert not np.array_equal(state["weight"], model.weight.data)

    def test_load_casts_to_parameter_dtype(self):
        """float64 arrays loaded into a float32 model stay float32."""
        model = nn.Linear(2, 2)
        model.load_state_dict({"weight": np.ones((2, 2)), "bias": np.zeros(2)})
        assert model.weight.data.dtype == np.float32 and (model.weight.data == 1).all()

    @pytest.mark.parametrize(
        "state, match",
        [
            ({"weight": np.ones((2, 2))}, r"missing \['bias'\]"),
            ({"weight": np.ones((2, 2)), "bias": np.ones(2), "extra": np.ones(1)}, r"unexpected \['extra'\]"),
            ({"weight": np.ones((2, 3)), "bias": np.ones(2)}, r"weight: got \(2, 3\), expected \(2, 2\)"),
        ],
    )
    def test_mismatches(self, state, match):
        """Missing keys, unexpected keys and wrong shapes are refused, and named."""
        with pytest.raises(ValueError, match=match):
            nn.Linear(2, 2).load_state_dict(state)


class TestModes:
    def test_train_and_eval_reach_every_layer(self):
        """eval() and train() set the mode of every nested module."""
        model = nn.Sequential(nn.Residual(nn.Sequential(nn.Dropout())))
        modules = [model, model[0], model[0].fn, model[0].fn[0]]
        assert model.eval() is model and not any(m.training for m in modules)
        model.train()
        assert all(m.training for m in modules)

    def test_dropout_in_eval_is_identity(self):
        """In eval mode, Dropout passes its input through and the gradient back."""
        layer, x = nn.Dropout(0.5).eval(), RNG.standard_normal((4, 5))
        np.testing.assert_array_equal(layer(x), x)
        np.testing.assert_array_equal(layer.backward(x), x)

    def test_dropout_in_training_drops_and_scales(self):
        """In training, about p of the entries become 0 and the rest are scaled by 1/(1 − p)."""
        layer = nn.Dropout(0.25, rng=np.random.default_rng(0))
        out = layer(np.ones((100, 100)))
        assert set(np.unique(out)) == {0.0, 1 / 0.75}
        assert (out == 0).mean() == pytest.approx(0.25, abs=0.02)

    def test_dropout_draws_a_new_mask_each_call(self):
        """Two training passes drop different entries."""
        layer = nn.Dropout(0.5)
        assert not np.array_equal(layer(np.ones(100)), layer(np.ones(100)))

    @pytest.mark.parametrize("p, value", [(0.0, 1.0), (1.0, 0.0)])
    def test_dropout_extremes(self, p, value):
        """p = 0 keeps everything; p = 1 zeroes everything."""
        np.testing.assert_array_equal(nn.Dropout(p)(np.ones(10)), np.full(10, value))


class TestSummary:
    def test_seed_network_counts(self):
        """The total is conv2d_params and linear_params added up, and each row has the real output shape."""
        model, x = seed_network(), RNG.standard_normal((2, 3, 32, 32))
        summary = model.summary((2, 3, 32, 32))
        counts = cl.conv2d_params(3, 32, 3), cl.conv2d_params(32, 64, 3), cl.linear_params(4096, 10)
        assert summary.total == sum(counts)
        assert summary.total == sum(p.data.size for p in model.parameters()) == 60362
        outputs = [x]
        for layer in model:
            outputs.append(layer(outputs[-1]))
        assert [row.output_shape for row in summary.rows] == [a.shape for a in outputs]
        assert [row.name for row in summary.rows] == ["input", *map(str, range(8))]

    def test_nested_rows(self):
        """Layers inside a Residual are listed under their dotted names."""
        names = [row.name for row in residual_network().summary((1, 3, 8, 8)).rows]
        assert names == ["input", "0", "1", "2.fn.0", "2.fn.1", "2.fn.2", "3", "4", "5", "6"]

    def test_prints_a_table(self):
        """The summary prints as a table ending in the total."""
        text = str(seed_network().summary((1, 3, 32, 32)))
        assert "0 Conv2d" in text and "(1, 64, 8, 8)" in text and text.splitlines()[-1].endswith("60,362")
        assert repr(seed_network().summary((1, 3, 32, 32))) == text

    def test_wrong_shape_is_caught_on_paper(self):
        """summary raises the same error as running the network would, without running it."""
        with pytest.raises(ValueError, match=r"Linear\(in_features=4096"):
            seed_network().summary((1, 3, 64, 64))


class TestOptimisers:
    def make(self):
        """A parameter at [1, −2] with gradient [0.5, 0.5]."""
        p = nn.Parameter(np.array([1.0, -2.0]))
        p.grad[...] = 0.5
        return p

    def test_sgd(self):
        """Plain SGD steps against the gradient: w − lr·g."""
        p = self.make()
        nn.SGD([p], lr=0.1).step()
        np.testing.assert_allclose(p.data, [0.95, -2.05])

    def test_sgd_momentum_and_weight_decay(self):
        """With momentum, the second step moves by lr·(momentum·v + g), g including weight decay."""
        p = self.make()
        sgd = nn.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)
        g1 = 0.5 + 0.01 * np.array([1.0, -2.0])
        sgd.step()
        w1 = np.array([1.0, -2.0]) - 0.1 * g1
        np.testing.assert_allclose(p.data, w1)
        sgd.step()
        np.testing.assert_allclose(p.data, w1 - 0.1 * (0.9 * g1 + 0.5 + 0.01 * w1))

    def test_adam_first_step_is_lr(self):
        """Adam's first step moves each entry by lr against the sign of its gradient (m̂/√v̂ = ±1)."""
        p = self.make()
        nn.Adam([p], lr=0.01).step()
        np.testing.assert_allclose(p.data, [0.99, -2.01], rtol=1e-6)

    def test_zero_grad(self):
        """An optimiser's zero_grad clears its parameters' gradients."""
        p = self.make()
        nn.Adam([p]).zero_grad()
        assert not p.grad.any()


class TestTraining:
    def test_train_step_lowers_the_loss(self):
        """Repeated steps on one batch drive its loss down."""
        nn.manual_seed(0)
        model, loss_fn = residual_network(), nn.CrossEntropyLoss()
        optimizer = nn.Adam(model.parameters(), lr=0.01)
        x, y = np.random.default_rng(0).standard_normal((8, 3, 6, 6)).astype(np.float32), np.arange(8) % 5
        losses = [nn.train_step(model, loss_fn, optimizer, x, y) for _ in range(40)]
        assert losses[-1] < 0.1 * losses[0]

    def test_fit_learns_the_shapes(self):
        """A small ConvNet trained with fit tells the five synthetic shapes apart."""
        nn.manual_seed(0)
        x, y = shapes_dataset(60, size=12, seed=0)
        train, test = (x[:200], y[:200]), (x[200:], y[200:])
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                              nn.Flatten(), nn.Linear(16, 5))
        history = nn.fit(model, nn.CrossEntropyLoss(), nn.Adam(model.parameters(), lr=0.01), train, test,
                         epochs=10, batch_size=32, rng=0)
        assert [record.epoch for record in history] == list(range(1, 11))
        assert history[-1].loss < history[0].loss and history[-1].test_accuracy > 0.9

    def test_fit_reports_each_epoch(self):
        """on_epoch sees the records so far after every epoch, while training runs."""
        nn.manual_seed(0)
        x, y = shapes_dataset(10, size=8, seed=1)
        model = nn.Sequential(nn.Flatten(), nn.Linear(64, 5))
        seen = []
        history = nn.fit(model, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1), (x, y), (x, y),
                         epochs=3, rng=0, on_epoch=lambda so_far: seen.append(so_far))
        assert [len(so_far) for so_far in seen] == [1, 2, 3]
        assert seen[-1] == history and seen[0] == history[:1]

    def test_accuracy_restores_the_mode(self):
        """accuracy evaluates in eval mode and leaves the model in the mode it found."""
        model = nn.Sequential(nn.Flatten(), nn.Dropout(), nn.Linear(4, 2))
        x, y = RNG.standard_normal((10, 1, 2, 2)), np.zeros(10, dtype=int)
        assert nn.accuracy(model, x, y) == nn.accuracy(model, x, y)
        assert model.training
