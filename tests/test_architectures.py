"""Tests for convlesson.architectures: layer specs, summaries, totals, receptive fields, history."""

from __future__ import annotations

import doctest
import tracemalloc

import pytest

import convlesson as cl
from convlesson import architectures as arch
from convlesson.architectures import (
    AdaptiveAvgPool,
    BasicBlock,
    BatchNorm,
    Bottleneck,
    Conv,
    Flatten,
    Inception,
    Linear,
    Pool,
    ReLU,
)

# The independent oracle: the "num_params" that torchvision publishes for each model in its
# model docs (pytorch.org/vision/stable/models, the weights' meta data, e.g. AlexNet_Weights).
# LeNet-5 is not in torchvision: its number is added up by hand below.
PUBLISHED = {
    "alexnet": 61_100_840,  # torchvision AlexNet_Weights.IMAGENET1K_V1 num_params
    "vgg16": 138_357_544,  # torchvision VGG16_Weights.IMAGENET1K_V1 num_params
    "googlenet": 6_624_904,  # torchvision GoogLeNet_Weights.IMAGENET1K_V1 num_params
    "resnet18": 11_689_512,  # torchvision ResNet18_Weights.IMAGENET1K_V1 num_params
    "resnet50": 25_557_032,  # torchvision ResNet50_Weights.IMAGENET1K_V1 (and V2) num_params
}
# LeNet-5, the usual PyTorch variant, layer by layer: C_out·(C_in·k·k + 1) and out·(in + 1).
LENET5 = 6 * (1 * 5 * 5 + 1) + 16 * (6 * 5 * 5 + 1) + 120 * (400 + 1) + 84 * (120 + 1) + 10 * (84 + 1)


def out(size, kernel, stride=1, padding=0):
    """The lesson's formula, written out independently: ⌊(W − K + 2P)/S⌋ + 1."""
    return (size - kernel + 2 * padding) // stride + 1


def shapes_of(name, kinds):
    """Output shapes of the layers of type ``kinds`` in the summary of ``name``."""
    net = arch.get(name)
    return [row.output_shape for layer, row in zip(net, arch.summary(net).rows) if isinstance(layer, kinds)]


class TestPublishedTotals:
    @pytest.mark.parametrize("name, expected", sorted(PUBLISHED.items()))
    def test_torchvision_num_params(self, name, expected):
        """count_params and summary().total equal torchvision's published num_params."""
        assert arch.count_params(name) == expected
        assert arch.summary(name).total == expected

    def test_lenet5_by_hand(self):
        """LeNet-5 has 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters."""
        assert LENET5 == 61_706
        assert arch.count_params("lenet5") == LENET5

    @pytest.mark.parametrize("name", arch.names())
    def test_rows_add_up_to_the_total(self, name):
        """The per-layer parameter counts add up to the total."""
        s = arch.summary(name)
        assert sum(row.params for row in s.rows) == s.total == arch.count_params(name)

    @pytest.mark.parametrize("name", ["alexnet", "vgg16", "googlenet", "resnet18", "resnet50"])
    def test_ends_in_1000_imagenet_scores(self, name):
        """Each ImageNet network maps a 3×224×224 image to 1000 class scores."""
        s = arch.summary(name)
        assert s.input_shape == (3, 224, 224)
        assert s.output_shape == (1000,)

    @pytest.mark.parametrize("name", ["alexnet", "vgg16", "googlenet", "resnet18", "resnet50"])
    def test_num_classes_changes_only_the_last_layer(self, name):
        """A 10-class head takes 990 fewer outputs of the last Linear layer."""
        net = getattr(arch, name)(num_classes=10)
        in_features = net[-1].in_features
        assert arch.count_params(net) == PUBLISHED[name] - 990 * (in_features + 1)


