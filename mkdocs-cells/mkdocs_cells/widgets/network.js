// A layer list's shapes and parameter counts, as PyTorch and convlesson compute them:
// outputs from shapes.outputSize, parameters from conv2dParams and linearParams. The layer
// names and the code match scripts/widget_data.py (layer_name, network_shapes_code).
import { pyNumber } from "./format.js";
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

const HELPERS = `import math
import convlesson as cl

def conv2d(shape, out_channels, k, stride=1, padding=0):
    c, h, w = shape
    size = [cl.output_size(n, k, stride=stride, padding=padding) for n in (h, w)]
    return (out_channels, *size), cl.conv2d_params(c, out_channels, k)

def pool2d(shape, k, stride):
    c, h, w = shape
    return (c, *[cl.output_size(n, k, stride=stride) for n in (h, w)]), 0

def relu(shape):
    return shape, 0

def flatten(shape):
    return (math.prod(shape),), 0

def linear(shape, out_features):
    assert len(shape) == 1, "Linear needs a flat input: put Flatten() before it"
    return (out_features,), cl.linear_params(shape[0], out_features)
`;

/** Python that walks the layers with convlesson (widget_data.network_shapes_code). */
export function networkCode(input, layers) {
  const rows = networkRows(input, layers);
  let shape = input;
  const entries = layers.map((layer, n) => {
    const args = {
      Conv2d: () => [layer.out, layer.kernel, layer.stride, layer.padding],
      MaxPool2d: () => [layer.kernel, layer.stride],
      AvgPool2d: () => [layer.kernel, layer.stride],
      Linear: () => [layer.out],
    }[layer.type]?.() ?? [];
    const helper = { Conv2d: "conv2d", MaxPool2d: "pool2d", AvgPool2d: "pool2d" }[layer.type] ?? layer.type.toLowerCase();
    const name = shape ? layerName(layer, shape) : layerName(layer, [0]);
    shape = rows[n].shape ?? [0];
    return `    ("${name}", ${helper}${args.map((a) => `, ${pyNumber(a)}`).join("")}),`;
  });
  return (
    HELPERS +
    `\nnetwork = [\n${entries.join("\n")}\n]\n\n` +
    `shape, total = (${input.join(", ")}), 0  # channels, height, width\n` +
    'print(f"{\'input\':<30} {shape}")\n' +
    "for name, layer, *args in network:\n" +
    "    shape, params = layer(shape, *args)\n" +
    "    total += params\n" +
    '    print(f"{name:<30} {str(shape):<14} {params:>9,}")\n' +
    'print(f"{\'total parameters\':<45} {total:>9,}")\n'
  );
}
