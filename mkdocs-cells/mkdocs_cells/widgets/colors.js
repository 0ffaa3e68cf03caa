// The legend's colours (blue input, orange kernel, teal output, violet for negative values),
// read from widgets.css so that light and dark mode each get their own, and mixed into the
// page's surface for cells whose shade shows a value. Text on a cell is dark or light,
// whichever reads better on that fill.

const NAMES = ["input", "kernel", "output", "negative", "surface", "ink", "paper"];
let cached = null;
let cachedScheme = null;

/** `{input: [r, g, b], …}` for the current colour scheme. */
export function palette() {
  const scheme = document.body.dataset.mdColorScheme ?? "default";
  if (cached && cachedScheme === scheme) return cached;
  const style = getComputedStyle(document.body);
  cached = Object.fromEntries(NAMES.map((name) => [name, parseHex(style.getPropertyValue(`--cl-${name}`))]));
  cachedScheme = scheme;
  return cached;
}

function parseHex(text) {
  const hex = text.trim().replace("#", "");
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** `color` mixed into the surface: amount 0 is the surface, 1 the colour. */
export function mix(color, amount, base = palette().surface) {
  const a = Math.min(1, Math.max(0, amount));
  return color.map((c, i) => Math.round(base[i] + (c - base[i]) * a));
}

export const css = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Dark ink or white, whichever contrasts more with `rgb`. */
export function inkOn(rgb) {
  const { ink, paper } = palette();
  const l = luminance(rgb);
  const contrast = (other) => {
    const m = luminance(other);
    return (Math.max(l, m) + 0.05) / (Math.min(l, m) + 0.05);
  };
  const dark = luminance(ink) < luminance(paper) ? ink : paper;
  const light = dark === ink ? paper : ink;
  return contrast(dark) >= contrast(light) ? dark : light;
}

/** Fill an element with `rgb` and give it readable text. */
export function paint(el, rgb) {
  el.style.backgroundColor = css(rgb);
  el.style.color = css(inkOn(rgb));
}

/** Shade for a value in [0, 1] of the input (an image's gray level). */
export const inputShade = (value) => mix(palette().input, 0.08 + 0.92 * value);

/** Teal for positive values, violet for negative ones, stronger as |value| nears `top`. */
export function signedShade(value, top) {
  const p = palette();
  const amount = top > 0 ? Math.abs(value) / top : 0;
  return mix(value < 0 ? p.negative : p.output, 0.12 + 0.88 * amount);
}