class TestGoogLeNetConfiguration:
    def test_published_number_is_without_the_auxiliary_classifiers(self):
        """6,624,904 is the model without aux heads; torchvision drops them after loading the weights."""
        assert arch.count_params(arch.googlenet(aux_logits=False)) == 6_624_904
        assert not any(isinstance(layer, arch.InceptionAux) for layer in arch.googlenet())

    def test_aux_heads_add_their_weights(self):
        """Each aux head: 1×1 conv to 128 + BN, Linear(2048, 1024), Linear(1024, 1000)."""

        def head(c):
            return c * 128 + 2 * 128 + (2048 * 1024 + 1024) + (1024 * 1000 + 1000)

        with_aux = arch.googlenet(aux_logits=True)
        assert arch.count_params(with_aux) == 6_624_904 + head(512) + head(528) == 13_004_888
        assert arch.summary(with_aux).output_shape == (1000,)
        assert arch.depth(with_aux) == 22  # side exits are not on the path

    def test_inception_uses_3x3_in_the_5x5_branch(self):
        """torchvision's branch3 is a 1×1 reduce then a 3×3 conv (its known deviation)."""
        branch3 = Inception(192, 64, 96, 128, 16, 32, 32).paths()["branch3"]
        convs = [layer for layer in branch3 if isinstance(layer, Conv)]
        assert [conv.kernel_size for conv in convs] == [1, 3]
        assert all(not conv.bias for conv in convs)


