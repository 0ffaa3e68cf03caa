// The reader's own photo for the kernel explorer, made as convlesson.images.photo makes the
// sample one: the top square of the picture (centred across), BT.601 gray, area-averaged to
// size × size and clipped to [0, 1]. tests/test_kernel_explorer_upload.py checks it against
// cl.images (resize, LUMA) over random images.

export const LUMA = [0.299, 0.587, 0.114];

/** The top square of an (H, W) picture: [top, left, side], centred across when wider than tall. */
export function topSquare(height, width) {
  const side = Math.min(height, width);
  return [0, Math.floor((width - side) / 2), side];
}

/** Gray levels in [0, 1] of the square [top, left, side] of RGBA bytes `rgba` (width `width`). */
export function grayOf(rgba, width, [top, left, side]) {
  const gray = new Float64Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const n = 4 * ((top + r) * width + left + c);
      gray[r * side + c] = (rgba[n] / 255) * LUMA[0] + (rgba[n + 1] / 255) * LUMA[1] + (rgba[n + 2] / 255) * LUMA[2];
    }
  }
  return gray;
}

/** Area-averaging weights along one axis (convlesson.images._area_weights): rows of [index, weight]. */
function areaWeights(nIn, nOut) {
  const span = nIn / nOut;
  const rows = [];
  for (let i = 0; i < nOut; i++) {
    const start = i * span, row = [];
    for (let j = Math.floor(start); j < Math.min(nIn, Math.ceil(start + span)); j++) {
      const overlap = Math.min(start + span, j + 1) - Math.max(start, j);
      if (overlap > 0) row.push([j, overlap / span]);
    }
    rows.push(row);
  }
  return rows;
}

/** A square (n × n) gray image resized by area averaging to size × size, clipped to [0, 1]. */
export function resize(gray, n, size) {
  const weights = areaWeights(n, size);
  const across = new Float64Array(n * size); // each row resized across
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < size; c++) {
      let total = 0;
      for (const [j, w] of weights[c]) total += w * gray[r * n + j];
      across[r * size + c] = total;
    }
  }
  const out = new Float64Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let total = 0;
      for (const [i, w] of weights[r]) total += w * across[i * size + c];
      out[r * size + c] = Math.min(1, Math.max(0, total));
    }
  }
  return out;
}

/** Float64 values as base64 of their little-endian bytes (np.frombuffer(..., "<f8") reads them). */
export function float64Base64(values) {
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  let text = "";
  for (let n = 0; n < bytes.length; n += 0x8000) text += String.fromCharCode(...bytes.subarray(n, n + 0x8000));
  return btoa(text);
}
