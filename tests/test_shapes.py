"""Tests for convlesson.shapes: output_size, parameter counts and receptive_field."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convlesson as cl
from convlesson.shapes import ReceptiveField


class TestOutputSize:
    @pytest.mark.parametrize(
        "size, kernel, stride, padding, expected",
        [
            (5, 3, 1, 0, 3),  # the lesson's 5×5 input and 3×3 kernel
            (5, 3, 1, 1, 5),  # one pixel of padding keeps the size
            (7, 3, 2, 0, 3),
            (32, 2, 2, 0, 16),  # a 2×2 max pool halves
            (224, 7, 2, 3, 112),  # ResNet's first layer
            (4, 4, 1, 0, 1),  # kernel as large as the input
            (6, 1, 3, 0, 2),
        ],
    )
    def test_lesson_formula(self, size, kernel, stride, padding, expected):
        """The output size is ⌊(W − K + 2P)/S⌋ + 1 for dilation 1."""
        assert cl.output_size(size, kernel, stride, padding) == expected
        assert expected == (size - kernel + 2 * padding) // stride + 1

    @pytest.mark.parametrize(
        "size, kernel, dilation, expected", [(7, 3, 2, 3), (9, 3, 4, 1), (10, 2, 3, 7)]
    )
    def test_dilation_widens_the_kernel(self, size, kernel, dilation, expected):
        """A dilated kernel spans d·(k − 1) + 1 pixels."""
        assert cl.output_size(size, kernel, dilation=dilation) == expected

    @pytest.mark.parametrize(
        "size, kernel, stride, padding, floor, ceil",
        [
            (5, 2, 2, 0, 2, 3),  # ceil adds the window over the edge
            (6, 2, 2, 0, 3, 3),  # nothing left over: the same
            (5, 3, 2, 1, 3, 3),  # the extra window would start in the right padding: dropped
            (6, 3, 2, 1, 3, 4),
            (4, 3, 3, 1, 2, 2),
        ],
    )
    def test_ceil_mode(self, size, kernel, stride, padding, floor, ceil):
        """ceil_mode rounds up, except that a window starting in the right padding is dropped."""
        assert cl.output_size(size, kernel, stride, padding) == floor
        assert cl.output_size(size, kernel, stride, padding, ceil_mode=True) == ceil

    @settings(max_examples=50, deadline=None)
    @given(
        size=st.integers(1, 12),
        kernel=st.integers(1, 5),
        stride=st.integers(1, 4),
        padding=st.integers(0, 3),
        dilation=st.integers(1, 3),
    )
    def test_agrees_with_conv2d(self, size, kernel, stride, padding, dilation):
        """output_size predicts the size of conv2d's output whenever the kernel fits."""
        if dilation * (kernel - 1) + 1 > size + 2 * padding:
            return
        out = cl.conv2d(
            np.ones((size, 3)),
            np.ones((kernel, 1)),
            stride=(stride, 1),
            padding=(padding, 0),
            dilation=(dilation, 1),
        )
        assert out.shape[0] == cl.output_size(size, kernel, stride, padding, dilation)

    @settings(max_examples=50, deadline=None)
    @given(
        size=st.integers(1, 12), kernel=st.integers(1, 5), stride=st.integers(1, 4), data=st.data()
    )
    def test_agrees_with_pooling_in_ceil_mode(self, size, kernel, stride, data):
        """output_size with ceil_mode predicts max_pool2d's output size."""
        padding = data.draw(st.integers(0, kernel // 2))
        if kernel > size + 2 * padding + stride - 1:
            return
        out = cl.max_pool2d(
            np.ones((size, 1)), (kernel, 1), (stride, 1), (padding, 0), ceil_mode=True
        )
        assert out.shape[0] == cl.output_size(size, kernel, stride, padding, ceil_mode=True)


class TestSeedNetwork:
    """Conv2d(3,32,3,p=1) → ReLU → MaxPool2d(2) → Conv2d(32,64,3,p=1) → ReLU → MaxPool2d(2) → Flatten → Linear(4096,10)."""

    def test_flatten_size_is_4096(self):
        """Chaining output_size through the two conv/pool blocks on 32×32 leaves 8×8×64 = 4096 numbers."""
        side = 32
        side = cl.output_size(side, 3, padding=1)  # conv: 32
        side = cl.output_size(side, 2, stride=2)  # pool: 16
        side = cl.output_size(side, 3, padding=1)  # conv: 16
        side = cl.output_size(side, 2, stride=2)  # pool: 8
        assert (side, side * side * 64) == (8, 4096)

    def test_arrays_follow_the_chain(self):
        """Running the layers on an array gives the shapes output_size predicts."""
        rng = np.random.default_rng(0)
        x = rng.standard_normal((3, 32, 32))
        x = cl.max_pool2d(
            np.maximum(cl.conv2d(x, rng.standard_normal((32, 3, 3, 3)), padding=1), 0), 2
        )
        assert x.shape == (32, 16, 16)
        x = cl.max_pool2d(
            np.maximum(cl.conv2d(x, rng.standard_normal((64, 32, 3, 3)), padding=1), 0), 2
        )
        assert x.shape == (64, 8, 8) and x.size == 4096

    def test_parameter_count(self):
        """The network has 896 + 18,496 + 40,970 = 60,362 parameters."""
        counts = [
            cl.conv2d_params(3, 32, 3),
            cl.conv2d_params(32, 64, 3),
            cl.linear_params(4096, 10),
        ]
        assert counts == [896, 18496, 40970] and sum(counts) == 60362


class TestParams:
    @pytest.mark.parametrize(
        "args, kwargs, expected",
        [
            ((64, 128, 3), {}, 73856),  # the lesson's example: 128 × (3·3·64 + 1)
            ((64, 128, 3), {"bias": False}, 73728),
            ((3, 64, (7, 7)), {}, 9472),
            ((64, 64, (1, 3)), {}, 12352),
            ((32, 32, 3), {"groups": 32}, 320),  # depthwise
            ((32, 64, 1), {"groups": 4}, 576),
        ],
    )
    def test_conv2d_params(self, args, kwargs, expected):
        """C_out · ((C_in / groups)·kH·kW + 1), or without the 1 when there is no bias."""
        assert cl.conv2d_params(*args, **kwargs) == expected

    @pytest.mark.parametrize(
        "args, kwargs, expected", [((4096, 10), {}, 40970), ((784, 100), {"bias": False}, 78400)]
    )
    def test_linear_params(self, args, kwargs, expected):
        """out · (in + 1), or out · in without bias."""
        assert cl.linear_params(*args, **kwargs) == expected

    def test_fully_connected_would_be_far_larger(self):
        """A dense layer from a 256×256×3 image to 1,000 units has about 200 million weights."""
        assert cl.linear_params(256 * 256 * 3, 1000) == 196_609_000


class TestReceptiveField:
    def test_seed_network(self):
        """conv3 p1, pool 2, conv3 p1, pool 2: fields 3, 4, 8, 10 with jumps 1, 2, 2, 4."""
        fields = cl.receptive_field([(3, 1, 1), (2, 2), (3, 1, 1), (2, 2)])
        assert fields == [
            ReceptiveField(1, 3, 1, 1),
            ReceptiveField(2, 4, 2, 1),
            ReceptiveField(3, 8, 2, 3),
            ReceptiveField(4, 10, 4, 3),
        ]

    @pytest.mark.parametrize("n, expected", [(1, 3), (2, 5), (3, 7), (5, 11)])
    def test_stacked_3x3_grow_by_two(self, n, expected):
        """n stacked 3×3 stride-1 convolutions see 2n + 1 pixels, as VGG argues."""
        assert cl.receptive_field([3] * n)[-1].rf == expected

    def test_dilation_doubling(self):
        """3×3 layers with dilation 1, 2, 4 grow the field exponentially: 3, 7, 15."""
        layers = [dict(kernel_size=3, dilation=d) for d in (1, 2, 4)]
        assert [f.rf for f in cl.receptive_field(layers)] == [3, 7, 15]

    def test_spellings_agree(self):
        """An int, a tuple and a dict describe the same layer."""
        assert cl.receptive_field([3, (2, 2)]) == cl.receptive_field(
            [(3, 1, 0, 1), dict(kernel_size=2, stride=2)]
        )

    def test_empty_stack(self):
        """No layers, no fields."""
        assert cl.receptive_field([]) == []

    def test_record_prints_its_fields(self):
        """A ReceptiveField prints with its field names."""
        assert str(cl.receptive_field([3])[0]) == "ReceptiveField(layer=1, rf=3, jump=1, padding=0)"

    @settings(max_examples=40, deadline=None)
    @given(
        layers=st.lists(
            st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2)),
            min_size=1,
            max_size=4,
        )
    )
    def test_matches_the_pixels_an_output_depends_on(self, layers):
        """The field [i·j − P, i·j − P + r − 1] is where the pixels that move output i are, found by probing."""
        length = 1000
        fields = cl.receptive_field(layers)[-1]
        # Track, for every position of each layer, the first and last input pixel it
        # depends on; padding depends on none (lo = +max, hi = −max).
        lo, hi = np.arange(length), np.arange(length)
        for k, s, p, d in layers:
            lo = np.concatenate([np.full(p, np.iinfo(int).max), lo, np.full(p, np.iinfo(int).max)])
            hi = np.concatenate([np.full(p, np.iinfo(int).min), hi, np.full(p, np.iinfo(int).min)])
            n_out = (len(lo) - d * (k - 1) - 1) // s + 1
            if n_out < 1:
                return
            taps = np.arange(n_out)[:, None] * s + np.arange(k)[None, :] * d
            lo, hi = lo[taps].min(axis=1), hi[taps].max(axis=1)
        # The first output whose field starts at or after pixel 0, far from the right end.
        i = (fields.padding + fields.jump - 1) // fields.jump
        start = i * fields.jump - fields.padding
        if i >= len(lo) or start + fields.rf > length // 2:
            return
        assert (lo[i], hi[i]) == (start, start + fields.rf - 1)


