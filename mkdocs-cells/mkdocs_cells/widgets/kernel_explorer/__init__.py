"""Kernel explorer: a kernel over the sample photo."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import convlesson as cl

from ..drawing import BLUE, ORANGE, TEAL, DIVERGING, DPI, tint, number, draw_cells, png
from ..spec import Spec, py_array, float64_bytes, kernel_table

EXPLORER_SIZE = 64
EXPLORER_IMAGES = {
    "photo": ("cl.images.photo(64)", lambda: cl.images.photo(EXPLORER_SIZE)),
    "shapes": ("cl.images.shapes(64)", lambda: cl.images.shapes(EXPLORER_SIZE)),
    "checkerboard": ("cl.images.checkerboard(64)", lambda: cl.images.checkerboard(EXPLORER_SIZE)),
    "step_edge": ("cl.images.step_edge(64)", lambda: cl.images.step_edge(EXPLORER_SIZE)),
}


def data(options):
    name = options.get("image", "photo")
    expression, make = EXPLORER_IMAGES[name]
    image = make()
    return {
        "image": {"name": name, "code": expression, "height": image.shape[0], "width": image.shape[1],
                  "pixels": float64_bytes(image)},
        "kernels": kernel_table(),
        "kernel": options.get("kernel", "edge"),
    }


def code(data, kernel=None, weights=None, flip=False):
    name = kernel or data["kernel"]
    if weights is None:
        line = f'kernel = cl.kernels.get("{name}")'
    else:
        line = "kernel = " + py_array(weights, indent=len("kernel = "))
    function = "cl.convolve2d" if flip else "cl.conv2d"
    title = "custom kernel" if weights is not None else name
    return (
        ("import numpy as np\n" if weights is not None else "")
        + "import convlesson as cl\n"
        "import matplotlib.pyplot as plt\n\n"
        f"image = {data['image']['code']}\n"
        f"{line}\n"
        f"feature_map = {function}(image, kernel, padding=1)\n"
        'print(f"feature map {feature_map.shape}, from {feature_map.min():.2f} to {feature_map.max():.2f}")\n\n'
        'fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")\n'
        'left.imshow(image, cmap="gray")\n'
        'left.set_title("input")\n'
        'right.imshow(feature_map, cmap="gray")\n'
        f'right.set_title("{title}{" (flipped)" if flip else ""}")\n'
        "plt.show()\n"
    )


def feature_map_view(feature_map, weights):
    """How the page shows a feature map: brightness divided by the kernel's sum, or, for kernels
    summing to zero (edges), violet below zero and teal above, by the square root of |value|.
    Returns (array, cmap, vmin, vmax)."""
    total = float(np.sum(weights))
    if abs(total) > 1e-9:
        return feature_map / total, "gray", 0.0, 1.0
    top = float(np.abs(feature_map).max()) or 1.0
    lifted = np.sign(feature_map) * np.sqrt(np.abs(feature_map) / top)  # faint edges show
    return lifted, DIVERGING, -1.0, 1.0


def static(data):
    name = data["kernel"]
    weights = np.array(data["kernels"][name]["weights"])
    image = np.frombuffer(data["image"]["pixels"], "<f8").reshape(data["image"]["height"], data["image"]["width"])
    feature_map = cl.conv2d(image, weights, padding=1)
    fig = Figure(figsize=(7, 2.7), dpi=DPI, layout="constrained")
    left, middle, right = fig.subplots(1, 3, width_ratios=[1, 0.62, 1])
    left.imshow(image, cmap="gray", vmin=0, vmax=1)
    left.set_title("input", color=BLUE, fontsize=11)
    view, cmap, vmin, vmax = feature_map_view(feature_map, weights)
    right.imshow(view, cmap=cmap, vmin=vmin, vmax=vmax)
    right.set_title("feature map", color=TEAL, fontsize=11)
    middle.set_xlim(-0.2, 3.2)
    middle.set_ylim(3.6, -0.8)
    middle.set_aspect("equal")
    draw_cells(middle, weights, 0, 0, tint(ORANGE, 0.3), size=11)
    middle.set_title(f"kernel: {name}", color=ORANGE, fontsize=11)
    for ax, color in ((left, BLUE), (right, TEAL)):
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(color)
            spine.set_linewidth(2)
    middle.axis("off")
    alt = (f"The {data['image']['name']} image, {image.shape[0]}×{image.shape[1]} pixels, the "
           f"{name} kernel {weights.astype(float).round(3).tolist()}, and the feature map "
           f"it gives, with values from {number(feature_map.min())} to {number(feature_map.max())}.")
    return png(fig), alt


SPEC = Spec(
    options={"kernel": tuple(cl.kernels.names()), "image": tuple(EXPLORER_IMAGES)},
    data=data,
    code=code,
    static=static,
    caption=(
        "One 3×3 kernel (orange), applied at every position of the image (blue), gives the "
        "feature map (teal)."
    ),
)
