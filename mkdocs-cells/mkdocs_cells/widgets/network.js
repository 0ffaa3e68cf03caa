// A layer list's shapes and parameter counts, as PyTorch and convlesson compute them:
// outputs from shapes.outputSize, parameters from conv2dParams and linearParams. The layer
// names and the code match network_shapes/__init__.py (layer_name, code).
import { conv2dParams, linearParams, outputSize } from "./shapes.js";

export const TYPES = ["Conv2d", "ReLU", "MaxPool2d", "AvgPool2d", "Flatten", "Linear"];

/** A new layer of `type` with the usual settings. */
export function newLayer(type) {
  if (type === "Conv2d") return { type, out: 16, kernel: 3, stride: 1, padding: 1 };
  if (type.endsWith("Pool2d")) return { type, kernel: 2, stride: 2 };
  if (type === "Linear") return { type, out: 10 };
  return { type };
}

/** How PyTorch writes the layer, given its input shape: Conv2d(3, 32, 3, padding=1). */
export function layerName(layer, shape) {
  const { type } = layer;
  if (type === "Conv2d") {
    const extra = (layer.stride !== 1 ? `, stride=${layer.stride}` : "") + (layer.padding !== 0 ? `, padding=${layer.padding}` : "");
    return `Conv2d(${shape[0]}, ${layer.out}, ${layer.kernel}${extra})`;
  }
  if (type.endsWith("Pool2d")) {
    return `${type}(${layer.kernel}${layer.stride !== layer.kernel ? `, stride=${layer.stride}` : ""})`;
  }
  if (type === "Linear") return `Linear(${shape[0]}, ${layer.out})`;
  return `${type}()`;
}

/**
 * Each layer's `{name, shape, params}` for an input `[C, H, W]`, or `{name, error}` from
 * the first layer that cannot take its input (and `{name: type}` after it).
 */
export function networkRows(input, layers) {
  let shape = [...input];
  const rows = [];
  for (const layer of layers) {
    if (!shape) {
      rows.push({ name: layer.type, shape: null, params: null });
      continue;
    }
    const name = layerName(layer, shape);
    const row = { name, shape: null, params: 0 };
    const { type } = layer;
    if ((type === "Conv2d" || type.endsWith("Pool2d")) && shape.length !== 3) {
      row.error = `${type} needs channels × height × width; this input is flat`;
    } else if (type === "Linear" && shape.length !== 1) {
      row.error = "Linear needs a flat input: put Flatten() before it";
    } else if (type === "Conv2d") {
      const size = (n) => outputSize(n, layer.kernel, { stride: layer.stride, padding: layer.padding });
      row.shape = [layer.out, size(shape[1]), size(shape[2])];
      row.params = conv2dParams(shape[0], layer.out, layer.kernel);
    } else if (type.endsWith("Pool2d")) {
      const size = (n) => outputSize(n, layer.kernel, { stride: layer.stride });
      row.shape = [shape[0], size(shape[1]), size(shape[2])];
    } else if (type === "Flatten") {
      row.shape = [shape.reduce((a, b) => a * b, 1)];
    } else if (type === "Linear") {
      row.shape = [layer.out];
      row.params = linearParams(shape[0], layer.out);
    } else {
      row.shape = [...shape];
    }
    if (row.shape && row.shape.includes(null)) {
      row.shape = null;
      row.error = `the ${layer.kernel}×${layer.kernel} kernel is larger than the ${type === "Conv2d" && layer.padding ? "padded " : ""}input`;
    }
    if (row.error) row.params = null;
    rows.push(row);
    shape = row.shape;
  }
  return rows;
}

/** A layer's convlesson.architectures spec as Python, given its input channels (or
 * features): `Conv(3, 32, 3, padding=1)`, `Pool(2, mode="avg")` (network_shapes.spec, .source). */
function specSource(layer, inputs) {
  const keywords = [];
  if (layer.type === "Conv2d") {
    if (layer.stride !== 1) keywords.push(`stride=${layer.stride}`);
    if (layer.padding !== 0) keywords.push(`padding=${layer.padding}`);
    return `Conv(${[inputs, layer.out, layer.kernel, ...keywords].join(", ")})`;
  }
  if (layer.type.endsWith("Pool2d")) {
    if (layer.stride !== layer.kernel) keywords.push(`stride=${layer.stride}`);
    if (layer.type === "AvgPool2d") keywords.push('mode="avg"');
    return `Pool(${[layer.kernel, ...keywords].join(", ")})`;
  }
  if (layer.type === "Linear") return `Linear(${inputs}, ${layer.out})`;
  return `${layer.type}()`;
}

/** Python that builds the layers as convlesson.architectures specs and prints their summary
 * (network_shapes.code). Past a layer that cannot work, the last known channel count stands in:
 * the summary raises there. */
export function networkCode(input, layers) {
  const rows = networkRows(input, layers);
  let channels = input[0];
  const sources = layers.map((layer, n) => {
    const text = specSource(layer, channels);
    if (rows[n].shape) channels = rows[n].shape[0];
    return text;
  });
  const classes = [...new Set(sources.map((text) => text.split("(")[0]))].sort();
  return (
    "import convlesson as cl\n" +
    `from convlesson.architectures import ${classes.join(", ")}\n\n` +
    `layers = [\n${sources.map((text) => `    ${text},\n`).join("")}]\n` +
    `print(cl.architectures.summary(layers, input_shape=(${input.join(", ")})))\n`
  );
}
