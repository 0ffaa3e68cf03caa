// Figure 1: a 3-element kernel slides along a signal. Each step shows the window (orange
// outline), the kernel under it, the element-wise products and their sum, which fills the
// output row. Every number is from convlesson: the build's cl.conv_steps for each kernel.
import { h, select } from "../dom.js";
import { Grid, place } from "../grid.js";
import { Player } from "../player.js";
import { num, pyList } from "../format.js";
import { inputShade, mix, paint, palette, signedShade } from "../colors.js";
import { oneOf, restore, wholeIn } from "../state.js";

export function mount(root, data, { state: saved } = {}) {
  const state = restore({ kernel: data.kernel, step: 0 }, saved, {
    kernel: oneOf(Object.keys(data.kernels)),
    step: (step, { kernel }) => wholeIn(0, data.kernels[kernel].steps.length - 1)(step),
  });
  const n = data.signal.length;
  const current = () => data.kernels[state.kernel];

  const signal = new Grid({ label: "Signal", className: "cl-grid--row" });
  const window_ = signal.overlay("cl-grid__window--kernel");
  const kernelRow = new Grid({ label: "Kernel", className: "cl-grid--row" });
  const products = new Grid({ label: "Products", className: "cl-grid--row" });
  const output = new Grid({ label: "Output", className: "cl-grid--row" });
  signal.resize(1, n);
  output.resize(1, n);
  const kernelTrack = h("div", { class: "cl-slide__track" }, kernelRow.root);
  const productTrack = h("div", { class: "cl-slide__track" }, products.root);
  const sum = h("p", { class: "cl-slide__sum", "aria-live": "polite" });
  const about = h("p", { class: "cl-widget__about" });

  const choose = select("Kernel", Object.entries(data.kernels).map(([name, k]) => [name, `${name} (${k.weights.map((w) => num(w)).join(", ")})`]),
    state.kernel, (name) => {
      state.kernel = name;
      player.setLength(current().steps.length);
    });
  const player = new Player({ length: current().steps.length, show: (index) => {
    state.step = index;
    render();
  }, label: "Move the kernel" });

  const row = (text, color, content) => [
    h("span", { class: `cl-slide__label cl-legend--${color}` }, text),
    content,
  ];
  root.append(
    h("div", { class: "cl-widget__controls" }, choose.root, player.root),
    h("div", { class: "cl-widget__scroll" },
      h("div", { class: "cl-slide", style: { "--n": n } },
        row("signal", "input", signal.root),
        row("kernel", "kernel", kernelTrack),
        row("products", "kernel", productTrack),
        row("output", "output", output.root))),
    sum,
    about,
  );

  function render() {
    const kernel = current();
    const step = kernel.steps[state.step];
    const k = kernel.weights.length;
    const origin = step.origin[0];
    const centre = Math.floor(k / 2);
    const top = Math.max(...data.signal.map(Math.abs)) || 1;
    const topOut = Math.max(...kernel.output.map(Math.abs)) || 1;
    const { kernel: orange } = palette();

    data.signal.forEach((value, i) => {
      const cell = signal.cell(0, i);
      cell.textContent = num(value);
      paint(cell, inputShade(value / top));
    });
    place(window_, 0, origin, 1, k);
    kernelRow.resize(1, k);
    products.resize(1, k);
    for (const track of [kernelTrack, productTrack]) track.style.setProperty("--x", origin);
    kernel.weights.forEach((w, u) => {
      kernelRow.cell(0, u).textContent = num(w);
      paint(kernelRow.cell(0, u), mix(orange, 0.45));
      products.cell(0, u).textContent = num(step.products[u]);
      paint(products.cell(0, u), mix(orange, 0.18));
    });
    for (let i = 0; i < n; i++) {
      const cell = output.cell(0, i);
      const index = i - centre;
      const filled = index >= 0 && index <= state.step;
      cell.textContent = filled ? num(kernel.steps[index].total) : "";
      cell.classList.toggle("is-empty", !filled);
      cell.classList.toggle("is-outside", index < 0 || index >= kernel.steps.length);
      cell.classList.toggle("is-current", index === state.step);
      if (filled) paint(cell, signedShade(kernel.steps[index].total, topOut));
      else cell.removeAttribute("style");
    }
    const terms = kernel.weights.map((w, u) => `${paren(num(w))} × ${paren(num(step.patch[u]))}`);
    sum.textContent = `Step ${state.step + 1} of ${kernel.steps.length}: ${terms.join(" + ")} = ${num(step.total)}`;
    about.textContent = `${state.kernel}: ${kernel.text}.`;
  }

  player.go(state.step);
  return {
    repaint: render,
    state: () => ({ kernel: state.kernel, step: state.step }),
    code: () => code(data, state.kernel, state.step),
  };
}

const paren = (text) => (text.startsWith("−") ? `(${text})` : text);

/** The state as convlesson code (sliding_1d/__init__.py: code). */
function code(data, kernel, step) {
  return (
    "import numpy as np\n" +
    "import convlesson as cl\n\n" +
    `signal = np.array(${pyList(data.signal)})\n` +
    `kernel = np.array(${pyList(data.kernels[kernel].weights)})  # ${kernel}\n` +
    "steps = cl.conv_steps(signal, kernel)\n" +
    `step = steps[${step}]  # the position shown\n` +
    'print("window:  ", step.patch)\n' +
    'print("products:", step.products, "sum:", step.total)\n' +
    'print("output:  ", cl.conv1d(signal, kernel))\n'
  );
}
