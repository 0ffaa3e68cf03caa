// Shape arithmetic, as convlesson/shapes.py defines it: output sizes, which input pixels a
// kernel reads, parameter counts. tests/test_widget_math.py checks each function against
// convlesson over the whole range the figures' inputs allow.

/** Extent of a kernel of `kernel` taps spaced `dilation` apart: D·(K − 1) + 1. */
export const span = (kernel, dilation = 1) => dilation * (kernel - 1) + 1;

/**
 * `cl.output_size(size, kernel, stride, padding, dilation)`:
 * ⌊(W + 2P − D·(K − 1) − 1) / S⌋ + 1, or null where convlesson raises (the kernel is larger
 * than the padded input).
 */
export function outputSize(size, kernel, { stride = 1, padding = 0, dilation = 1 } = {}) {
  const room = size + 2 * padding - span(kernel, dilation);
  return room < 0 ? null : Math.floor(room / stride) + 1;
}

/**
 * Which of the `size` input pixels (one axis) the kernel reads. Returns null when the kernel
 * does not fit, else `{out, last, read, leftover, skipped}`: `last` is the last padded index
 * read; `read[i]` says whether input pixel i is under some tap; `leftover` lists the input
 * pixels after `last` (dropped by the floor), `skipped` the unread ones before it (between
 * windows, or between the taps of a dilated kernel).
 */
export function coverage(size, kernel, { stride = 1, padding = 0, dilation = 1 } = {}) {
  const out = outputSize(size, kernel, { stride, padding, dilation });
  if (out === null) return null;
  const read = new Array(size).fill(false);
  for (let n = 0; n < out; n++) {
    for (let t = 0; t < kernel; t++) {
      const i = n * stride + t * dilation - padding;
      if (i >= 0 && i < size) read[i] = true;
    }
  }
  const last = (out - 1) * stride + span(kernel, dilation) - 1;
  const unread = read.flatMap((r, i) => (r ? [] : [i]));
  return {
    out,
    last,
    read,
    leftover: unread.filter((i) => i + padding > last),
    skipped: unread.filter((i) => i + padding <= last),
  };
}

/** `cl.conv2d_params(cin, cout, k)`: each of the cout filters has cin·k·k weights and a bias. */
export const conv2dParams = (cin, cout, kernel) => cout * (cin * kernel * kernel + 1);

/** `cl.linear_params(n_in, n_out)`: a weight per input and a bias, for each output. */
export const linearParams = (inFeatures, outFeatures) => outFeatures * (inFeatures + 1);
