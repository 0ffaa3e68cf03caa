// Figure 3: stride and padding. The padded input (blue; padding zeros hatched), the kernel's
// window (orange) and the output (teal), with the output size worked out from the formula.
// Sizes come from shapes.outputSize and the window positions from origin = index · stride,
// both checked against cl.output_size and cl.conv_steps by tests/test_widget_math.py.
import { h, slider } from "../dom.js";
import { Grid, place } from "../grid.js";
import { Player } from "../player.js";
import { coverage } from "../shapes.js";
import { mix, paint, palette } from "../colors.js";
import { restore, wholeIn } from "../state.js";

export function mount(root, data, { state: saved } = {}) {
  const checks = Object.fromEntries(["size", "kernel", "stride", "padding"].map((key) => [key, wholeIn(...data.ranges[key])]));
  const state = restore({ size: data.size, kernel: data.kernel, stride: data.stride, padding: data.padding, position: 0 },
    saved, { ...checks, position: wholeIn(0, 10_000) });
  const start = state.position; // a shared position, shown once the grids exist
  let cover = null;

  const controls = ["size", "kernel", "stride", "padding"].map((key) => {
    const text = { size: "Input size", kernel: "Kernel size", stride: "Stride", padding: "Padding" }[key];
    const [min, max] = data.ranges[key];
    return slider(text, { min, max, value: state[key] }, (value) => {
      state[key] = value;
      layout();
    });
  });
  const input = new Grid({ label: "Padded input", className: "cl-grid--geometry" });
  const window_ = input.overlay("cl-grid__window--kernel");
  const output = new Grid({ label: "Output", className: "cl-grid--geometry", cell: "button", onCell: (i, j) => {
    player.pause();
    player.go(i * cover.out + j);
  } });
  const player = new Player({ length: 1, show: (index) => {
    state.position = index;
    show();
  }, label: "Move the window" });
  const formula = h("p", { class: "cl-stride__formula", "aria-live": "polite" });
  const where = h("p", { class: "cl-widget__about" });
  const unread = h("span", { class: "cl-key cl-key--unread" }, "never read");

  root.append(
    h("div", { class: "cl-widget__controls" }, controls.map((c) => c.root)),
    h("div", { class: "cl-widget__controls" }, player.root),
    h("div", { class: "cl-widget__scroll" },
      h("div", { class: "cl-stride" },
        h("div", { class: "cl-stride__side" }, h("span", { class: "cl-stride__title cl-legend--input" }, "input"), input.root),
        h("span", { class: "cl-stride__arrow", "aria-hidden": "true" }, "→"),
        h("div", { class: "cl-stride__side" }, h("span", { class: "cl-stride__title cl-legend--output" }, "output"), output.root))),
    formula,
    h("div", { class: "cl-keys", "aria-hidden": "true" },
      h("span", { class: "cl-key cl-key--input" }, "input"), h("span", { class: "cl-key cl-key--pad" }, "padding (zeros)"),
      h("span", { class: "cl-key cl-key--kernel" }, "kernel window"), h("span", { class: "cl-key cl-key--output" }, "output"), unread),
    where,
  );

  /** The settings changed: size the grids, mark unread pixels, go back to the first position. */
  function layout() {
    const { size, kernel, stride, padding } = state;
    cover = coverage(size, kernel, { stride, padding });
    const n = size + 2 * padding;
    input.resize(n, n);
    const out = cover ? cover.out : 0;
    output.resize(out, out);
    output.root.hidden = !cover;
    window_.hidden = !cover;
    unread.hidden = !cover || (cover.leftover.length + cover.skipped.length === 0);
    const sub = ["W", "K", "P", "S"];
    const formulaText = `⌊(${size} − ${kernel} + 2·${padding}) / ${stride}⌋ + 1`;
    formula.replaceChildren(
      h("span", { class: "cl-stride__symbolic" }, `output = ⌊(${sub[0]} − ${sub[1]} + 2${sub[2]}) / ${sub[3]}⌋ + 1`),
      " = ", formulaText, " = ",
      cover ? h("strong", {}, `${out}`) : h("strong", {}, "no output"),
      cover ? `, so the output is ${out} × ${out}` : `: the ${kernel}×${kernel} kernel is larger than the ${n}×${n} padded input`,
    );
    player.setLength(out * out);
    if (!out) show();
  }

  /** Draw the current position. */
  function show() {
    const { size, kernel, stride, padding } = state;
    const n = size + 2 * padding;
    const out = cover ? cover.out : 0;
    const i0 = Math.floor(state.position / Math.max(out, 1)) * stride;
    const j0 = (state.position % Math.max(out, 1)) * stride;
    const p = palette();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const cell = input.cell(i, j);
        const pad = i < padding || j < padding || i >= padding + size || j >= padding + size;
        const inside = cover && i >= i0 && i < i0 + kernel && j >= j0 && j < j0 + kernel;
        cell.classList.toggle("is-pad", pad);
        cell.textContent = pad ? "0" : "";
        const never = cover && !pad && (!cover.read[i - padding] || !cover.read[j - padding]);
        cell.classList.toggle("is-unread", Boolean(never));
        if (pad) cell.removeAttribute("style");
        else paint(cell, mix(p.input, inside ? 0.75 : 0.32));
      }
    }
    if (!cover) {
      where.textContent = "Make the input or the padding larger, or the kernel smaller.";
      return;
    }
    place(window_, i0, j0, kernel, kernel);
    for (let i = 0; i < out; i++) {
      for (let j = 0; j < out; j++) {
        const cell = output.cell(i, j);
        const current = i * out + j === state.position;
        cell.classList.toggle("is-current", current);
        cell.setAttribute("aria-label", `Output (${i}, ${j}): window at row ${i * stride}, column ${j * stride}`);
        cell.setAttribute("aria-pressed", String(current));
        paint(cell, mix(p.output, current ? 0.85 : 0.35));
      }
    }
    const oi = Math.floor(state.position / out);
    const oj = state.position % out;
    where.textContent = `Output (${oi}, ${oj}) reads padded rows ${i0}–${i0 + kernel - 1} and columns ${j0}–${j0 + kernel - 1}.` +
      (cover.leftover.length ? ` The floor leaves input row and column ${list(cover.leftover)} unread.` : "") +
      (cover.skipped.length ? ` The stride jumps over row and column ${list(cover.skipped)}.` : "");
  }

  layout();
  if (start) player.go(start);
  return {
    repaint: show,
    state: () => ({ ...state }),
    code: () => code(state),
  };
}

const list = (indices) => (indices.length > 1 ? `${indices.slice(0, -1).join(", ")} and ${indices.at(-1)}` : `${indices[0]}`);

/** The state as convlesson code (stride_padding/__init__.py: code). */
function code({ size, kernel, stride, padding, position }) {
  return (
    "import numpy as np\n" +
    "import convlesson as cl\n\n" +
    `size, kernel_size, stride, padding = ${size}, ${kernel}, ${stride}, ${padding}\n` +
    "out = cl.output_size(size, kernel_size, stride=stride, padding=padding)\n" +
    "steps = cl.conv_steps(np.ones((size, size)), np.ones((kernel_size, kernel_size)),\n" +
    "                      stride=stride, padding=padding)\n" +
    'print(f"output: {out} x {out}, so {len(steps)} positions")\n\n' +
    `step = steps[${position}]  # the position shown\n` +
    'print("window at", step.origin, "(row, column in the padded input)")\n' +
    'print("writes output", step.out_index)\n'
  );
}
