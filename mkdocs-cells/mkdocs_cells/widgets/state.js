// A figure's state in a share link (share.js): each figure's `mount(root, data, {state})`
// starts from a saved state, read by `restore`, and its `state()` gives the state to save, a
// small JSON object of the choices the reader made.

/**
 * The figure's starting state: `defaults`, with the fields of `saved` (a share link's, or
 * undefined) that `checks` (field → test of a value) accept. Throws an error naming the field
 * and value if one is unknown or refused, so the figure starts from its defaults instead.
 */
export function restore(defaults, saved, checks) {
  if (saved === undefined) return defaults;
  if (typeof saved !== "object" || saved === null || Array.isArray(saved)) throw new Error("its state is not an object");
  const state = { ...defaults };
  for (const [key, value] of Object.entries(saved)) {
    if (!Object.hasOwn(checks, key)) throw new Error(`it sets "${key}", which this figure does not have`);
    if (!checks[key](value, state)) throw new Error(`its ${key}, ${JSON.stringify(value)}, is not one this figure can show`);
    state[key] = value;
  }
  return state;
}

/** A test of whole numbers from `min` to `max`. */
export const wholeIn = (min, max) => (value) => Number.isInteger(value) && value >= min && value <= max;

/** A test of one of `values`. */
export const oneOf = (values) => (value) => values.includes(value);
