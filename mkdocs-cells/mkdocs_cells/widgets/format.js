// Numbers as the figures show them, and as Python source for "Open as code".

/** At most two decimals, no trailing zeros, a true minus sign: 0.75, −1.25, 3. */
export function num(value, digits = 2) {
  let text = Number(value).toFixed(digits);
  if (text.includes(".")) text = text.replace(/\.?0+$/, "");
  return text === "-0" ? "0" : text.replace("-", "−");
}

/** A whole number with its thousands separated by commas: 40,970. (Not toLocaleString: its
 * first call sets up the locale's formats, 15 ms of a page's start.) */
export const count = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ",");

/** A number as Python source, as spec.py writes it (py_number): 1, -0.25. */
export function pyNumber(value) {
  // Both languages write the shortest text that reads back as the same float (1e-7 in JS is
  // 1e-07 in Python's repr; both read back the same).
  return String(value);
}

export const pyList = (values) => `[${values.map(pyNumber).join(", ")}]`;

/** `np.array([[..],\n          [..]])`, rows aligned under the first (spec.py_array). */
export function pyArray(rows, indent) {
  const pad = " ".repeat(indent + "np.array([".length);
  return `np.array([${rows.map(pyList).join(`,\n${pad}`)}])`;
}
