// The ConvNet page's drawing pad. Draw a digit (mouse, pen or touch) or pick a test digit (the
// keyboard's way); it is reduced to the digits data set's 8×8 grid (digits.js: toDigitGrid, the
// twin of convlesson.data.to_digit_grid) and classified by the network the page was given
// (digits.js: forward, checked against convlesson's Sequential by tests/test_digit_pad.py):
// first the one trained at build, shipped with the page; then the reader's, which the page's
// Python sends with convlesson.nn.export.to_page over a BroadcastChannel. Every unit of every
// feature map can be selected: its receptive field (from convlesson.receptive_field, in the
// exported network) is outlined on the input and its sum is written out.
import { button, h, select, uid } from "../dom.js";
import { convUnit, fieldSpan, forward, poolUnit, softmax, toDigitGrid } from "../digits.js";
import { num } from "../format.js";
import { css, inkOn, mix, palette, signedShade } from "../colors.js";
import { restore } from "../state.js";

const PAD = 224; // the pad's bitmap, in pixels; the stroke is PAD / 14 wide
const NAMES = { conv: "convolution", relu: "ReLU", maxpool: "max pool", avgpool: "average pool", identity: "dropout" };

export function mount(root, data, { state: saved } = {}) {
  // A shared state is the 8×8 grid, one base-17 digit a count (as the examples travel).
  const shared = restore({ grid: null }, saved, { grid: (g) => typeof g === "string" && /^[0-9a-g]{64}$/.test(g) }).grid;
  let network = { ...data.network, numbers: new Float64Array(data.network.numbers), mine: false };
  let grid = new Array(64).fill(0);
  let result = null; // {outputs, probabilities, prediction}
  const unit = { layer: 0, channel: 0, row: 3, col: 3, from: 0 };

  // ---- the pad ---------------------------------------------------------------------------
  const pad = h("canvas", {
    class: "cl-pad__canvas", width: String(PAD), height: String(PAD), role: "img",
    "aria-label": "Drawing pad: draw a digit with the mouse, a pen or a finger",
  });
  const ctx = pad.getContext("2d", { willReadFrequently: true });
  let last = null;
  pad.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    last = at(event);
    stroke(last, last);
  });
  pad.addEventListener("pointermove", (event) => {
    if (!last) return;
    for (const e of event.getCoalescedEvents?.() ?? [event]) {
      const next = at(e);
      stroke(last, next);
      last = next;
    }
  });
  const end = () => {
    if (!last) return;
    last = null;
    classifyDrawing();
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);

  function at(event) {
    const box = pad.getBoundingClientRect();
    return [((event.clientX - box.left) / box.width) * PAD, ((event.clientY - box.top) / box.height) * PAD];
  }
  function stroke([x0, y0], [x1, y1]) {
    ctx.strokeStyle = "#000";
    ctx.lineWidth = PAD / 14;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }
  /** The pad's ink, 1 where drawn (alpha ≥ half), PAD × PAD. */
  function bitmap() {
    const { data: rgba } = ctx.getImageData(0, 0, PAD, PAD);
    const ink = new Uint8Array(PAD * PAD);
    for (let n = 0; n < ink.length; n++) ink[n] = rgba[4 * n + 3] >= 128 ? 1 : 0;
    return ink;
  }
  pad.clBitmap = bitmap; // for the tests: the bitmap the grid was reduced from

  const clear = button("Clear", () => {
    ctx.clearRect(0, 0, PAD, PAD);
    pick.input.value = "";
    grid = new Array(64).fill(0);
    update("The pad is empty.");
  });
  const classify = button("Classify", () => classifyDrawing(), { class: "cl-w-button cl-w-button--primary" });
  const pick = select("Or pick a test digit", [["", "(your drawing)"],
    ...data.examples.map((e, n) => [String(n), `a ${e.label} (test image ${e.index})`])], "", (value) => {
    if (value === "") return;
    const example = data.examples[Number(value)];
    grid = [...example.grid].map((level) => parseInt(level, 17)); // one base-17 digit a count
    drawGridOnPad();
    update(`Test digit ${example.index}, labelled ${example.label}.`);
  });

  function classifyDrawing() {
    pick.input.value = "";
    grid = toDigitGrid(bitmap(), PAD, PAD);
    update(grid.some((v) => v) ? "Your drawing, reduced to 8×8." : "The pad is empty.");
  }
  /** A picked digit, drawn on the pad as its 8×8 blocks (so Clear and drawing go on from it). */
  function drawGridOnPad() {
    ctx.clearRect(0, 0, PAD, PAD);
    const cell = PAD / 8;
    grid.forEach((v, n) => {
      ctx.fillStyle = `rgba(0, 0, 0, ${v / 16})`;
      ctx.fillRect((n % 8) * cell, Math.floor(n / 8) * cell, cell, cell);
    });
  }

  // ---- the 8×8 grid, the answer, the probabilities ----------------------------------------
  const gridCanvas = h("canvas", { class: "cl-pad__grid", width: "160", height: "160", role: "img" });
  const prediction = h("p", { class: "cl-pad__prediction", "aria-live": "polite" });
  const whose = h("p", { class: "cl-pad__whose", "aria-live": "polite" });
  const bars = Array.from({ length: 10 }, (_, d) => {
    const fill = h("span", { class: "cl-pad__fill" });
    const value = h("span", { class: "cl-pad__value" });
    return { row: h("li", { class: "cl-pad__bar" }, h("span", { class: "cl-pad__digit" }, String(d)),
      h("span", { class: "cl-pad__track" }, fill), value), fill, value };
  });
  const chartTitle = uid("probabilities");
  const scores = h("p", { class: "cl-pad__scores" });

  // ---- layers, filters, a unit's working -------------------------------------------------
  const layersBox = h("div", { class: "cl-pad__layers" });
  const filters = h("canvas", { class: "cl-pad__filters", role: "img" });
  const layerChoice = h("select", { class: "cl-w-select", "aria-label": "Layer", onchange: () => choose({ layer: Number(layerChoice.value) }) });
  const numberField = (label, key) => {
    const input = h("input", { type: "number", class: "cl-w-number", min: "0", step: "1", inputmode: "numeric",
      oninput: () => input.value !== "" && choose({ [key]: Number(input.value) }) });
    return { input, root: h("label", { class: "cl-w-field" }, h("span", { class: "cl-w-field__label" }, label), input) };
  };
  const channelField = numberField("Map", "channel");
  const rowField = numberField("Row", "row");
  const colField = numberField("Column", "col");
  const fromChoice = h("select", { class: "cl-w-select", onchange: () => choose({ from: Number(fromChoice.value) }) });
  const fromField = h("label", { class: "cl-w-field" }, h("span", { class: "cl-w-field__label" }, "Input channel shown"), fromChoice);
  const working = h("div", { class: "cl-pad__working", "aria-live": "polite" });
  const fieldNote = h("p", { class: "cl-pad__field" });

  root.append(
    h("div", { class: "cl-pad" },
      h("div", { class: "cl-pad__panel" },
        h("span", { class: "cl-pad__title cl-legend--input" }, "draw here"),
        pad,
        h("div", { class: "cl-pad__buttons" }, clear, classify)),
      h("div", { class: "cl-pad__panel" },
        h("span", { class: "cl-pad__title cl-legend--input" }, "as the data set's 8×8"),
        gridCanvas),
      h("div", { class: "cl-pad__panel cl-pad__panel--answer" },
        prediction,
        h("span", { class: "cl-pad__title", id: chartTitle }, "probabilities (softmax of the scores)"),
        h("ol", { class: "cl-pad__bars", "aria-labelledby": chartTitle, start: "0" }, bars.map((b) => b.row)),
        scores, whose)),
    h("div", { class: "cl-widget__controls" }, pick.root),
    h("details", { class: "cl-pad__explore", open: true },
      h("summary", {}, "Inside the network: feature maps, filters and one unit's sum"),
      h("p", { class: "cl-widget__about" },
        "Each row is one layer's output for the digit above, one small map per channel (teal above zero, violet below). Select a unit in a map, or choose it with the fields below."),
      layersBox,
      h("div", { class: "cl-widget__controls" },
        h("label", { class: "cl-w-field" }, h("span", { class: "cl-w-field__label" }, "Layer"), layerChoice),
        channelField.root, rowField.root, colField.root, fromField),
      fieldNote,
      working,
      h("span", { class: "cl-pad__title cl-legend--kernel" }, "the first layer's filters"),
      filters),
  );

  // ---- the reader's network, from the page's Python ----------------------------------------
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(data.channel);
    channel.onmessage = ({ data: message }) => {
      if (!root.isConnected) return channel.close();
      const before = network;
      try {
        network = { name: message.name, layers: message.layers, numbers: Float64Array.from(message.numbers), mine: true };
        rebuildLayers();
        update(`Now classifying with ${network.name}.`);
      } catch (error) {
        network = before;
        rebuildLayers();
        update(`The network sent from Python could not be used here: ${error.message}`);
      }
    };
  }

  function mapLayers() {
    const maps = [];
    for (const [n, layer] of network.layers.entries()) {
      if (layer.type === "flatten" || layer.type === "linear") break;
      maps.push(n);
    }
    return maps;
  }

  let tiles = []; // per shown layer: {canvas, n, shape}
  function rebuildLayers() {
    tiles = mapLayers().map((n) => {
      const canvas = h("canvas", { class: "cl-pad__maps", role: "img" });
      canvas.addEventListener("pointerdown", (event) => pointAt(event, n, canvas));
      const title = h("span", { class: "cl-pad__title" });
      layersBox.append();
      return { n, canvas, title };
    });
    layersBox.replaceChildren(...tiles.map((t) => h("div", { class: "cl-pad__layer" }, t.title, t.canvas)));
    layerChoice.replaceChildren(...tiles.map((t) => h("option", { value: String(t.n) },
      `${t.n + 1}: ${NAMES[network.layers[t.n].type]}`)));
  }

  function update(message) {
    const outputs = forward(network.layers, network.numbers, grid.map((v) => v / 16), [1, 8, 8]);
    const logits = outputs[outputs.length - 1].values;
    const probabilities = softmax(logits);
    const best = probabilities.indexOf(Math.max(...probabilities));
    result = { outputs, logits, probabilities, prediction: best };
    const empty = !grid.some((v) => v);
    prediction.textContent = empty ? "Prediction: (draw a digit or pick one)" : `Prediction: ${best}`;
    prediction.dataset.prediction = empty ? "" : String(best);
    whose.textContent = `${message} Classified by ${network.name}.`;
    bars.forEach((b, d) => {
      b.fill.style.width = `${(100 * probabilities[d]).toFixed(1)}%`;
      b.value.textContent = `${(100 * probabilities[d]).toFixed(1)} %`;
      b.row.classList.toggle("is-best", d === best);
      b.row.setAttribute("aria-label", `${d}: ${(100 * probabilities[d]).toFixed(1)} percent`);
    });
    scores.textContent = `scores: ${Array.from(logits, (s, d) => `${d}: ${num(s)}`).join(", ")}`;
    gridCanvas.setAttribute("aria-label", "The 8×8 grid, counts 0 to 16 by row: " +
      Array.from({ length: 8 }, (_, r) => grid.slice(8 * r, 8 * r + 8).join(" ")).join("; "));
    gridCanvas.dataset.grid = grid.join(",");
    choose({});
  }

  // ---- choosing a unit -----------------------------------------------------------------
  function shapeOf(n) {
    return result.outputs[n].shape;
  }
  function inputOf(n) {
    return n === 0 ? { shape: [1, 8, 8], values: Float64Array.from(grid, (v) => v / 16) } : result.outputs[n - 1];
  }
  function choose(change) {
    Object.assign(unit, change);
    const shown = mapLayers();
    if (!shown.includes(unit.layer)) unit.layer = shown[0];
    const [C, H, W] = shapeOf(unit.layer);
    unit.channel = clamp(unit.channel, C);
    unit.row = clamp(unit.row, H);
    unit.col = clamp(unit.col, W);
    const layer = network.layers[unit.layer];
    const inC = inputOf(unit.layer).shape[0];
    unit.from = clamp(unit.from, inC);
    layerChoice.value = String(unit.layer);
    for (const [field, value, size] of [[channelField, unit.channel, C], [rowField, unit.row, H], [colField, unit.col, W]]) {
      field.input.max = String(size - 1);
      if (document.activeElement !== field.input || field.input.value !== "") field.input.value = String(value);
    }
    fromField.hidden = !(layer.type === "conv" && inC > 1);
    if (fromChoice.options.length !== inC) {
      fromChoice.replaceChildren(...Array.from({ length: inC }, (_, c) => h("option", { value: String(c) }, String(c))));
    }
    fromChoice.value = String(unit.from);
    showWorking();
    paint();
  }

  function pointAt(event, n, canvas) {
    const box = canvas.getBoundingClientRect();
    const layout = tileLayout(shapeOf(n));
    const x = ((event.clientX - box.left) / box.width) * canvas.width;
    const y = ((event.clientY - box.top) / box.height) * canvas.height;
    const tx = Math.floor(x / layout.step), ty = Math.floor(y / layout.stepY);
    const channel = ty * layout.columns + tx;
    const col = Math.floor((x - tx * layout.step) / layout.cell);
    const row = Math.floor((y - ty * layout.stepY) / layout.cell);
    const [C, H, W] = shapeOf(n);
    if (channel >= C || col >= W || row >= H) return;
    choose({ layer: n, channel, row, col });
  }

  function showWorking() {
    const layer = network.layers[unit.layer];
    const { channel: f, row: i, col: j } = unit;
    const x = inputOf(unit.layer);
    const [, H, W] = shapeOf(unit.layer);
    const value = result.outputs[unit.layer].values[(f * H + i) * W + j];
    const where = `Unit [${f}, ${i}, ${j}] of layer ${unit.layer + 1} (${NAMES[layer.type]})`;
    const [r0, r1] = fieldSpan(layer.rf, i), [c0, c1] = fieldSpan(layer.rf, j);
    fieldNote.textContent = `Its receptive field: input rows ${r0} to ${r1}, columns ${c0} to ${c1} ` +
      `(${layer.rf[0]}×${layer.rf[0]}, outlined in orange on the 8×8 grid; parts outside the image are padding).`;
    fieldNote.dataset.field = [r0, r1, c0, c1].join(",");
    const parts = [h("p", {}, `${where} = ${num(value, 4)}.`)];
    if (layer.type === "conv") {
      const terms = convUnit(layer, network.numbers, x, f, i, j);
      const shown = terms.channels[unit.from];
      const K = layer.kernel;
      parts.push(h("div", { class: "cl-pad__sums" },
        small(`weights (map ${f}${x.shape[0] > 1 ? `, input channel ${unit.from}` : ""})`, shown.weights, K, "kernel"),
        h("span", { "aria-hidden": "true" }, "×"),
        small(`input patch${x.shape[0] > 1 ? ` (channel ${unit.from})` : ""}`, shown.patch, K, "input"),
        h("span", { "aria-hidden": "true" }, "="),
        small("products", shown.products, K, "output")));
      const total = terms.channels.length > 1
        ? `The products add up to ${num(shown.sum, 4)} on this channel. The ${terms.channels.length} channels' sums ` +
          `(${terms.channels.map((c) => num(c.sum, 3)).join(" + ")}) plus the bias ${num(terms.bias, 4)} = ${num(terms.value, 4)}.`
        : `Sum of the products ${num(shown.sum, 4)} plus the bias ${num(terms.bias, 4)} = ${num(terms.value, 4)}.`;
      const check = h("p", { class: "cl-pad__total" }, total);
      check.dataset.total = String(terms.value);
      check.dataset.value = String(value);
      parts.push(check);
    } else if (layer.type === "maxpool" || layer.type === "avgpool") {
      const { window } = poolUnit(layer, x, f, i, j);
      parts.push(h("p", { class: "cl-pad__total" },
        `${layer.type === "maxpool" ? "the largest of" : "the mean of"} ${window.map((v) => num(v, 3)).join(", ")} = ${num(value, 4)}.`));
    } else if (layer.type === "relu") {
      const before = x.values[(f * H + i) * W + j];
      parts.push(h("p", { class: "cl-pad__total" }, `max(0, ${num(before, 4)}) = ${num(value, 4)}.`));
    }
    working.replaceChildren(...parts);
  }

  // ---- painting --------------------------------------------------------------------------
  function paint() {
    const p = palette();
    paintGrid(p);
    for (const t of tiles) {
      const layer = network.layers[t.n];
      const [C, H, W] = shapeOf(t.n);
      t.title.textContent = `${t.n + 1}: ${NAMES[layer.type]}, ${C} maps of ${H}×${W}`;
      t.canvas.setAttribute("aria-label", `Layer ${t.n + 1}, ${NAMES[layer.type]}: ${C} feature maps of ${H} by ${W}`);
      drawTiles(t.canvas, result.outputs[t.n], t.n === unit.layer ? unit : null, p);
    }
    const first = network.layers[0];
    if (first?.type === "conv") {
      const K = first.kernel;
      const weights = network.numbers.subarray(first.weight, first.weight + first.out * first.in * K * K);
      drawTiles(filters, { shape: [first.out * first.in, K, K], values: weights }, null, p);
      filters.setAttribute("aria-label", `The first layer's ${first.out} filters of ${K}×${K} weights, teal positive, violet negative`);
    }
  }

  function paintGrid(p) {
    const c = gridCanvas.getContext("2d");
    const cell = gridCanvas.width / 8;
    c.clearRect(0, 0, gridCanvas.width, gridCanvas.height);
    c.font = `${Math.round(cell * 0.42)}px system-ui, sans-serif`;
    c.textAlign = "center";
    c.textBaseline = "middle";
    grid.forEach((v, n) => {
      const fill = mix(p.input, v / 16);
      c.fillStyle = css(fill);
      c.fillRect((n % 8) * cell, Math.floor(n / 8) * cell, cell, cell);
      c.fillStyle = css(inkOn(fill));
      c.fillText(String(v), (n % 8 + 0.5) * cell, (Math.floor(n / 8) + 0.5) * cell);
    });
    const layer = network.layers[unit.layer];
    const [r0, r1] = fieldSpan(layer.rf, unit.row), [c0, c1] = fieldSpan(layer.rf, unit.col);
    c.strokeStyle = css(p.kernel);
    c.lineWidth = 3;
    const lo = (v) => Math.max(0, v) * cell + 1.5, hi = (v) => Math.min(8, v + 1) * cell - 1.5;
    c.strokeRect(lo(c0), lo(r0), hi(c1) - lo(c0), hi(r1) - lo(r0));
  }

  rebuildLayers();
  if (shared) {
    grid = [...shared].map((level) => parseInt(level, 17));
    drawGridOnPad();
    update("The 8×8 grid from a share link.");
  } else update("Draw a digit, or pick one.");
  // The palette switch: the canvases, and the unit's working, whose cells are tinted by value.
  return {
    repaint: () => { paint(); showWorking(); },
    state: () => ({ grid: grid.map((v) => v.toString(17)).join("") }),
    code: () => "",
  };
}

