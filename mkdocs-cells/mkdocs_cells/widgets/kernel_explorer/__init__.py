"""Kernel explorer: a kernel over the sample photo."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..spec import Drawing, Spec, number, py_array, float64_bytes, kernel_table

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


def static(data):
    name = data["kernel"]
    weights = np.array(data["kernels"][name]["weights"])
    image = np.frombuffer(data["image"]["pixels"], "<f8").reshape(data["image"]["height"], data["image"]["width"])
    feature_map = cl.conv2d(image, weights)
    alt = (f"The {data['image']['name']} image, {image.shape[0]}×{image.shape[1]} pixels, and the feature "
           f"map the {name} kernel {weights.astype(float).round(3).tolist()} gives (its numbers inset), "
           f"with values from {number(feature_map.min())} to {number(feature_map.max())}.")
    return Drawing("kernel_pair", "kernel_gallery", alt, {"image": image, "names": ("identity", name), "ncols": 2})


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
