// The convolution arithmetic the figures do in the page, as convlesson defines it
// (convlesson/conv.py, convlesson/steps.py). tests/test_widget_math.py checks these
// functions against convlesson over every state the figures allow.

/**
 * 2-D cross-correlation of an image with one kernel, zero padding, stride; with `flip` the
 * kernel is flipped on both axes first (true convolution, `cl.convolve2d`).
 * `image` is row-major (`height` × `width`), `kernel` an array of rows.
 * Returns `{height, width, values}` with `values` row-major, as `cl.conv2d(image, kernel,
 * stride=stride, padding=padding)`, or null when the kernel does not fit.
 */
export function conv2d(image, height, width, kernel, { stride = 1, padding = 0, flip = false } = {}) {
  const kh = kernel.length;
  const kw = kernel[0].length;
  const oh = Math.floor((height + 2 * padding - kh) / stride) + 1;
  const ow = Math.floor((width + 2 * padding - kw) / stride) + 1;
  if (oh < 1 || ow < 1) return null;
  const k = new Float64Array(kh * kw);
  for (let u = 0; u < kh; u++) {
    for (let v = 0; v < kw; v++) k[u * kw + v] = flip ? kernel[kh - 1 - u][kw - 1 - v] : kernel[u][v];
  }
  const values = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let sum = 0;
      for (let u = 0; u < kh; u++) {
        const y = i * stride + u - padding;
        if (y < 0 || y >= height) continue; // a row of padding zeros
        for (let v = 0; v < kw; v++) {
          const x = j * stride + v - padding;
          if (x >= 0 && x < width) sum += k[u * kw + v] * image[y * width + x];
        }
      }
      values[i * ow + j] = sum;
    }
  }
  return { height: oh, width: ow, values };
}

/** `x` (an array of rows) with `padding` zeros on every side. */
export function pad(x, padding) {
  const width = x[0].length + 2 * padding;
  const zeros = () => new Array(width).fill(0);
  return [
    ...Array.from({ length: padding }, zeros),
    ...x.map((row) => [...new Array(padding).fill(0), ...row, ...new Array(padding).fill(0)]),
    ...Array.from({ length: padding }, zeros),
  ];
}

/**
 * Every position of the kernel over `x`, in raster order, as `cl.conv_steps(x, weight,
 * stride, padding)` records them (Step.to_dict()): `{out_index, origin, patch, products,
 * total}`, the origin indexing the padded input. Returns `{steps, height, width}`, or null
 * when the kernel does not fit.
 */
export function convSteps(x, weight, stride = 1, padding = 0) {
  const padded = pad(x, padding);
  const kh = weight.length;
  const kw = weight[0].length;
  const height = Math.floor((padded.length - kh) / stride) + 1;
  const width = Math.floor((padded[0].length - kw) / stride) + 1;
  if (height < 1 || width < 1) return null;
  const steps = [];
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const origin = [i * stride, j * stride];
      const patch = weight.map((row, u) => row.map((_, v) => padded[origin[0] + u][origin[1] + v]));
      const products = patch.map((row, u) => row.map((value, v) => value * weight[u][v]));
      const total = products.flat().reduce((a, b) => a + b, 0);
      steps.push({ out_index: [i, j], origin, patch, products, total });
    }
  }
  return { steps, height, width };
}
