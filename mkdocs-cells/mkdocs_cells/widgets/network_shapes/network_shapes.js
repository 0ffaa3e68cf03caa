// Figure 6: shapes through the network. Each layer's output is drawn as a block, its face the
// feature map (height × width) and its depth the channels; under it, an editable layer list
// with each layer's output shape and parameter count. network.js computes them (checked
// against cl.output_size, cl.conv2d_params and cl.linear_params by tests/test_widget_math.py).
import { button, h } from "../dom.js";
import { count } from "../format.js";
import { TYPES, networkCode, networkRows, newLayer } from "../network.js";
import { css, mix, palette } from "../colors.js";
import { restore, wholeIn } from "../state.js";

// What each layer type lets the reader set, with the allowed range.
const SETTINGS = {
  Conv2d: [["out", "channels", 1, 1024], ["kernel", "kernel", 1, 11], ["stride", "stride", 1, 8], ["padding", "padding", 0, 10]],
  MaxPool2d: [["kernel", "kernel", 1, 11], ["stride", "stride", 1, 8]],
  AvgPool2d: [["kernel", "kernel", 1, 11], ["stride", "stride", 1, 8]],
  Linear: [["out", "features", 1, 10000]],
};
const INPUT = [["channels", 1, 64], ["height", 1, 512], ["width", 1, 512]];
const MAX_LAYERS = 40; // in a shared state

/** Whether `layers` (from a share link) are layers this figure can show. */
function validLayers(layers) {
  return Array.isArray(layers) && layers.length <= MAX_LAYERS && layers.every((layer) => {
    if (!TYPES.includes(layer?.type)) return false;
    const ranges = new Map((SETTINGS[layer.type] ?? []).map(([key, , min, max]) => [key, wholeIn(min, max)]));
    return Object.entries(layer).every(([key, value]) => key === "type" || ranges.get(key)?.(value))
      && [...ranges.keys()].every((key) => key in layer);
  });
}

export function mount(root, data, { width, state: saved }) {
  const state = restore({ input: [...data.input], layers: data.layers.map((l) => ({ ...l })) }, saved, {
    input: (input) => Array.isArray(input) && input.length === 3 && INPUT.every(([, min, max], n) => wholeIn(min, max)(input[n])),
    layers: validLayers,
  });
  const svgBox = h("div", { class: "cl-widget__scroll cl-net__diagram" });
  const list = h("ol", { class: "cl-net__layers" });
  const total = h("p", { class: "cl-net__total", "aria-live": "polite" });
  const inputRow = h("div", { class: "cl-net__input" }, h("span", { class: "cl-net__title cl-legend--input" }, "input"),
    INPUT.map(([label, min, max], n) => numberField(label, state.input[n], min, max, `Input ${label}`, (v) => {
      state.input[n] = v;
      refresh();
    })));
  const add = button("Add layer", () => {
    state.layers.push(newLayer(state.layers.at(-1)?.type === "Flatten" ? "Linear" : "Conv2d"));
    rebuild();
    list.lastElementChild.querySelector("select").focus();
  });
  const reset = button("Reset", () => {
    state.input = [...data.input];
    state.layers = data.layers.map((l) => ({ ...l }));
    inputRow.querySelectorAll("input").forEach((input, n) => (input.value = String(state.input[n])));
    rebuild();
  }, { title: "Back to the lesson's network" });

  root.append(svgBox, inputRow, list, h("div", { class: "cl-widget__controls cl-net__actions" }, add, reset, total));

  /** Rebuild the list (a layer was added, removed, moved or changed type). */
  function rebuild() {
    list.replaceChildren(...state.layers.map((layer, n) => row(layer, n)));
    refresh();
  }

  function row(layer, n) {
    const type = h("select", { class: "cl-w-select", "aria-label": `Layer ${n + 1} type`, onchange: () => {
      state.layers[n] = newLayer(type.value);
      rebuild();
      list.children[n].querySelector("select").focus();
    } }, TYPES.map((t) => h("option", { value: t, selected: t === layer.type }, t)));
    const settings = (SETTINGS[layer.type] ?? []).map(([key, label, min, max]) =>
      numberField(label, layer[key], min, max, `Layer ${n + 1} ${label}`, (v) => {
        layer[key] = v;
        refresh();
      }));
    const move = (to, name) => button(name === "up" ? "↑" : "↓", () => {
      const [moved] = state.layers.splice(n, 1);
      state.layers.splice(to, 0, moved);
      rebuild();
      const item = list.children[to];
      const same = item.querySelector(`[data-move="${name}"]`);
      (same.disabled ? item.querySelector("[data-move]:not(:disabled)") : same)?.focus();
    }, { "aria-label": `Move layer ${n + 1} ${name}`, "data-move": name, disabled: to < 0 || to >= state.layers.length, class: "cl-w-button cl-net__icon" });
    const remove = button("✕", () => {
      state.layers.splice(n, 1);
      rebuild();
      (list.children[n] ?? list.children[n - 1])?.querySelector("[data-remove]")?.focus() ?? add.focus();
    }, { "aria-label": `Remove layer ${n + 1}`, "data-remove": "", class: "cl-w-button cl-net__icon" });
    return h("li", { class: "cl-net__layer" },
      h("span", { class: "cl-net__index" }, String(n + 1)), type,
      h("span", { class: "cl-net__settings" }, settings),
      h("span", { class: "cl-net__result" }, h("span", { class: "cl-net__shape" }), h("span", { class: "cl-net__params" })),
      h("span", { class: "cl-net__buttons" }, move(n - 1, "up"), move(n + 1, "down"), remove),
      h("code", { class: "cl-net__name" }));
  }

  /** Recompute shapes and parameters, and redraw. */
  function refresh() {
    const rows = networkRows(state.input, state.layers);
    rows.forEach((r, n) => {
      const item = list.children[n];
      item.querySelector(".cl-net__name").textContent = r.name;
      item.querySelector(".cl-net__shape").textContent = r.error ?? (r.shape ? r.shape.join("×") : "");
      item.querySelector(".cl-net__params").textContent = r.params ? `${count(r.params)} params` : "";
      item.classList.toggle("is-error", Boolean(r.error));
      item.classList.toggle("is-after-error", !r.error && !r.shape);
    });
    const bad = rows.find((r) => r.error);
    const sum = rows.reduce((a, r) => a + (r.params ?? 0), 0);
    total.textContent = bad ? "Fix the layer marked in red to count the parameters." : `Total: ${count(sum)} parameters`;
    draw(rows);
  }

  function draw(rows) {
    const blocks = [{ kind: "input", shape: state.input, params: 0 }];
    for (const [n, r] of rows.entries()) {
      if (!r.shape) break;
      blocks.push({ kind: state.layers[n].type, shape: r.shape, params: r.params });
    }
    // Fit the figure's width where it can (smaller blocks, same proportions); narrow screens scroll.
    let face = 110;
    let drawing = layBlocks(blocks, face);
    for (let n = 0; n < 4 && drawing.width > room && face > 48; n++) {
      face = Math.max(48, Math.floor(face * (room / drawing.width) * 0.97));
      drawing = layBlocks(blocks, face);
    }
    const { parts, width, height } = drawing;
    svgBox.replaceChildren(h("svg", {
      class: "cl-net__svg", width: String(width), height: String(height), viewBox: `0 0 ${width} ${height}`,
      role: "img", "aria-label": `The tensors through the network: ${blocks.map((b) => `${b.kind} ${b.shape.join("×")}`).join(", ")}`,
    }, parts));
  }

  // The room for the drawing: the figure's width less the box's padding, until the box's own
  // size is known (a ResizeObserver reports it without making the page lay out again).
  let room = width - 8;
  rebuild();
  new ResizeObserver(([entry]) => {
    const now = Math.round(entry.contentRect.width);
    if (now && now !== room && svgBox.isConnected) {
      room = now;
      refresh();
    }
  }).observe(svgBox);
  return {
    repaint: refresh,
    state: () => ({ input: [...state.input], layers: state.layers.map((l) => ({ ...l })) }),
    code: () => networkCode(state.input, state.layers),
  };
}

