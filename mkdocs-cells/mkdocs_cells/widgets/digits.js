// The drawing pad's arithmetic, in small pure functions: the digits data set's 8×8 reduction
// (convlesson.data.to_digit_grid) and the forward pass of a network exported by
// convlesson.nn.export. tests/test_digit_pad.py checks each against convlesson over many inputs.

const BOX = 32;

/** A drawn bitmap (`ink[r * width + c]`, ink > threshold) as the digits' 8×8 counts 0–16. */
export function toDigitGrid(ink, height, width, threshold = 0.5) {
  let top = height, bottom = -1, left = width, right = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (ink[r * width + c] > threshold) {
        if (r < top) top = r;
        if (r > bottom) bottom = r;
        if (c < left) left = c;
        if (c > right) right = c;
      }
    }
  }
  const grid = new Array(64).fill(0);
  if (bottom < 0) return grid;
  const h = bottom + 1 - top, w = right + 1 - left;
  const scale = BOX / Math.max(h, w);
  const rows = sources(top, h, scale), cols = sources(left, w, scale);
  for (let i = 0; i < BOX; i++) {
    if (rows[i] < 0) continue;
    for (let j = 0; j < BOX; j++) {
      if (cols[j] >= 0 && ink[rows[i] * width + cols[j]] > threshold) grid[(i >> 2) * 8 + (j >> 2)] += 1;
    }
  }
  return grid;
}

/** For each box pixel along one axis, the drawn pixel under its centre, or −1 off the ink's box. */
function sources(start, extent, scale) {
  const offset = (BOX - scale * extent) / 2;
  const out = [];
  for (let i = 0; i < BOX; i++) {
    const position = (i + 0.5 - offset) / scale;
    out.push(position >= 0 && position < extent ? start + Math.min(extent - 1, Math.floor(position)) : -1);
  }
  return out;
}

/** Each layer's output for one image `input` (C·H·W values): [{shape, values}], in layer order. */
export function forward(layers, numbers, input, shape) {
  const outputs = [];
  let x = { shape, values: Float64Array.from(input) };
  for (const layer of layers) {
    x = step(layer, numbers, x);
    outputs.push(x);
  }
  return outputs;
}

function step(layer, numbers, x) {
  const [C, H, W] = x.shape;
  if (layer.type === "conv") {
    const { out: F, kernel: K, stride: S, padding: P } = layer;
    const Ho = Math.floor((H + 2 * P - K) / S) + 1, Wo = Math.floor((W + 2 * P - K) / S) + 1;
    const values = new Float64Array(F * Ho * Wo);
    for (let f = 0; f < F; f++) {
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) values[(f * Ho + i) * Wo + j] = convUnit(layer, numbers, x, f, i, j).value;
      }
    }
    return { shape: [F, Ho, Wo], values };
  }
  if (layer.type === "maxpool" || layer.type === "avgpool") {
    const { kernel: K, stride: S } = layer;
    const Ho = Math.floor((H - K) / S) + 1, Wo = Math.floor((W - K) / S) + 1;
    const values = new Float64Array(C * Ho * Wo);
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) values[(c * Ho + i) * Wo + j] = poolUnit(layer, x, c, i, j).value;
      }
    }
    return { shape: [C, Ho, Wo], values };
  }
  if (layer.type === "relu") return { shape: x.shape, values: x.values.map((v) => (v > 0 ? v : 0)) };
  if (layer.type === "flatten") return { shape: [x.values.length], values: x.values };
  if (layer.type === "identity") return x;
  if (layer.type === "linear") {
    const values = new Float64Array(layer.out);
    for (let o = 0; o < layer.out; o++) values[o] = linearUnit(layer, numbers, x, o);
    return { shape: [layer.out], values };
  }
  throw new Error(`unknown layer type ${layer.type}`);
}

/**
 * Output [f, i, j] of a conv layer over `x`, with its working: for each input channel, the
 * K×K weights, the input patch (0 in the padding), their products and the products' sum; then
 * the bias and `value` = the channel sums added in order, plus the bias. The forward pass
 * computes every output with this function, so the working always adds up to the map's value.
 */
export function convUnit(layer, numbers, x, f, i, j) {
  const [C, H, W] = x.shape;
  const { kernel: K, stride: S, padding: P } = layer;
  const channels = [];
  let total = 0;
  for (let c = 0; c < C; c++) {
    const weights = [], patch = [], products = [];
    let sum = 0;
    for (let u = 0; u < K; u++) {
      for (let v = 0; v < K; v++) {
        const w = numbers[layer.weight + ((f * C + c) * K + u) * K + v];
        const r = i * S + u - P, q = j * S + v - P;
        const pixel = r >= 0 && r < H && q >= 0 && q < W ? x.values[(c * H + r) * W + q] : 0;
        weights.push(w);
        patch.push(pixel);
        products.push(w * pixel);
        sum += w * pixel;
      }
    }
    channels.push({ weights, patch, products, sum });
    total += sum;
  }
  const bias = layer.bias === null ? 0 : numbers[layer.bias + f];
  return { channels, bias, value: total + bias };
}

/** Output [c, i, j] of a pooling layer: its window's values and the max (or mean) of them. */
export function poolUnit(layer, x, c, i, j) {
  const [, H, W] = x.shape;
  const { kernel: K, stride: S } = layer;
  const window = [];
  for (let u = 0; u < K; u++) {
    for (let v = 0; v < K; v++) window.push(x.values[(c * H + i * S + u) * W + j * S + v]);
  }
  const value = layer.type === "maxpool" ? Math.max(...window) : window.reduce((a, b) => a + b, 0) / (K * K);
  return { window, value };
}

function linearUnit(layer, numbers, x, o) {
  let total = 0;
  for (let k = 0; k < layer.in; k++) total += numbers[layer.weight + o * layer.in + k] * x.values[k];
  return total + (layer.bias === null ? 0 : numbers[layer.bias + o]);
}

/** Probabilities from scores: exp(s − max) / Σ exp(s − max). */
export function softmax(scores) {
  const top = Math.max(...scores);
  const exp = Array.from(scores, (s) => Math.exp(s - top));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}

/** Input rows (or columns) a unit at `index` of a layer sees, from its rf = [rf, jump, padding]. */
export function fieldSpan([rf, jump, padding], index) {
  const first = index * jump - padding;
  return [first, first + rf - 1];
}
