// Figure 5: 2×2 pooling with stride 2 on a 4×4 grid. Each window has its own colour, and so
// does the number it becomes. Max or average; "New numbers" moves to the next example. The
// pooled grids are the build's cl.max_pool2d and cl.avg_pool2d of each example.
import { button, h, radios } from "../dom.js";
import { Grid } from "../grid.js";
import { num, pyArray } from "../format.js";
import { mix, paint } from "../colors.js";
import { oneOf, restore, wholeIn } from "../state.js";

const NAMES = ["blue", "amber", "green", "pink"];

export function mount(root, data, { state: saved } = {}) {
  const state = restore({ mode: data.mode, example: 0, focus: null }, saved, {
    mode: oneOf(["max", "avg"]),
    example: wholeIn(0, data.examples.length - 1),
  });
  const mode = radios("Pooling", [["max", "Max"], ["avg", "Average"]], state.mode, (value) => {
    state.mode = value;
    render();
  });
  const next = button("New numbers", () => {
    state.example = (state.example + 1) % data.examples.length;
    render();
  }, { title: "Show the next example grid" });
  const input = new Grid({ label: "Input, 4 by 4", className: "cl-grid--pool" });
  const output = new Grid({ label: "Pooled output, 2 by 2", className: "cl-grid--pool cl-grid--pooled", cell: "button", onCell: () => {} });
  input.resize(4, 4);
  output.resize(2, 2);
  output.cells.forEach((cell, w) => {
    cell.addEventListener("pointerenter", () => focus(w));
    cell.addEventListener("pointerleave", () => focus(null));
    cell.addEventListener("focus", () => focus(w));
    cell.addEventListener("blur", () => focus(null));
  });
  const sums = h("ul", { class: "cl-pool__sums", "aria-live": "polite" });

  root.append(
    h("div", { class: "cl-widget__controls" }, mode.root, next),
    h("div", { class: "cl-widget__scroll" },
      h("div", { class: "cl-pool" },
        h("div", { class: "cl-stride__side" }, h("span", { class: "cl-stride__title cl-legend--input" }, "input 4×4"), input.root),
        h("span", { class: "cl-stride__arrow", "aria-hidden": "true" }, "→"),
        h("div", { class: "cl-stride__side" }, h("span", { class: "cl-stride__title cl-legend--output" }, "output 2×2"), output.root))),
    sums,
  );

  function focus(w) {
    state.focus = w;
    render();
  }

  function render() {
    const example = data.examples[state.example];
    const pooled = example[state.mode];
    const style = getComputedStyle(root);
    const colors = NAMES.map((_, w) => hex(style.getPropertyValue(`--cl-win-${w + 1}`)));
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const w = 2 * Math.floor(i / 2) + Math.floor(j / 2);
        const cell = input.cell(i, j);
        const [r, c] = example.argmax[Math.floor(i / 2)][Math.floor(j / 2)];
        const winner = state.mode === "max" && r === i && c === j;
        cell.textContent = num(example.input[i][j]);
        cell.classList.toggle("is-winner", winner);
        cell.classList.toggle("is-dim", state.focus !== null && state.focus !== w);
        paint(cell, mix(colors[w], winner ? 0.6 : 0.28));
        cell.style.setProperty("--win", `rgb(${colors[w].join(",")})`);
      }
    }
    const items = [];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const w = 2 * i + j;
        const cell = output.cell(i, j);
        const values = [example.input[2 * i][2 * j], example.input[2 * i][2 * j + 1], example.input[2 * i + 1][2 * j], example.input[2 * i + 1][2 * j + 1]];
        const text = state.mode === "max"
          ? `max(${values.map((v) => num(v)).join(", ")}) = ${num(pooled[i][j])}`
          : `(${values.map((v) => num(v)).join(" + ")}) / 4 = ${num(pooled[i][j])}`;
        cell.textContent = num(pooled[i][j]);
        cell.setAttribute("aria-label", `Output (${i}, ${j}), the ${NAMES[w]} window: ${text}`);
        cell.classList.toggle("is-dim", state.focus !== null && state.focus !== w);
        paint(cell, mix(colors[w], 0.62));
        items.push(h("li", { class: state.focus === w ? "is-focus" : "", style: { "--win": `rgb(${colors[w].join(",")})` } }, text));
      }
    }
    sums.replaceChildren(...items);
  }

  render();
  return {
    repaint: render,
    state: () => ({ mode: state.mode, example: state.example }),
    code: () => code(data, state),
  };
}

function hex(text) {
  const value = text.trim().replace("#", "");
  return [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16));
}

/** The state as convlesson code (pooling/__init__.py: code). */
function code(data, { mode, example }) {
  const x = data.examples[example].input;
  return (
    "import numpy as np\n" +
    "import convlesson as cl\n\n" +
    `x = ${pyArray(x, "x = ".length)}\n` +
    `print(${mode === "max" ? "cl.max_pool2d" : "cl.avg_pool2d"}(x, 2))  # 2×2 windows, stride 2\n`
  );
}
