"""Convolution playground: the kernel's window over a small image, one position at a time."""

from __future__ import annotations

import numpy as np

import convlesson as cl

from ..drawing import BLUE, ORANGE, TEAL, tint, number, draw_cells, outline, label, canvas, png, intensity_faces
from ..spec import Spec, kernel_table

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
    step = steps[0]
    out_h = steps[-1].out_index[0] + 1
    out_w = steps[-1].out_index[1] + 1
    padded = np.pad(image, p)
    n = padded.shape[0]
    fig, ax = canvas(7, 3.9, (-0.2, n + out_w + 1.7), (-0.9, n + 0.2))
    draw_cells(ax, padded, 0, 0, intensity_faces(padded, BLUE), size=8)
    outline(ax, step.origin[1], step.origin[0], 3, 3, ORANGE, linewidth=3.5)
    output = np.full((out_h, out_w), np.nan)
    output[step.out_index] = step.total
    faces = [["#f3f4f6"] * out_w for _ in range(out_h)]
    faces[step.out_index[0]][step.out_index[1]] = tint(TEAL, 0.6)
    x0 = n + 1.5
    draw_cells(ax, output, x0, (n - out_h) / 2, faces, size=9)
    label(ax, 0, -0.3, f"input ({data['image']}), kernel {data['kernel']}", color=BLUE)
    label(ax, x0, (n - out_h) / 2 - 0.3, f"output {out_h}×{out_w}", color=TEAL)
    alt = (f"The {image.shape[0]}×{image.shape[1]} {data['image']} image as numbers (blue), the "
           f"{data['kernel']} kernel's window (orange) at its first position, and the "
           f"{out_h}×{out_w} output (teal) with its first value, {number(step.total)}.")
    return png(fig), alt


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
