"""Convolution playground: the kernel's window over a small image, one position at a time."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..spec import Drawing, Spec, number, kernel_table

PLAYGROUND_SIZE = 8
PLAYGROUND_IMAGES = {
    "shapes": ("cl.images.shapes(8)", lambda: cl.images.shapes(8)),
    "step_edge": ("cl.images.step_edge(8)", lambda: cl.images.step_edge(8)),
    "checkerboard": ("cl.images.checkerboard(8, squares=4)", lambda: cl.images.checkerboard(8, squares=4)),
    "photo": ("np.round(cl.images.photo(8), 2)", lambda: np.round(cl.images.photo(8), 2)),
}
PLAYGROUND = {"stride": 1, "padding": 0, "ranges": {"stride": [1, 3], "padding": [0, 2]}}


def data(options):
    images = {name: {"code": code, "pixels": make().tolist()} for name, (code, make) in PLAYGROUND_IMAGES.items()}
    return {
        "images": images,
        "image": options.get("image", "shapes"),
        "kernels": kernel_table(),
        "kernel": options.get("kernel", "edge"),
        **PLAYGROUND,
    }


def code(data, image=None, kernel=None, stride=None, padding=None, step=0):
    image, kernel = image or data["image"], kernel or data["kernel"]
    stride = stride or data["stride"]
    padding = data["padding"] if padding is None else padding
    return (
        "import numpy as np\n"
        "import convlesson as cl\n\n"
        f"image = {data['images'][image]['code']}\n"
        f'kernel = cl.kernels.get("{kernel}")\n'
        f"steps = cl.conv_steps(image, kernel, stride={stride}, padding={padding})\n"
        f"step = steps[{step}]  # the position shown\n"
        'print("window at", step.origin, "-> output", step.out_index)\n'
        'print("products:\\n", step.products.round(2))\n'
        'print("sum:", round(step.total, 2))\n'
        f"print(cl.conv2d(image, kernel, stride={stride}, padding={padding}).round(2))\n"
    )


def static(data):
    image = np.array(data["images"][data["image"]]["pixels"])
    kernel = np.array(data["kernels"][data["kernel"]]["weights"])
    s, p = data["stride"], data["padding"]
    steps = cl.conv_steps(image, kernel, stride=s, padding=p)
    out_h, out_w = steps[-1].out_index[0] + 1, steps[-1].out_index[1] + 1
    alt = (f"The {image.shape[0]}×{image.shape[1]} {data['image']} image as numbers (blue), the "
           f"{data['kernel']} kernel (orange) at its first position, and the {out_h}×{out_w} output "
           f"(teal) with its first value, {number(steps[0].total)}.")
    return Drawing("conv_step", "conv_step", alt, {"x": image, "weight": kernel, "stride": s, "padding": p})


SPEC = Spec(
    options={"image": tuple(PLAYGROUND_IMAGES), "kernel": tuple(cl.kernels.names())},
    data=data,
    code=code,
    static=static,
    caption=(
        "The kernel's window (orange) over the input (blue); the feature map (teal) fills in "
        "one position at a time."
    ),
)
