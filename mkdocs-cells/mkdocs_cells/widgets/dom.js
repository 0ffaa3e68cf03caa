// Small DOM helpers for the figures: one element-making function and labelled controls.
// Every control is a real form element with a visible label, so it works from the keyboard.

let ids = 0;

/** A page-unique id for labels and ARIA references. */
export const uid = (prefix) => `cl-${prefix}-${++ids}`;

/**
 * `h("button", {class: "x", onclick: f, "aria-label": "…"}, "text", child)`: props named on…
 * become listeners, `class`/`text`/`style` set those, booleans set properties (hidden,
 * checked, disabled), everything else is an attribute. Null children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const svg = ["svg", "g", "path", "rect", "polygon", "line", "text", "circle", "title"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = value;
    else if (key === "style") {
      for (const [name, v] of Object.entries(value)) el.style.setProperty(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v);
    }
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (typeof value === "boolean") el[key] = value;
    else el.setAttribute(key, value);
  }
  el.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return el;
}

export function button(text, onClick, props = {}) {
  return h("button", { type: "button", class: "cl-w-button", onclick: onClick, ...props }, text);
}

/** A labelled field: the label's text above (or beside) its control. */
function field(text, control, extra) {
  return h("label", { class: "cl-w-field" }, h("span", { class: "cl-w-field__label" }, text, extra), control);
}

/** A `<select>`; `options` are `[value, text]` pairs. */
export function select(text, options, value, onChange) {
  const input = h("select", { class: "cl-w-select", onchange: () => onChange(input.value) },
    options.map(([v, t]) => h("option", { value: v, selected: v === value }, t)));
  return { root: field(text, input), input };
}

/** A range slider of whole numbers, its value shown beside its label. */
export function slider(text, { min, max, value }, onInput) {
  const id = uid("slider");
  const output = h("output", { class: "cl-w-field__value", for: id, "aria-hidden": "true" }, String(value));
  const input = h("input", {
    type: "range", id, class: "cl-w-range", min: String(min), max: String(max), step: "1", value: String(value),
    oninput: () => {
      output.textContent = input.value;
      onInput(Number(input.value));
    },
  });
  return {
    root: h("div", { class: "cl-w-field" },
      h("span", {}, h("label", { class: "cl-w-field__label", for: id }, text), output), input),
    input,
    set(v) {
      input.value = String(v);
      output.textContent = String(v);
    },
  };
}

/** A number box; `onInput` gets the text as typed (the widget checks it). */
export function numberBox(text, { min, max, value, step = "1", label }, onInput) {
  const input = h("input", {
    type: "number", class: "cl-w-number", min: String(min), max: String(max), step, value: String(value),
    inputmode: step === "1" ? "numeric" : "decimal", "aria-label": label,
    oninput: () => onInput(input.value),
  });
  return { root: text === null ? input : field(text, input), input };
}

/** Radio buttons in a fieldset with a legend; `options` are `[value, text]` pairs. */
export function radios(legend, options, value, onChange) {
  const name = uid("radio");
  const inputs = options.map(([v, t]) => {
    const input = h("input", { type: "radio", name, value: v, checked: v === value, onchange: () => onChange(v) });
    return h("label", { class: "cl-w-radio" }, input, h("span", {}, t));
  });
  return { root: h("fieldset", { class: "cl-w-radios" }, h("legend", {}, legend), inputs) };
}

export function checkbox(text, checked, onChange) {
  const input = h("input", { type: "checkbox", checked, onchange: () => onChange(input.checked) });
  return { root: h("label", { class: "cl-w-check" }, input, h("span", {}, text)), input };
}
