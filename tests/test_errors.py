"""Every bad argument raises TypeError or ValueError naming the argument, the value and the fix.

Each case is a call, the exception it must raise and the fragments its
message must contain, verbatim.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import convlesson as cl
from convlesson import images, kernels

ONES33 = np.ones((3, 3))
IMG = np.ones((3, 5, 5))
BANK = np.ones((4, 3, 3, 3))


def raises(call, error, *says):
    """One parametrize entry, named after the first fragment of the message."""
    return pytest.param(call, error, says, id=says[0])


def check(call, error, says):
    """Call and check the exception's type and that each fragment is in its message."""
    with pytest.raises(error) as info:
        call()
    for fragment in says:
        assert fragment in str(info.value), f"{fragment!r} not in {str(info.value)!r}"


class TestConvErrors:
    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(ONES33, np.ones((5, 5))),
                ValueError,
                "kernel (5, 5) is larger than the padded input (3, 3)",
                "use a smaller kernel or more padding",
            ),
            raises(
                lambda: cl.conv2d(ONES33, np.ones((6, 4)), padding=1),
                ValueError,
                "kernel (6, 4) is larger than the padded input (5, 5)",
            ),
            raises(
                lambda: cl.conv2d(np.ones((4, 4)), ONES33, dilation=2),
                ValueError,
                "kernel (3, 3) (dilated to (5, 5)) is larger than the padded input (4, 4)",
            ),
            raises(
                lambda: cl.conv1d(np.ones(3), np.ones(4)),
                ValueError,
                "kernel (4,) is larger than the padded input (3,)",
            ),
            raises(
                lambda: cl.convolve2d(ONES33, np.ones((4, 1))),
                ValueError,
                "kernel (4, 1) is larger than the padded input (3, 3)",
            ),
        ],
    )
    def test_kernel_larger_than_padded_input(self, call, error, says):
        """A kernel that does not fit even once is refused, with both sizes in the message."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(IMG, np.ones((4, 2, 3, 3))),
                ValueError,
                "x has 3 channels but weight of shape (4, 2, 3, 3) expects 2",
                "weight.shape[1] must be C_in/groups = 3",
            ),
            raises(
                lambda: cl.conv2d(np.ones((2, 3, 5, 5)), np.ones((6, 2, 3, 3)), groups=3),
                ValueError,
                "x has 3 channels but weight of shape (6, 2, 3, 3) expects 6 "
                "(weight.shape[1] · groups = 2 · 3)",
                "must be C_in/groups = 1",
            ),
            raises(
                lambda: cl.conv1d(np.ones((2, 9)), np.ones((4, 3, 3))),
                ValueError,
                "x has 2 channels but weight of shape (4, 3, 3) expects 3",
            ),
            raises(
                lambda: cl.convolve2d(IMG, np.ones((4, 1, 3, 3))),
                ValueError,
                "x has 3 channels but kernel of shape (4, 1, 3, 3) expects 1",
            ),
        ],
    )
    def test_channel_mismatch(self, call, error, says):
        """x's channels and the weight's input channels must agree; both numbers are named."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(IMG, np.ones((4, 1, 3, 3)), groups=2),
                ValueError,
                "groups=2 must divide both in_channels=3 and out_channels=4",
            ),
            raises(
                lambda: cl.conv2d(np.ones((4, 5, 5)), np.ones((3, 2, 3, 3)), groups=2),
                ValueError,
                "groups=2 must divide both in_channels=4 and out_channels=3",
            ),
            raises(
                lambda: cl.conv2d(IMG, BANK, groups=0), ValueError, "groups must be >= 1, got 0"
            ),
            raises(
                lambda: cl.conv2d(IMG, BANK, groups=1.0),
                TypeError,
                "groups must be an int, got 1.0",
            ),
        ],
    )
    def test_groups(self, call, error, says):
        """groups must be a positive int dividing both channel counts."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(ONES33, ONES33, stride=0),
                ValueError,
                "stride must be >= 1 on every axis, got 0",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, stride=(1, -2)),
                ValueError,
                "stride must be >= 1 on every axis, got (1, -2)",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, dilation=0),
                ValueError,
                "dilation must be >= 1 on every axis, got 0",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, padding=-1),
                ValueError,
                "padding must be >= 0 on every axis, got -1",
            ),
            raises(
                lambda: cl.conv1d(np.ones(5), np.ones(3), padding=-2),
                ValueError,
                "padding must be >= 0 on every axis, got -2",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, stride=1.5),
                TypeError,
                "stride must be an int or a tuple of 2 ints, got 1.5",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, stride=True),
                TypeError,
                "stride must be an int or a tuple of 2 ints, got True",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, stride="2"),
                TypeError,
                "stride must be an int or a tuple of 2 ints, got '2'",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, dilation=(1, 2, 3)),
                ValueError,
                "dilation must be an int or a tuple of 2 ints, got 3 values: (1, 2, 3)",
            ),
            raises(
                lambda: cl.conv1d(np.ones(5), np.ones(3), stride=(1, 1)),
                ValueError,
                "stride must be an int, got 2 values: (1, 1)",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, padding=(1.0, 1)),
                TypeError,
                "padding must be an int or a tuple of 2 ints, got (1.0, 1)",
            ),
        ],
    )
    def test_stride_dilation_padding_values(self, call, error, says):
        """stride and dilation are ints >= 1, padding ints >= 0; floats and bools are refused."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(ONES33, ONES33, stride=2, padding="same"),
                ValueError,
                "padding='same' needs stride 1, got stride=(2, 2)",
                "give the padding as an int",
            ),
            raises(
                lambda: cl.conv1d(np.ones(5), np.ones(3), stride=3, padding="same"),
                ValueError,
                "padding='same' needs stride 1, got stride=(3,)",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, padding="full"),
                ValueError,
                "padding must be an int, a tuple of ints, 'valid' or 'same', got 'full'",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, padding="SAME"),
                ValueError,
                "'valid' or 'same', got 'SAME'",
            ),
        ],
    )
    def test_padding_words(self, call, error, says):
        """Only 'valid' and 'same' are padding words, and 'same' needs stride 1."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(np.ones(5), np.ones(3)),
                ValueError,
                "x must have shape (H, W), (C_in, H, W) or (N, C_in, H, W), got shape (5,)",
            ),
            raises(
                lambda: cl.conv2d(np.ones((1, 1, 1, 5, 5)), BANK),
                ValueError,
                "got shape (1, 1, 1, 5, 5)",
            ),
            raises(
                lambda: cl.conv2d(ONES33, np.ones((1, 2, 2))),
                ValueError,
                "weight must have shape (kH, kW) or (C_out, C_in/groups, kH, kW), got shape (1, 2, 2)",
            ),
            raises(
                lambda: cl.conv2d(ONES33, np.ones((2, 1, 2, 2))),
                ValueError,
                "x of shape (3, 3) is one (H, W) input without channels",
                "pass x[None]",
            ),
            raises(
                lambda: cl.conv2d(IMG, ONES33),
                ValueError,
                "x of shape (3, 5, 5) has channels, so weight must have shape "
                "(C_out, C_in/groups, kH, kW)",
                "weight[None, None]",
            ),
            raises(
                lambda: cl.conv1d(ONES33, np.ones(3)),
                ValueError,
                "x of shape (3, 3) has channels, so weight must have shape (C_out, C_in/groups, K)",
            ),
            raises(
                lambda: cl.conv1d(np.ones((1, 1, 1, 5)), np.ones((1, 1, 3))),
                ValueError,
                "x must have shape (L,), (C_in, L) or (N, C_in, L), got shape (1, 1, 1, 5)",
            ),
            raises(
                lambda: cl.convolve2d(ONES33, np.ones(3)),
                ValueError,
                "kernel must have shape (kH, kW) or (C_out, C_in/groups, kH, kW), got shape (3,)",
            ),
            raises(
                lambda: cl.corr2d_loop(IMG, ONES33),
                ValueError,
                "x and kernel must be 2-D, (H, W) and (kH, kW), got shapes (3, 5, 5) and (3, 3)",
            ),
        ],
    )
    def test_ranks(self, call, error, says):
        """Wrong ranks, or ranks that do not pair up, name the shape given and the shapes allowed."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(IMG, BANK, bias=np.ones(3)),
                ValueError,
                "bias must have shape (4,), one per output channel, got shape (3,)",
            ),
            raises(
                lambda: cl.conv2d(IMG, BANK, bias=1.0),
                ValueError,
                "bias must have shape (4,)",
                "got shape ()",
            ),
            raises(
                lambda: cl.conv2d(ONES33, ONES33, bias=np.ones(2)),
                ValueError,
                "bias must be a number, got shape (2,)",
            ),
            raises(
                lambda: cl.conv2d(IMG, BANK, bias=np.ones(4, bool)),
                TypeError,
                "bias must be a numeric array, got dtype bool",
            ),
        ],
    )
    def test_bias(self, call, error, says):
        """The bias has one number per output channel (a number for a single kernel)."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d(np.ones((3, 3), bool), ONES33),
                TypeError,
                "x must be a numeric array, got dtype bool",
                "x.astype(float)",
            ),
            raises(
                lambda: cl.conv2d(ONES33, np.ones((2, 2), complex)),
                TypeError,
                "weight must be real, got dtype complex128",
                "weight.real",
            ),
            raises(
                lambda: cl.conv2d([["a", "b"], ["c", "d"]], ONES33),
                TypeError,
                "x must be a numeric array, got dtype <U1",
            ),
            raises(
                lambda: cl.conv2d([[None, 1], [2, 3]], ONES33),
                TypeError,
                "x must be a numeric array, got dtype object",
            ),
            raises(
                lambda: cl.conv2d(np.ones((0, 5)), ONES33),
                ValueError,
                "x must not be empty, got shape (0, 5)",
            ),
            raises(
                lambda: cl.conv2d(IMG, np.ones((0, 3, 3, 3))),
                ValueError,
                "weight must not be empty, got shape (0, 3, 3, 3)",
            ),
            raises(
                lambda: cl.conv1d(np.ones(5), []),
                ValueError,
                "weight must not be empty, got shape (0,)",
            ),
            raises(
                lambda: cl.convolve2d(ONES33, np.ones((2, 2), bool)),
                TypeError,
                "kernel must be a numeric array, got dtype bool",
            ),
        ],
    )
    def test_array_contents(self, call, error, says):
        """bool, complex, non-numeric and empty arrays are refused."""
        check(call, error, says)


class TestPoolErrors:
    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.max_pool2d(np.ones((5, 5)), 3, padding=2),
                ValueError,
                "padding (2, 2) must be at most half of kernel_size (3, 3), that is <= (1, 1)",
            ),
            raises(
                lambda: cl.avg_pool2d(np.ones((5, 5)), (2, 4), padding=(1, 3)),
                ValueError,
                "padding (1, 3) must be at most half of kernel_size (2, 4), that is <= (1, 2)",
            ),
        ],
    )
    def test_padding_at_most_half_the_kernel(self, call, error, says):
        """PyTorch's rule padding <= kernel_size // 2 is enforced, naming both."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.max_pool2d(np.ones((2, 2)), 3),
                ValueError,
                "kernel (3, 3) is larger than the padded input (2, 2)",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((2, 2)), 4, stride=1, ceil_mode=True),
                ValueError,
                "kernel (4, 4) is larger than the padded input (2, 2), "
                "even hanging over by stride - 1 = (0, 0)",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2, dilation=4),
                ValueError,
                "kernel (2, 2) (dilated to (5, 5)) is larger than the padded input (4, 4)",
            ),
        ],
    )
    def test_window_larger_than_padded_input(self, call, error, says):
        """A window that does not fit is refused with both sizes."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.avg_pool2d(np.ones((4, 4)), 0),
                ValueError,
                "kernel_size must be >= 1 on every axis, got 0",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2, stride=0),
                ValueError,
                "stride must be >= 1 on every axis, got 0",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2, dilation=0),
                ValueError,
                "dilation must be >= 1 on every axis, got 0",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2, padding=-1),
                ValueError,
                "padding must be >= 0 on every axis, got -1",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2, padding="same"),
                TypeError,
                "padding must be an int or a tuple of 2 ints, got 'same'",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2.0),
                TypeError,
                "kernel_size must be an int or a tuple of 2 ints, got 2.0",
            ),
            raises(
                lambda: cl.max_pool2d(np.ones((4, 4)), 2, ceil_mode=1),
                TypeError,
                "ceil_mode must be True or False, got 1",
            ),
            raises(
                lambda: cl.avg_pool2d(np.ones((4, 4)), 2, count_include_pad="no"),
                TypeError,
                "count_include_pad must be True or False, got 'no'",
            ),
        ],
    )
    def test_argument_values(self, call, error, says):
        """Sizes are positive ints, padding a non-negative int, the flags real bools."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.max_pool2d(np.ones(4), 2),
                ValueError,
                "x must have shape (H, W), (C, H, W) or (N, C, H, W), got shape (4,)",
            ),
            raises(
                lambda: cl.global_avg_pool2d(np.ones((1, 1, 1, 4, 4))),
                ValueError,
                "got shape (1, 1, 1, 4, 4)",
            ),
            raises(
                lambda: cl.global_avg_pool2d(np.ones((2, 0, 4))),
                ValueError,
                "x must not be empty, got shape (2, 0, 4)",
            ),
            raises(
                lambda: cl.avg_pool2d(np.ones((4, 4), complex), 2),
                TypeError,
                "x must be real, got dtype complex128",
            ),
        ],
    )
    def test_inputs(self, call, error, says):
        """The pooled array must be a non-empty real (H, W), (C, H, W) or (N, C, H, W) array."""
        check(call, error, says)