class TestShapes:
    def test_alexnet_chain(self):
        """AlexNet's conv and pool outputs follow ⌊(W − K + 2P)/S⌋ + 1 from 224."""
        s1 = out(224, 11, 4, 2)  # 55
        p1 = out(s1, 3, 2)  # 27
        s2 = out(p1, 5, 1, 2)  # 27
        p2 = out(s2, 3, 2)  # 13
        p3 = out(out(13, 3, 1, 1), 3, 2)  # 13 through the 3×3 convs, then 6
        assert (s1, p1, s2, p2, p3) == (55, 27, 27, 13, 6)
        expected = [(64, s1, s1), (64, p1, p1), (192, s2, s2), (192, p2, p2),
                    (384, 13, 13), (256, 13, 13), (256, 13, 13), (256, p3, p3)]
        assert shapes_of("alexnet", (Conv, Pool)) == expected
        assert shapes_of("alexnet", Flatten) == [(256 * 6 * 6,)] == [(9216,)]
        assert shapes_of("alexnet", Linear) == [(4096,), (4096,), (1000,)]

    def test_vgg16_chain(self):
        """VGG-16's 3×3 pad-1 convs keep the size and each 2×2 pool halves it: 224 → 7."""
        assert out(224, 3, 1, 1) == 224 and out(224, 2, 2) == 112
        sizes = [224, 112, 56, 28, 14]
        widths = [64, 128, 256, 512, 512]
        convs = [(w, n, n) for w, n, count in zip(widths, sizes, (2, 2, 3, 3, 3)) for _ in range(count)]
        pools = [(w, n // 2, n // 2) for w, n in zip(widths, sizes)]
        assert shapes_of("vgg16", Conv) == convs
        assert shapes_of("vgg16", Pool) == pools
        assert shapes_of("vgg16", Flatten) == [(512 * 7 * 7,)] == [(25088,)]

    def test_googlenet_chain(self):
        """GoogLeNet's shapes are the ones in torchvision's forward() comments."""
        s = {row.name: row.output_shape for row in arch.summary("googlenet")}
        assert s["conv1"] == (64, 112, 112)
        assert s["maxpool1"] == (64, 56, 56)  # ceil_mode: ⌈(112 − 3)/2⌉ + 1 = 56
        assert s["conv3"] == (192, 56, 56)
        assert s["maxpool2"] == (192, 28, 28)
        assert (s["inception3a"], s["inception3b"]) == ((256, 28, 28), (480, 28, 28))
        assert s["maxpool3"] == (480, 14, 14)
        assert [s[f"inception4{k}"][0] for k in "abcde"] == [512, 512, 512, 528, 832]
        assert s["maxpool4"] == (832, 7, 7)
        assert (s["inception5a"], s["inception5b"]) == ((832, 7, 7), (1024, 7, 7))

    @pytest.mark.parametrize(
        "name, channels",
        [("resnet18", (64, 128, 256, 512)), ("resnet50", (256, 512, 1024, 2048))],
    )
    def test_resnet_stages(self, name, channels):
        """The stem takes 224 to 56; each later stage halves H×W, ending at 7×7."""
        s = {row.name: row.output_shape for row in arch.summary(name)}
        assert s["conv1"] == (64, out(224, 7, 2, 3), 112)
        assert s["maxpool"] == (64, out(112, 3, 2, 1), 56)
        last = {int(key[5]): shape for key, shape in s.items() if key.startswith("layer")}
        assert [last[stage] for stage in (1, 2, 3, 4)] == [
            (channels[0], 56, 56), (channels[1], 28, 28), (channels[2], 14, 14), (channels[3], 7, 7)
        ]


class TestBlocks:
    def test_bottleneck_by_hand(self):
        """ResNet-50's first block: 1×1, 3×3, 1×1 convs and a 1×1 downsample, each with BN."""
        expected = (64 * 64 + 128) + (64 * 64 * 9 + 128) + (64 * 256 + 512) + (64 * 256 + 512)
        block = Bottleneck(64, 64)
        assert block.params() == expected == 75_008
        assert block.output_shape((64, 56, 56)) == (256, 56, 56)

    def test_identity_shortcut_has_no_weights(self):
        """When the shape is kept, the shortcut is the identity: no downsample layers."""
        assert Bottleneck(256, 64).paths()["shortcut"] == []
        assert BasicBlock(64, 64).paths()["shortcut"] == []
        assert BasicBlock(64, 128, stride=2).paths()["shortcut"] == [
            Conv(64, 128, 1, stride=2, bias=False), BatchNorm(128)
        ]

    def test_inception_concatenates_channels(self):
        """Inception (3a) stacks 64 + 128 + 32 + 32 = 256 channels and keeps 28×28."""
        assert Inception(192, 64, 96, 128, 16, 32, 32).output_shape((192, 28, 28)) == (256, 28, 28)

    def test_expand_lists_the_inner_layers(self):
        """summary(expand=True) shows each block's paths, indented, without changing the total."""
        plain, expanded = arch.summary("resnet18"), arch.summary("resnet18", expand=True)
        assert expanded.total == plain.total
        inner = [row for row in expanded if row.name.startswith("  ")]
        assert inner and all(row.name.startswith("  layer") for row in inner)
        assert "  layer2.0.shortcut.0" in [row.name for row in inner]

    def test_summary_of_one_block(self):
        """A block can be summarised alone, given its input shape."""
        s = arch.summary(Bottleneck(64, 64), input_shape=(64, 56, 56), expand=True)
        assert s.total == 75_008
        assert s.rows[-1].output_shape == (256, 56, 56)


class TestSeedNet:
    def test_numbers(self):
        """Conv 3→32 has 32·(27+1) = 896, conv 32→64 has 64·(288+1) = 18,496, the Linear 10·4097."""
        s = arch.summary("seed_net")
        by_name = {row.name: row for row in s}
        assert by_name["conv1"].params == 32 * (3 * 3 * 3 + 1) == 896
        assert by_name["conv2"].params == 64 * (32 * 3 * 3 + 1) == 18_496
        assert by_name["flatten1"].output_shape == (8 * 8 * 64,) == (4096,)
        assert by_name["fc1"].params == 10 * (4096 + 1) == 40_970
        assert s.total == 896 + 18_496 + 40_970 == 60_362

    def test_shapes_follow_the_lesson(self):
        """32×32×32 → 32×16×16 → 64×16×16 → 64×8×8 → 4096 → 10."""
        assert [row.output_shape for row in arch.summary("seed_net")] == [
            (32, 32, 32), (32, 32, 32), (32, 16, 16), (64, 16, 16), (64, 16, 16), (64, 8, 8), (4096,), (10,)
        ]

    def test_matches_the_numpy_model(self):
        """The spec counts what convlesson.nn's Sequential of the same layers holds."""
        from convlesson import nn

        model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(4096, 10))
        assert sum(p.data.size for p in model.parameters()) == arch.count_params("seed_net")


class TestNoAllocation:
    @pytest.mark.parametrize("name", ["vgg16", "resnet50"])
    def test_summary_allocates_almost_nothing(self, name):
        """Summarising a big network peaks under 1 MB of Python memory: no weights are made."""
        tracemalloc.start()
        try:
            total = arch.summary(name).total
            str(arch.summary(name))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert total == PUBLISHED[name]
        assert peak < 1_000_000  # 138 M float32 weights would be 553 MB


class TestReceptiveField:
    def test_stacked_3x3(self):
        """Two 3×3 convs see 5×5, three see 7×7 (r grows by k − 1 = 2 per layer at jump 1)."""
        assert cl.receptive_field(arch.rf_layers([Conv(3, 3, 3)] * 2))[-1].rf == 5
        assert cl.receptive_field(arch.rf_layers([Conv(3, 3, 3, padding=1)] * 3))[-1].rf == 7

    def test_vgg16(self):
        """VGG-16: conv5_3 sees 196 pixels, pool5 212, with jump 32.

        With r_l = r_{l−1} + (k − 1)·j_{l−1} and j_l = j_{l−1}·s (Araujo et al. 2019):
        stage 1: two 3×3 at j=1 → 1 + 2 + 2 = 5, pool 2×2 → 6, j = 2;
        stage 2: 6 + 2·2·2 = 14, pool → 16, j = 4;
        stage 3: 16 + 3·2·4 = 40, pool → 44, j = 8;
        stage 4: 44 + 3·2·8 = 92, pool → 100, j = 16;
        stage 5: 100 + 3·2·16 = 196 (conv5_3), pool → 196 + 16 = 212, j = 32.
        """
        fields = dict(arch.receptive_fields("vgg16"))
        assert fields["conv5_3"].rf == 196
        assert (fields["pool5"].rf, fields["pool5"].jump) == (212, 32)
        assert cl.receptive_field(arch.rf_layers("vgg16"))[-1].rf == 212
        assert len(arch.rf_layers("vgg16")) == 13 + 5

    def test_alexnet(self):
        """AlexNet: conv1 11 (j 4), pool 11 + 2·4 = 19 (j 8), conv2 19 + 4·8 = 51, pool 51 + 2·8 = 67 (j 16),
        three 3×3: 67 + 3·2·16 = 163, pool5: 163 + 2·16 = 195 (j 32)."""
        field = cl.receptive_field(arch.rf_layers("alexnet"))
        assert [f.rf for f in field] == [11, 19, 51, 67, 99, 131, 163, 195]
        assert field[-1].jump == 32

    def test_resnet18(self):
        """ResNet-18: stem 7 (j 2), max pool 11 (j 4); each 3×3 adds 2·j: 11 + 4·8 = 43;
        43 + 8 + 3·16 = 99; 99 + 16 + 3·32 = 211; 211 + 32 + 3·64 = 435 (j 32)."""
        field = cl.receptive_field(arch.rf_layers("resnet18"))[-1]
        assert (field.rf, field.jump) == (435, 32)

    def test_resnet50_strides_on_the_3x3(self):
        """ResNet-50 (stride on the 3×3, torchvision's v1.5): 11 + 3·8 = 35; 35 + 8 + 3·16 = 91;
        91 + 16 + 5·32 = 267; 267 + 32 + 2·64 = 427."""
        assert cl.receptive_field(arch.rf_layers("resnet50"))[-1].rf == 427

    def test_lenet5_and_seed(self):
        """LeNet-5's last pool sees 5 + 1 + 4·2 + 2 = 16 pixels; the seed net's 3 + 1 + 2·2 + 2 = 10."""
        assert arch.rf_layers("lenet5") == [(5, 1, 0, 1), (2, 2, 0, 1), (5, 1, 0, 1), (2, 2, 0, 1)]
        assert cl.receptive_field(arch.rf_layers("lenet5"))[-1].rf == 16
        assert cl.receptive_field(arch.rf_layers("seed_net"))[-1].rf == 10

    def test_main_path_skips_shortcuts_and_bn(self):
        """A bottleneck's main path is its 1×1, 3×3 (with the stride) and 1×1 convs."""
        assert arch.rf_layers([Bottleneck(256, 128, stride=2)]) == [(1, 1, 0, 1), (3, 2, 1, 1), (1, 1, 0, 1)]
        assert arch.rf_layers(Bottleneck(256, 128, stride=2)) == arch.rf_layers([Bottleneck(256, 128, stride=2)])


class TestDepth:
    @pytest.mark.parametrize("milestone", arch.history(), ids=lambda m: m.key)
    def test_quoted_depth_is_weighted_layers_on_the_longest_path(self, milestone):
        """The depths the papers quote are the conv and Linear layers on the longest path."""
        assert arch.depth(milestone.key) == milestone.depth

    def test_resnet18(self):
        """ResNet-18: 1 stem conv + 8 blocks × 2 convs + 1 fc."""
        assert arch.depth("resnet18") == 1 + 8 * 2 + 1


class TestHistory:
    def test_rows(self):
        """The table has the five networks in order, counted and published numbers side by side."""
        rows = arch.history()
        assert [(m.network, m.year, m.depth) for m in rows] == [
            ("LeNet-5", 1998, 5), ("AlexNet", 2012, 8), ("VGG-16", 2014, 16),
            ("GoogLeNet", 2014, 22), ("ResNet-50", 2015, 50),
        ]
        assert [m.params for m in rows] == [61_706, 61_100_840, 138_357_544, 6_624_904, 25_557_032]
        assert [m.published for m in rows] == [60_000, 60_000_000, 138_000_000, 6_800_000, 25_500_000]
        assert all(m.idea and m.source for m in rows)

    def test_published_figures_are_close(self):
        """Each counted total is within 5% of the published figure (LeNet-5: 3%)."""
        for m in arch.history():
            assert abs(m.params - m.published) / m.published < 0.05

    def test_tables(self):
        """str and to_markdown give a header and one line per network."""
        rows = arch.history()
        assert len(str(rows).splitlines()) == 1 + len(rows)
        markdown = rows.to_markdown().splitlines()
        assert len(markdown) == 2 + len(rows)
        assert markdown[3].startswith("| AlexNet | 2012 | 8 | 61.1 M | 60 M |")


class TestTables:
    def test_summary_prints_every_layer_and_the_total(self):
        """The text table names each layer, its shape and parameters, and the total."""
        text = str(arch.summary("alexnet"))
        assert repr(arch.summary("alexnet")) == text
        assert "conv1" in text and "64×55×55" in text and "23,296" in text
        assert text.splitlines()[-1].endswith("61,100,840")

    def test_markdown(self):
        """to_markdown has a header, one row per layer and a total row."""
        s = arch.summary("lenet5")
        lines = s.to_markdown().splitlines()
        assert len(lines) == 2 + len(s) + 1
        assert lines[-1] == "| **Total** | | | **61,706** |"

    @pytest.mark.parametrize(
        "shape, text", [((3, 224, 224), "3×224×224"), ((4096,), "4096"), ((64, 8, 8), "64×8×8")]
    )
    def test_format_shape(self, shape, text):
        """Shapes print as C×H×W."""
        assert arch.format_shape(shape) == text

    @pytest.mark.parametrize(
        "layer, text",
        [
            (Conv(3, 64, 11, stride=4, padding=2), "Conv2d(3, 64, kernel_size=11, stride=4, padding=2)"),
            (Conv(64, 64, 1, bias=False), "Conv2d(64, 64, kernel_size=1, bias=False)"),
            (Pool(3, 2, ceil_mode=True), "MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)"),
            (Pool(2, mode="avg"), "AvgPool2d(kernel_size=2, stride=2)"),
            (AdaptiveAvgPool((6, 6)), "AdaptiveAvgPool2d((6, 6))"),
            (Linear(4096, 10), "Linear(4096, 10)"),
            (BatchNorm(64), "BatchNorm2d(64)"),
        ],
    )
    def test_specs_print_like_pytorch(self, layer, text):
        """Each spec prints as the PyTorch layer it stands for."""
        assert str(layer) == text


class TestNames:
    @pytest.mark.parametrize("alias, name", [("VGG-16", "vgg16"), ("ResNet-50", "resnet50"),
                                             ("LeNet5", "lenet5"), ("seed-net", "seed_net")])
    def test_aliases(self, alias, name):
        """Case, dashes and underscores do not matter."""
        assert arch.get(alias).name == name

    def test_unknown_name_suggests(self):
        """A misspelt name is refused with the closest match."""
        with pytest.raises(ValueError, match="did you mean 'resnet50'"):
            arch.get("resnet5O")

    def test_each_call_is_a_fresh_list(self):
        """Changing a returned network does not change the next one."""
        net = arch.vgg16()
        net.pop()
        assert arch.count_params("vgg16") == PUBLISHED["vgg16"]


class TestErrors:
    def test_channel_mismatch_names_the_layer(self):
        """A conv given the wrong number of channels raises, naming the layer and the shape."""
        with pytest.raises(ValueError, match=r"layer 'conv2'.*expects an input of shape \(16, H, W\), got 6×14×14"):
            arch.summary([Conv(1, 6, 5), Pool(2), Conv(16, 16, 5)], input_shape=(1, 32, 32))

    def test_linear_needs_flatten(self):
        """A Linear layer after an image says to flatten first."""
        with pytest.raises(ValueError, match="add a Flatten first"):
            arch.summary([Conv(1, 2, 3), Linear(18, 2)], input_shape=(1, 5, 5))

    def test_list_needs_input_shape(self):
        """A plain list has no input shape of its own."""
        with pytest.raises(ValueError, match="needs an input_shape"):
            arch.summary([Conv(1, 2, 3)])

    def test_kernel_larger_than_input(self):
        """The shape formulas' own check comes through."""
        with pytest.raises(ValueError, match="larger than the padded input"):
            arch.summary("alexnet", input_shape=(3, 32, 32))

    @pytest.mark.parametrize("make", [lambda: Conv(0, 1, 3), lambda: Conv(1, 1, 3, padding=-1),
                                      lambda: Pool(2, mode="min"), lambda: BatchNorm(0)])
    def test_bad_specs(self, make):
        """Specs check their numbers when made."""
        with pytest.raises(ValueError):
            make()

    def test_other_input_sizes(self):
        """The networks with adaptive pooling take other image sizes: VGG-16 on 256×256 is unchanged."""
        s = arch.summary("vgg16", input_shape=(3, 256, 256))
        assert s.total == PUBLISHED["vgg16"]
        assert dict((row.name, row.output_shape) for row in s)["pool5"] == (512, 8, 8)


class TestDocstrings:
    def test_examples(self):
        """Every >>> example in the module gives the output it shows."""
        result = doctest.testmod(arch, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 20
        assert result.failed == 0


@pytest.fixture(scope="module")
def torch():
    """PyTorch, or a skip when it is not installed."""
    return pytest.importorskip("torch")


class TestAgainstTorch:
    """The specs against the same layers built with torch.nn (skipped without torch)."""

    @staticmethod
    def count(module):
        return sum(p.numel() for p in module.parameters())

    @staticmethod
    def shapes(torch, sequential, input_shape):
        """Each layer's output shape (without the batch), on the model's device (meta: no memory)."""
        x = torch.zeros(1, *input_shape, device=next(sequential.parameters()).device)
        result = []
        for layer in sequential:
            x = layer(x)
            result.append(tuple(x.shape[1:]))
        return result

    def test_lenet5(self, torch):
        """LeNet-5 in torch.nn: the same count and the same shape after every layer."""
        nn = torch.nn
        model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
                              nn.ReLU(), nn.Linear(84, 10))
        assert self.count(model) == arch.count_params("lenet5")
        assert self.shapes(torch, model, (1, 32, 32)) == [row.output_shape for row in arch.summary("lenet5")]

    def test_alexnet_features_on_meta(self, torch):
        """torchvision's AlexNet layers on the meta device give the same shapes and count."""
        nn = torch.nn
        with torch.device("meta"):
            model = nn.Sequential(
                nn.Conv2d(3, 64, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2),
                nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
                nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
                nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
                nn.AdaptiveAvgPool2d((6, 6)), nn.Flatten(),
                nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(),
                nn.Linear(4096, 1000))
        assert self.count(model) == PUBLISHED["alexnet"]
        assert self.shapes(torch, model, (3, 224, 224)) == [row.output_shape for row in arch.summary("alexnet")]

    @pytest.mark.parametrize("in_channels, planes, stride", [(64, 64, 1), (256, 64, 1), (256, 128, 2)])
    def test_bottleneck(self, torch, in_channels, planes, stride):
        """A bottleneck built as torchvision does (stride on the 3×3, 1×1 downsample + BN) matches."""
        nn = torch.nn
        out_channels = 4 * planes
        residual = nn.Sequential(
            nn.Conv2d(in_channels, planes, 1, bias=False), nn.BatchNorm2d(planes), nn.ReLU(),
            nn.Conv2d(planes, planes, 3, stride, 1, bias=False), nn.BatchNorm2d(planes), nn.ReLU(),
            nn.Conv2d(planes, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels))
        shortcut = (nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                                  nn.BatchNorm2d(out_channels))
                    if stride != 1 or in_channels != out_channels else nn.Identity())
        x = torch.zeros(1, in_channels, 14, 14)
        y = torch.relu(residual(x) + shortcut(x))
        block = Bottleneck(in_channels, planes, stride)
        assert self.count(residual) + self.count(shortcut) == block.params()
        assert tuple(y.shape[1:]) == block.output_shape((in_channels, 14, 14))

    def test_basic_block_with_downsample(self, torch):
        """ResNet-18's first block of stage 2 (64 → 128, stride 2) matches."""
        nn = torch.nn
        residual = nn.Sequential(nn.Conv2d(64, 128, 3, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
                                 nn.Conv2d(128, 128, 3, 1, 1, bias=False), nn.BatchNorm2d(128))
        shortcut = nn.Sequential(nn.Conv2d(64, 128, 1, 2, bias=False), nn.BatchNorm2d(128))
        x = torch.zeros(1, 64, 56, 56)
        block = BasicBlock(64, 128, stride=2)
        assert self.count(residual) + self.count(shortcut) == block.params()
        assert tuple((residual(x) + shortcut(x)).shape[1:]) == block.output_shape((64, 56, 56))

    @pytest.mark.parametrize("args, size", [((192, 64, 96, 128, 16, 32, 32), 28),
                                            ((832, 384, 192, 384, 48, 128, 128), 7)])
    def test_inception(self, torch, args, size):
        """An inception module built as torchvision does (BasicConv2d = conv + BN + ReLU) matches."""
        nn = torch.nn
        c, ch1, red3, ch3, red5, ch5, proj = args

        def basic(i, o, k, p=0):
            return nn.Sequential(nn.Conv2d(i, o, k, padding=p, bias=False), nn.BatchNorm2d(o, eps=0.001), nn.ReLU())

        branches = [basic(c, ch1, 1), nn.Sequential(basic(c, red3, 1), basic(red3, ch3, 3, 1)),
                    nn.Sequential(basic(c, red5, 1), basic(red5, ch5, 3, 1)),
                    nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), basic(c, proj, 1))]
        x = torch.zeros(1, c, size, size)
        y = torch.cat([branch(x) for branch in branches], 1)
        block = Inception(*args)
        assert sum(self.count(b) for b in branches) == block.params()
        assert tuple(y.shape[1:]) == block.output_shape((c, size, size))


class TestImport:
    def test_exported(self):
        """The names the lesson uses are in the module."""
        for name in ("lenet5", "alexnet", "vgg16", "googlenet", "resnet18", "resnet50", "seed_net",
                     "summary", "count_params", "rf_layers", "history", "depth"):
            assert callable(getattr(arch, name))
        assert set(arch.__all__) <= set(dir(arch))

    def test_networks_are_lists_of_specs(self):
        """Each network function returns a list of specs that knows its input shape."""
        for name in arch.names():
            net = arch.get(name)
            assert isinstance(net, list) and len(net) == len(net.names)
            assert net.input_shape == ((1, 32, 32) if name == "lenet5" else
                                       (3, 32, 32) if name == "seed_net" else (3, 224, 224))
            assert all(hasattr(layer, "output_shape") and hasattr(layer, "params") for layer in net)
        assert isinstance(arch.seed_net()[1], ReLU)
