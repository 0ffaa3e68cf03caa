// Figure 7: the convolution playground. A small image as numbers (blue), a kernel, stride and
// padding; Step moves the window (orange) one position, Play animates it, and the feature map
// (teal, violet below zero) fills in, with the current multiply-and-sum spelled out. Images
// and kernels are the build's, from cl.images and cl.kernels; the steps come from
// conv.convSteps, checked against cl.conv_steps for every image, kernel, stride and padding
// this figure offers (tests/test_widget_math.py).
import { h, select, slider } from "../dom.js";
import { Grid, place } from "../grid.js";
import { Player } from "../player.js";
import { convSteps, pad } from "../conv.js";
import { num } from "../format.js";
import { inputShade, mix, paint, palette, signedShade } from "../colors.js";
import { oneOf, restore, wholeIn } from "../state.js";

export function mount(root, data, { state: saved } = {}) {
  const state = restore({ image: data.image, kernel: data.kernel, stride: data.stride, padding: data.padding, step: 0 }, saved, {
    image: oneOf(Object.keys(data.images)),
    kernel: oneOf(Object.keys(data.kernels)),
    stride: wholeIn(...data.ranges.stride),
    padding: wholeIn(...data.ranges.padding),
    step: wholeIn(0, 10_000),
  });
  const start = state.step; // a shared step, shown once the steps are computed
  let run = null;
  let padded = null;
  let top = 1;

  const imageSelect = select("Image", Object.keys(data.images).map((n) => [n, n.replace("_", " ")]), state.image, (v) => {
    state.image = v;
    layout();
  });
  const kernelSelect = select("Kernel", Object.keys(data.kernels).map((n) => [n, n]), state.kernel, (v) => {
    state.kernel = v;
    layout();
  });
  const sliders = ["stride", "padding"].map((key) => {
    const [min, max] = data.ranges[key];
    return slider(key === "stride" ? "Stride" : "Padding", { min, max, value: state[key] }, (v) => {
      state[key] = v;
      layout();
    });
  });
  const input = new Grid({ label: "Input", className: "cl-grid--play" });
  const window_ = input.overlay("cl-grid__window--kernel");
  const output = new Grid({ label: "Feature map", className: "cl-grid--play", cell: "button", onCell: (i, j) => {
    player.pause();
    player.go(i * run.width + j);
  } });
  const patch = new Grid({ label: "Window", className: "cl-grid--mini" });
  const weights = new Grid({ label: "Kernel", className: "cl-grid--mini" });
  const products = new Grid({ label: "Products", className: "cl-grid--mini" });
  for (const grid of [patch, weights, products]) grid.resize(3, 3);
  const total = h("output", { class: "cl-play__total" });
  const status = h("p", { class: "cl-play__status", "aria-live": "polite" });
  const outTitle = h("span", { class: "cl-stride__title cl-legend--output" });
  const player = new Player({ length: 1, show: (index) => {
    state.step = index;
    show();
  }, label: "Move the kernel" });

  const titled = (title, color, grid) => h("div", { class: "cl-play__part" }, h("span", { class: `cl-play__name cl-legend--${color}` }, title), grid.root);
  root.append(
    h("div", { class: "cl-widget__controls" }, imageSelect.root, kernelSelect.root, sliders.map((s) => s.root)),
    h("div", { class: "cl-widget__controls" }, player.root),
    h("div", { class: "cl-widget__scroll" },
      h("div", { class: "cl-stride cl-play" },
        h("div", { class: "cl-stride__side" }, h("span", { class: "cl-stride__title cl-legend--input" }, "input"), input.root),
        h("div", { class: "cl-stride__side" }, outTitle, output.root))),
    h("div", { class: "cl-widget__scroll" },
      h("div", { class: "cl-play__sum" },
        titled("window", "input", patch), h("span", { class: "cl-play__op" }, "×"),
        titled("kernel", "kernel", weights), h("span", { class: "cl-play__op" }, "="),
        titled("products", "kernel", products), h("span", { class: "cl-play__op" }, "→ sum"),
        h("div", { class: "cl-play__part" }, h("span", { class: "cl-play__name cl-legend--output" }, "output"), total))),
    status,
    h("div", { class: "cl-keys", "aria-hidden": "true" },
      h("span", { class: "cl-key cl-key--input" }, "input (darker = brighter pixel)"), h("span", { class: "cl-key cl-key--pad" }, "padding"),
      h("span", { class: "cl-key cl-key--kernel" }, "kernel window"), h("span", { class: "cl-key cl-key--output" }, "output ≥ 0"),
      h("span", { class: "cl-key cl-key--negative" }, "output < 0")),
  );

  /** New image, kernel, stride or padding: recompute every step, back to the first. */
  function layout() {
    const image = data.images[state.image].pixels;
    const kernel = data.kernels[state.kernel].weights;
    run = convSteps(image, kernel, state.stride, state.padding);
    padded = pad(image, state.padding);
    top = Math.max(...run.steps.map((s) => Math.abs(s.total))) || 1;
    input.resize(padded.length, padded[0].length);
    output.resize(run.height, run.width);
    outTitle.textContent = `feature map ${run.height}×${run.width}`;
    weights.cells.forEach((cell, n) => (cell.textContent = num(kernel[Math.floor(n / 3)][n % 3])));
    player.setLength(run.steps.length);
  }

  /** Draw the current step. */
  function show() {
    const p = palette();
    const step = run.steps[state.step];
    const [oi, oj] = step.origin;
    const n = data.images[state.image].pixels.length;
    padded.forEach((row, i) => row.forEach((value, j) => {
      const cell = input.cell(i, j);
      const isPad = i < state.padding || j < state.padding || i >= state.padding + n || j >= state.padding + n;
      cell.classList.toggle("is-pad", isPad);
      cell.textContent = num(value);
      if (isPad) cell.removeAttribute("style");
      else paint(cell, inputShade(value));
    }));
    place(window_, oi, oj, 3, 3);
    run.steps.forEach((s, k) => {
      const cell = output.cell(s.out_index[0], s.out_index[1]);
      const done = k <= state.step;
      cell.textContent = done ? num(s.total) : "";
      cell.classList.toggle("is-empty", !done);
      cell.classList.toggle("is-current", k === state.step);
      cell.setAttribute("aria-label", `Output (${s.out_index[0]}, ${s.out_index[1]})${done ? ` = ${num(s.total)}` : ""}`);
      if (done) paint(cell, signedShade(s.total, top));
      else cell.removeAttribute("style");
    });
    patch.cells.forEach((cell, k) => {
      const value = step.patch[Math.floor(k / 3)][k % 3];
      cell.textContent = num(value);
      paint(cell, inputShade(value));
    });
    weights.cells.forEach((cell) => paint(cell, mix(p.kernel, 0.45)));
    products.cells.forEach((cell, k) => {
      cell.textContent = num(step.products[Math.floor(k / 3)][k % 3]);
      paint(cell, mix(p.kernel, 0.18));
    });
    total.textContent = num(step.total);
    paint(total, signedShade(step.total, top));
    status.textContent = `Position ${state.step + 1} of ${run.steps.length}: window at row ${oi}, column ${oj} ` +
      `of the ${state.padding ? "padded " : ""}input, output (${step.out_index.join(", ")}) = ${num(step.total)}`;
  }

  layout();
  if (start) player.go(start);
  return {
    repaint: show,
    state: () => ({ image: state.image, kernel: state.kernel, stride: state.stride, padding: state.padding, step: state.step }),
    code: () => code(data, state),
  };
}

/** The state as convlesson code (conv_playground/__init__.py: code). */
function code(data, { image, kernel, stride, padding, step }) {
  return (
    "import numpy as np\n" +
    "import convlesson as cl\n\n" +
    `image = ${data.images[image].code}\n` +
    `kernel = cl.kernels.get("${kernel}")\n` +
    `steps = cl.conv_steps(image, kernel, stride=${stride}, padding=${padding})\n` +
    `step = steps[${step}]  # the position shown\n` +
    'print("window at", step.origin, "-> output", step.out_index)\n' +
    'print("products:\\n", step.products.round(2))\n' +
    'print("sum:", round(step.total, 2))\n' +
    `print(cl.conv2d(image, kernel, stride=${stride}, padding=${padding}).round(2))\n`
  );
}
