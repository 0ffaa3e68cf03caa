"""The numbers the lesson's pages show, checked against independent oracles.

The pages compute them with convlesson at build; here each is recomputed by plain arithmetic
from its definition, taken from the published figure, or computed by PyTorch when installed.
"""

import re

import pytest


def page_text(site, url):
    return (site / url / "index.html").read_text()


@pytest.mark.parametrize("url, number", [
    ("why-convolution", f"{256 * 256 * 3:,}"),               # inputs per neuron for 256×256×3
    ("why-convolution", f"{256 * 256 * 3 * 1000 + 1000:,}"),  # 1,000 dense neurons with biases
    ("why-convolution", f"{64 * (3 * 3 * 3 + 1):,}"),         # 64 kernels of 3×3×3 plus biases
    ("stride-padding", "73,856"),                             # the seed's worked example
    ("stride-padding", f"{64 * 32 * 32 * 128 * 32 * 32 + 128 * 32 * 32:,}"),  # dense, same tensors
    ("putting-it-together", "4096"),                          # the seed's flatten size
    ("putting-it-together", f"{(3 * 9 + 1) * 32 + (32 * 9 + 1) * 64 + 4096 * 10 + 10:,}"),
    ("why-convolution", f"{256 * 256 * 3 * 64 * 256 * 256 + 64 * 256 * 256:,}"),  # dense on the conv's tensors
    ("convolution", f"{256 * (256 * 9 + 1):,}"),                                 # 3×3, 256 → 256
    ("convolution", f"{64 * (256 + 1) + 64 * (64 * 9 + 1) + 256 * (64 + 1):,}"),  # ResNet's bottleneck
    ("putting-it-together", f"{64 * 16 * 16 * 32 * 9:,}"),                    # conv2's multiply–adds
    ("putting-it-together", f"{64 * 32 * 32 * 64 * 9:,}"),                    # 64 → 64 on 32×32, = 128 → 128 on 16×16
    ("history", "138,357,544"),                               # torchvision: VGG-16 num_params
    ("beyond", "196"),                                        # 224/16 = 14 patches a side
])
def test_page_shows_the_number(site, url, number):
    """The page shows the number its definition gives."""
    assert number in page_text(site, url)


def test_seed_network_summary_matches_torch(site):
    """The shapes table of the seed network equals PyTorch's shapes and counts."""
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(4096, 10),
    )
    text = page_text(site, "putting-it-together")
    x = torch.zeros(1, 3, 32, 32)
    for layer in model:
        x = layer(x)
        shape = "×".join(map(str, x.shape[1:])) if x.dim() > 2 else str(x.shape[1])
        assert re.search(rf"<td[^>]*>{shape}</td>", text), f"no table cell shows {shape}"
    assert f"{sum(p.numel() for p in model.parameters()):,}" in text