function numberField(label, value, min, max, name, onValue) {
  const input = h("input", {
    type: "number", class: "cl-w-number", min: String(min), max: String(max), step: "1", value: String(value),
    inputmode: "numeric", "aria-label": name,
    oninput: () => {
      const n = Number(input.value);
      const ok = input.value.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;
      input.setAttribute("aria-invalid", String(!ok));
      input.title = ok ? "" : `a whole number from ${min} to ${max}`;
      if (ok) onValue(n);
    },
  });
  return h("label", { class: "cl-net__field" }, h("span", {}, label), input);
}

/**
 * SVG shapes for the tensors: a box per C×H×W tensor (its front face H×W, drawn in proportion
 * to the largest map, its depth growing with the square root of C), a bar per vector (its
 * height growing with log N), each with its layer, shape and parameter count under it.
 * `face` is the side of the largest map in pixels.
 */
function layBlocks(blocks, face) {
  const p = palette();
  const maps = blocks.filter((b) => b.shape.length === 3);
  const spatial = Math.max(1, ...maps.map((b) => Math.max(b.shape[1], b.shape[2])));
  const channels = Math.max(1, ...maps.map((b) => b.shape[0]));
  const longest = Math.max(1, ...blocks.filter((b) => b.shape.length === 1).map((b) => b.shape[0]));
  const column = face < 80 ? 60 : 68;
  const top = 18 + face * 0.25;
  const parts = [];
  let x = 10;
  for (const block of blocks) {
    const color = block.kind === "input" ? p.input : p.output;
    const [front, lid, side] = [0.55, 0.3, 0.8].map((a) => css(mix(color, a)));
    const stroke = css(color);
    let width;
    if (block.shape.length === 3) {
      const [c, hh, ww] = block.shape;
      width = Math.max(3, (face * ww) / spatial);
      const height = Math.max(3, (face * hh) / spatial);
      const depth = 4 + face * 0.38 * Math.sqrt(c / channels);
      const [ox, oy] = [depth * 0.75, depth * 0.5];
      const y = top + (face - height) / 2;
      parts.push(h("g", {},
        h("polygon", { points: pts([[x, y], [x + ox, y - oy], [x + ox + width, y - oy], [x + width, y]]), fill: lid, stroke }),
        h("polygon", { points: pts([[x + width, y], [x + width + ox, y - oy], [x + width + ox, y - oy + height], [x + width, y + height]]), fill: side, stroke }),
        h("rect", { x, y, width, height, fill: front, stroke })));
      width += ox;
    } else {
      width = 12;
      const height = Math.max(8, face * (Math.log2(block.shape[0] + 1) / Math.log2(longest + 1)));
      parts.push(h("rect", { x, y: top + (face - height) / 2, width, height, rx: 2, fill: front, stroke }));
    }
    const mid = x + width / 2;
    const base = top + face + 24;
    parts.push(h("text", { x: mid, y: base, class: "cl-net__label" }, block.kind));
    parts.push(h("text", { x: mid, y: base + 15, class: "cl-net__dims" }, block.shape.join("×")));
    if (block.params) parts.push(h("text", { x: mid, y: base + 29, class: "cl-net__count" }, `${count(block.params)} params`));
    x += Math.max(width, column) + 12;
  }
  return { parts, width: Math.ceil(x), height: Math.ceil(top + face + 60) };
}

const pts = (points) => points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ");