class TestShapeErrors:
    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.output_size(3, 5),
                ValueError,
                "kernel (5,) is larger than the padded input (3,)",
            ),
            raises(
                lambda: cl.output_size(3, 3, dilation=2),
                ValueError,
                "kernel (3,) (dilated to (5,)) is larger than the padded input (3,)",
            ),
            raises(lambda: cl.output_size(0, 3), ValueError, "size must be >= 1, got 0"),
            raises(
                lambda: cl.output_size(5, 3, stride=0), ValueError, "stride must be >= 1, got 0"
            ),
            raises(
                lambda: cl.output_size(5, 3, padding=-1),
                ValueError,
                "padding must be >= 0, got -1",
            ),
            raises(
                lambda: cl.output_size(5, 3, padding="same"),
                TypeError,
                "padding must be an int, got 'same'",
            ),
            raises(lambda: cl.output_size(5.0, 3), TypeError, "size must be an int, got 5.0"),
            raises(
                lambda: cl.output_size(5, 3, ceil_mode=None),
                TypeError,
                "ceil_mode must be True or False, got None",
            ),
        ],
    )
    def test_output_size(self, call, error, says):
        """output_size takes positive ints (padding >= 0) and refuses kernels that do not fit."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv2d_params(3, 8, 3, groups=2),
                ValueError,
                "groups=2 must divide both in_channels=3 and out_channels=8",
            ),
            raises(
                lambda: cl.conv2d_params(3, 8, (3, 3, 3)),
                ValueError,
                "kernel_size must be an int or a tuple of 2 ints, got 3 values: (3, 3, 3)",
            ),
            raises(
                lambda: cl.conv2d_params(3, 8, 3, bias="yes"),
                TypeError,
                "bias must be True or False, got 'yes'",
            ),
            raises(
                lambda: cl.conv2d_params(0, 8, 3),
                ValueError,
                "in_channels must be >= 1, got 0",
            ),
            raises(
                lambda: cl.linear_params(10, 0),
                ValueError,
                "out_features must be >= 1, got 0",
            ),
        ],
    )
    def test_parameter_counts(self, call, error, says):
        """The counts take positive ints, a bool bias and a groups that divides the channels."""
        check(call, error, says)

    @pytest.mark.parametrize(
        "layers, error, says",
        [
            (
                {"kernel_size": 3},
                TypeError,
                ["layers must be a list of layers, got {'kernel_size': 3}"],
            ),
            (3, TypeError, ["layers must be a list of layers, got 3"]),
            ([3, "conv"], TypeError, ["layers[1] must be an int, a tuple", "got 'conv'"]),
            ([(3, 1, 1, 1, 1)], ValueError, ["layers[0] must have 1 to 4 values", "got 5"]),
            ([()], ValueError, ["layers[0] must have 1 to 4 values", "got 0"]),
            (
                [{"kernel": 3}],
                ValueError,
                [
                    "layers[0] has unknown keys ['kernel']; "
                    "allowed: ['kernel_size', 'stride', 'padding', 'dilation']"
                ],
            ),
            ([{"stride": 2}], ValueError, ["layers[0] needs a 'kernel_size'"]),
            ([3, (3, 0)], ValueError, ["layers[1] stride must be >= 1, got 0"]),
            ([(3, 1, -1)], ValueError, ["layers[0] padding must be >= 0, got -1"]),
            ([(3.0,)], TypeError, ["layers[0] kernel_size must be an int, got 3.0"]),
        ],
    )
    def test_receptive_field_layers(self, layers, error, says):
        """Each malformed layer is named by its index in the list."""
        check(lambda: cl.receptive_field(layers), error, says)


class TestStepErrors:
    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: cl.conv_steps(ONES33, np.ones(2)),
                ValueError,
                "x and weight must be (L,) and (K,), or (H, W) and (kH, kW), "
                "got shapes (3, 3) and (2,)",
            ),
            raises(
                lambda: cl.conv_steps(IMG, BANK),
                ValueError,
                "got shapes (3, 5, 5) and (4, 3, 3, 3)",
            ),
            raises(
                lambda: cl.conv_steps(ONES33, np.ones((4, 4))),
                ValueError,
                "kernel (4, 4) is larger than the padded input (3, 3)",
            ),
            raises(
                lambda: cl.conv_steps(np.ones(5), np.ones(3), stride=2, padding="same"),
                ValueError,
                "padding='same' needs stride 1",
            ),
            raises(
                lambda: cl.conv_steps(ONES33, ONES33, stride=0),
                ValueError,
                "stride must be >= 1 on every axis, got 0",
            ),
            raises(
                lambda: cl.conv_steps(ONES33, np.ones((2, 2), bool)),
                TypeError,
                "weight must be a numeric array, got dtype bool",
            ),
        ],
    )
    def test_conv_steps(self, call, error, says):
        """conv_steps checks its arguments as conv2d does."""
        check(call, error, says)


class TestKernelAndImageErrors:
    def test_unknown_kernel_lists_the_names(self):
        """An unknown kernel name is refused with a close match and the full list of names."""
        expected = re.escape("unknown kernel 'blur'; did you mean 'box_blur'?")
        with pytest.raises(ValueError, match=expected) as info:
            kernels.get("blur")
        assert ", ".join(kernels.names()) in str(info.value)

    def test_kernel_name_must_be_a_string(self):
        """A kernel name that is not a string is a TypeError."""
        with pytest.raises(TypeError, match="name must be a str, got 3"):
            kernels.get(3)

    @pytest.mark.parametrize(
        "call, error, says",
        [
            raises(
                lambda: images.checkerboard(4, 5),
                ValueError,
                "squares must be at most size=4, got squares=5",
            ),
            raises(lambda: images.checkerboard(0), ValueError, "size must be >= 1, got 0"),
            raises(lambda: images.step_edge(1), ValueError, "size must be >= 2, got 1"),
            raises(lambda: images.shapes(4), ValueError, "size must be >= 8, got 4"),
            raises(
                lambda: images.photo(32, gray=1), TypeError, "gray must be True or False, got 1"
            ),
            raises(lambda: images.photo(0), ValueError, "size must be >= 1, got 0"),
            raises(lambda: images.photo((32, 32)), TypeError, "size must be an int, got (32, 32)"),
            raises(
                lambda: images.resize(np.ones(4), 2),
                ValueError,
                "image must have shape (H, W) or (H, W, C), got shape (4,)",
            ),
            raises(
                lambda: images.resize(ONES33, (2, 0)),
                ValueError,
                "size must be >= 1 on every axis, got (2, 0)",
            ),
            raises(
                lambda: images.to_chw(ONES33),
                ValueError,
                "image must have shape (H, W, C), got shape (3, 3)",
                "image[None]",
            ),
            raises(
                lambda: images.to_hwc(np.ones((2, 3, 3, 3))),
                ValueError,
                "x must have shape (C, H, W), got shape (2, 3, 3, 3)",
            ),
        ],
    )
    def test_image_arguments(self, call, error, says):
        """The image makers and converters refuse sizes and shapes they cannot honour."""
        check(call, error, says)