class TestConv2dMacs:
    @staticmethod
    def counted(c_in, c_out, k, h_out, w_out, groups):
        """Multiplications of a convolution, counted one by one in the loops of its definition."""
        count = 0
        per_group = c_in // groups
        for _o in range(c_out):
            for _i in range(h_out):
                for _j in range(w_out):
                    for _c in range(per_group):
                        for _u in range(k):
                            for _v in range(k):
                                count += 1
        return count

    @settings(max_examples=30, deadline=None)
    @given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4),
           st.sampled_from([1, 2]))
    def test_counts_the_loops_multiplications(self, c, o, k, h, w, groups):
        """conv2d_macs is the number of products the definition's loops take."""
        c_in, c_out = c * groups, o * groups
        assert cl.conv2d_macs(c_in, c_out, k, h, w, groups=groups) == self.counted(c_in, c_out, k, h, w, groups)

    @pytest.mark.parametrize("c_in, c_out, k, size, padding, stride", [
        (3, 32, 3, 32, 1, 1), (32, 64, 3, 16, 1, 1), (64, 128, 1, 8, 0, 1), (3, 16, 5, 28, 0, 2),
    ])
    def test_agrees_with_torch_flop_counter(self, c_in, c_out, k, size, padding, stride):
        """PyTorch's FlopCounterMode counts 2 FLOPs (a multiply and an add) per multiply–add."""
        torch = pytest.importorskip("torch")
        from torch.utils.flop_counter import FlopCounterMode

        layer = torch.nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, bias=False)
        x = torch.zeros(1, c_in, size, size)
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            out = layer(x)
        _, _, h_out, w_out = out.shape
        assert 2 * cl.conv2d_macs(c_in, c_out, k, h_out, w_out) == counter.get_total_flops()

    def test_one_by_one_costs_c_in_per_output(self):
        """A 1×1 convolution costs C_in multiply–adds per output number."""
        assert cl.conv2d_macs(64, 16, 1, 8, 8) == 16 * 8 * 8 * 64

    @pytest.mark.parametrize("kwargs", [dict(in_channels=0), dict(out_height=0), dict(groups=3)])
    def test_bad_arguments(self, kwargs):
        args = dict(in_channels=4, out_channels=4, kernel_size=3, out_height=2, out_width=2) | kwargs
        with pytest.raises(ValueError):
            cl.conv2d_macs(**args)
