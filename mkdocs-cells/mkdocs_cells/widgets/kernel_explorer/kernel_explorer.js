// Figure 2: a 3×3 kernel over a photo. Pick one of convlesson's kernels or type nine numbers;
// the feature map is computed here (conv.js, checked against cl.conv2d and cl.convolve2d by
// tests/test_widget_math.py) from the photo the build took from cl.images. "Flip" turns the
// cross-correlation into a true convolution.
import { checkbox, h, select, uid } from "../dom.js";
import { conv2d } from "../conv.js";
import { num, pyArray } from "../format.js";
import { css, mix, palette } from "../colors.js";
import { float64Base64, grayOf, resize, topSquare } from "../photo.js";
import { oneOf, restore } from "../state.js";

export function mount(root, data, { state: saved } = {}) {
  const { height, width } = data.image;
  let pixels = new Float64Array(data.image.pixels); // the file is little-endian, as browsers are
  let own = null; // the reader's image: {name, code}
  const presets = data.kernels;
  const state = restore({ name: data.kernel, weights: copy(presets[data.kernel].weights), flip: false }, saved, {
    name: oneOf([...Object.keys(presets), "custom"]),
    weights: (w) => Array.isArray(w) && w.length === 3 &&
      w.every((row) => Array.isArray(row) && row.length === 3 && row.every(Number.isFinite)),
    flip: oneOf([true, false]),
  });
  let result = null;

  const choose = select("Kernel", [...Object.keys(presets).map((n) => [n, n]), ["custom", "custom (type below)"]],
    state.name, (name) => {
      state.name = name;
      if (name !== "custom") state.weights = copy(presets[name].weights);
      showWeights();
      update();
    });
  const flip = checkbox("Flip the kernel (true convolution)", state.flip, (on) => {
    state.flip = on;
    update();
  });

  const inputCanvas = canvas(width, height, `The ${data.image.name} image, ${height} by ${width} pixels`);
  const outputCanvas = canvas(width, height, "The feature map");
  const window_ = h("div", { class: "cl-explorer__window", hidden: true, "aria-hidden": "true" });
  const boxes = state.weights.map((row, u) => row.map((_, v) => h("input", {
    type: "number", step: "any", class: "cl-explorer__weight",
    "aria-label": `Kernel row ${u + 1}, column ${v + 1}`,
    oninput: (event) => edit(u, v, event.target),
  })));
  const flipped = h("div", { class: "cl-explorer__flipped", hidden: true });
  const bar = h("div", { class: "cl-explorer__bar" });
  const ends = [h("span"), h("span"), h("span")];
  const scale = h("div", { class: "cl-explorer__scale", "aria-hidden": "true" }, bar, h("div", { class: "cl-explorer__ends" }, ends));
  const range = h("p", { class: "cl-explorer__range", "aria-live": "polite" });
  const readout = h("p", { class: "cl-explorer__readout" }, "Point at the feature map to read one value.");
  const about = h("p", { class: "cl-widget__about" });
  // The reader's own picture (or the camera's, where the browser offers it): read here, in the
  // page; nothing is sent anywhere.
  const upload = h("input", { type: "file", accept: "image/*", capture: "environment", class: "cl-explorer__file",
    onchange: () => upload.files[0] && useFile(upload.files[0]) });
  const uploadNote = h("span", { class: "cl-widget__note", "aria-live": "polite" });
  const uploadField = h("label", { class: "cl-w-field" }, h("span", { class: "cl-w-field__label" }, "Use your own image"), upload);
  const kernelLabel = uid("kernel");

  root.append(
    h("div", { class: "cl-widget__controls" }, choose.root, flip.root, uploadField, uploadNote),
    h("div", { class: "cl-explorer-box" }, h("div", { class: "cl-explorer" },
      panel("input", "input", h("div", { class: "cl-explorer__frame" }, inputCanvas, window_)),
      h("span", { class: "cl-explorer__op", "aria-hidden": "true" }, "∗"),
      h("div", { class: "cl-explorer__panel cl-explorer__panel--kernel" },
        h("span", { class: "cl-explorer__title cl-legend--kernel", id: kernelLabel }, "kernel"),
        h("div", { class: "cl-explorer__weights", role: "group", "aria-labelledby": kernelLabel }, boxes),
        flipped),
      h("span", { class: "cl-explorer__op", "aria-hidden": "true" }, "="),
      panel("feature map", "output", outputCanvas, scale, range))),
    readout,
    about,
  );

  outputCanvas.addEventListener("pointermove", (event) => point(event));
  outputCanvas.addEventListener("pointerleave", () => (window_.hidden = true));

  async function useFile(file) {
    try {
      const picture = await createImageBitmap(file);
      // Very large photos are first drawn at most 2048 pixels high by the browser, then
      // averaged down here exactly as cl.images.resize does.
      const shrink = Math.min(1, 2048 / Math.max(picture.width, picture.height));
      const w = Math.max(1, Math.round(picture.width * shrink)), ht = Math.max(1, Math.round(picture.height * shrink));
      const board = new OffscreenCanvas(w, ht);
      const context = board.getContext("2d", { willReadFrequently: true });
      context.drawImage(picture, 0, 0, w, ht);
      const square = topSquare(ht, w);
      pixels = resize(grayOf(context.getImageData(0, 0, w, ht).data, w, square), square[2], width);
      own = { name: file.name };
      inputCanvas.setAttribute("aria-label", `Your image ${file.name}, in gray, ${height} by ${width} pixels`);
      uploadNote.textContent = `Using your image (${picture.width}×${picture.height}, its top square in gray at ${height}×${width}); it stays in this browser.`;
      root.clPixels = pixels;
      update();
    } catch (error) {
      uploadNote.textContent = `That file could not be read as an image (${error.message}).`;
    }
  }

  function edit(u, v, input) {
    const value = Number(input.value);
    const ok = input.value.trim() !== "" && Number.isFinite(value);
    input.setAttribute("aria-invalid", String(!ok));
    if (!ok) return;
    state.weights[u][v] = value;
    if (state.name !== "custom" && !same(state.weights, presets[state.name].weights)) {
      state.name = "custom";
      choose.input.value = "custom";
    }
    update();
  }

  function showWeights() {
    state.weights.forEach((row, u) => row.forEach((w, v) => {
      boxes[u][v].value = String(Number(w.toFixed(4)));
      boxes[u][v].removeAttribute("aria-invalid");
    }));
  }

  function update() {
    result = conv2d(pixels, height, width, state.weights, { padding: 1, flip: state.flip });
    let min = Infinity;
    let max = -Infinity;
    for (const v of result.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    result.min = min;
    result.max = max;
    range.textContent = `${result.height}×${result.width}, values from ${num(min)} to ${num(max)}`;
    const applied = state.flip ? state.weights.map((row) => [...row].reverse()).reverse() : state.weights;
    flipped.hidden = !state.flip;
    flipped.replaceChildren(h("span", {}, "applied as"),
      h("div", { class: "cl-explorer__mini" }, applied.flat().map((w) => h("span", {}, num(w)))));
    about.textContent = state.name === "custom"
      ? "Your own kernel: every position of the output is the sum of the nine weights times the pixels under them."
      : `${state.name}: ${presets[state.name].text}.`;
    root.clFeatureMap = result;
    paint();
  }

  function paint() {
    drawGray(inputCanvas, pixels, (v) => v);
    const p = palette();
    const total = state.weights.flat().reduce((a, b) => a + b, 0);
    if (Math.abs(total) > 1e-9) {
      // Brightness: the kernel's sum maps a flat patch of level v to v·sum, so divide by it.
      drawGray(outputCanvas, result.values, (v) => v / total);
      bar.style.background = "linear-gradient(to right, #000, #fff)";
      ends.forEach((end, n) => (end.textContent = ["0", "", num(total)][n]));
    } else {
      // Signed (edge kernels): violet below zero, teal above; the square root lifts faint edges.
      const top = Math.max(Math.abs(result.min), Math.abs(result.max)) || 1;
      drawRgb(outputCanvas, result.values, (v) => mix(v < 0 ? p.negative : p.output, Math.sqrt(Math.abs(v) / top)));
      bar.style.background = `linear-gradient(to right, ${css(p.negative)}, ${css(p.surface)}, ${css(p.output)})`;
      ends.forEach((end, n) => (end.textContent = [num(-top), "0", num(top)][n]));
    }
  }

  function point(event) {
    const box = outputCanvas.getBoundingClientRect();
    const j = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
    const i = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
    readout.textContent = `feature map [${i}, ${j}] = ${num(result.values[i * result.width + j], 3)}: ` +
      `the kernel over rows ${i - 1}–${i + 1}, columns ${j - 1}–${j + 1} of the input (padding 1).`;
    Object.assign(window_.style, {
      left: `${((j - 1) / width) * 100}%`, top: `${((i - 1) / height) * 100}%`,
      width: `${(3 / width) * 100}%`, height: `${(3 / height) * 100}%`,
    });
    window_.hidden = false;
  }

  showWeights();
  update();
  return {
    repaint: paint,
    state: () => ({ name: state.name, weights: copy(state.weights), flip: state.flip }),
    code: () => code(own ? { ...data, image: { ...data.image, code: ownCode(pixels, height, width) } } : data, state),
  };
}

function panel(title, color, ...content) {
  return h("div", { class: "cl-explorer__panel" },
    h("span", { class: `cl-explorer__title cl-legend--${color}` }, title), ...content);
}

function canvas(width, height, label) {
  return h("canvas", { class: "cl-explorer__canvas", width: String(width), height: String(height), role: "img", "aria-label": label });
}

function drawGray(target, values, level) {
  const image = new ImageData(target.width, target.height);
  for (let n = 0; n < values.length; n++) {
    const g = Math.round(255 * Math.min(1, Math.max(0, level(values[n]))));
    image.data.fill(g, 4 * n, 4 * n + 3);
    image.data[4 * n + 3] = 255;
  }
  target.getContext("2d").putImageData(image, 0, 0);
}

function drawRgb(target, values, color) {
  const image = new ImageData(target.width, target.height);
  for (let n = 0; n < values.length; n++) {
    image.data.set(color(values[n]), 4 * n);
    image.data[4 * n + 3] = 255;
  }
  target.getContext("2d").putImageData(image, 0, 0);
}

/** The reader's image as Python: its exact float64 values, base64 in the code (made in the page). */
function ownCode(pixels, height, width) {
  return `np.frombuffer(base64.b64decode("${float64Base64(pixels)}"), "<f8").reshape(${height}, ${width})  # your image`;
}

const copy = (rows) => rows.map((row) => [...row]);
const same = (a, b) => a.every((row, u) => row.every((w, v) => w === b[u][v]));

/** The state as convlesson code (kernel_explorer/__init__.py: code). */
function code(data, { name, weights, flip }) {
  const custom = name === "custom";
  const line = custom ? `kernel = ${pyArray(weights, "kernel = ".length)}` : `kernel = cl.kernels.get("${name}")`;
  const title = (custom ? "custom kernel" : name) + (flip ? " (flipped)" : "");
  return (
    (data.image.code.includes("base64") ? "import base64\n" : "") +
    (custom || data.image.code.includes("np.") ? "import numpy as np\n" : "") +
    "import convlesson as cl\n" +
    "import matplotlib.pyplot as plt\n\n" +
    `image = ${data.image.code}\n` +
    `${line}\n` +
    `feature_map = ${flip ? "cl.convolve2d" : "cl.conv2d"}(image, kernel, padding=1)\n` +
    'print(f"feature map {feature_map.shape}, from {feature_map.min():.2f} to {feature_map.max():.2f}")\n\n' +
    'fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")\n' +
    'left.imshow(image, cmap="gray")\n' +
    'left.set_title("input")\n' +
    'right.imshow(feature_map, cmap="gray")\n' +
    `right.set_title("${title}")\n` +
    "plt.show()\n"
  );
}