const clamp = (v, size) => Math.min(size - 1, Math.max(0, Math.floor(Number(v) || 0)));

/** Where the tiles of a (C, H, W) stack go on a canvas: up to 8 per row. */
function tileLayout([C, H]) {
  const cell = Math.max(4, Math.floor(40 / H));
  const columns = Math.min(C, 8);
  const gap = 6;
  return { cell, columns, rows: Math.ceil(C / columns), step: cell * H + gap, stepY: cell * H + gap, gap };
}

function drawTiles(canvas, { shape: [C, H, W], values }, selected, p) {
  const layout = tileLayout([C, H]);
  const width = layout.columns * layout.step - layout.gap, height = layout.rows * layout.stepY - layout.gap;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  canvas.style.width = `${width / 2}px`;
  const c = canvas.getContext("2d");
  c.clearRect(0, 0, width, height);
  let top = 0;
  for (const v of values) top = Math.max(top, Math.abs(v));
  for (let ch = 0; ch < C; ch++) {
    const x0 = (ch % layout.columns) * layout.step, y0 = Math.floor(ch / layout.columns) * layout.stepY;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        c.fillStyle = css(signedShade(values[(ch * H + i) * W + j], top));
        c.fillRect(x0 + j * layout.cell, y0 + i * layout.cell, layout.cell, layout.cell);
      }
    }
    c.strokeStyle = css(mix(p.ink, 0.25));
    c.lineWidth = 1;
    c.strokeRect(x0 + 0.5, y0 + 0.5, W * layout.cell - 1, H * layout.cell - 1);
    if (selected && selected.channel === ch) {
      c.strokeStyle = css(p.kernel);
      c.lineWidth = 3;
      c.strokeRect(x0 + selected.col * layout.cell + 1.5, y0 + selected.row * layout.cell + 1.5, layout.cell - 3, layout.cell - 3);
    }
  }
}

function small(title, values, K, color) {
  const top = Math.max(...values.map(Math.abs));
  return h("div", { class: "cl-pad__small" },
    h("span", { class: `cl-pad__title cl-legend--${color}` }, title),
    h("table", { class: "cl-pad__numbers" }, h("tbody", {},
      Array.from({ length: K }, (_, u) => h("tr", {}, Array.from({ length: K }, (_, v) => {
        const value = values[u * K + v];
        const fill = signedShade(value, top);
        return h("td", { style: { background: css(fill), color: css(inkOn(fill)) } }, num(value));
      }))))));
}
