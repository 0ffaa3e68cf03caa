// Writes a cell's output into its output area. Everything is text (textContent), never
// markup: whatever the reader's code prints is shown, not interpreted.
// The build writes the same elements (output.py), so live output replaces the
// build's output in place.

const NOTE_CLASS = "cl-out cl-out--note";

export function clear(area) {
  area.replaceChildren();
}

/**
 * Add one piece of output: stdout/stderr text, an image, an object shown with `display`, a
 * note of what the output caps left out, or "clear" (`clear_output`). An image or object shown with `update` takes
 * the place of what was shown under its display id, as in Jupyter (nothing if there is none).
 */
export function append(area, kind, payload) {
  if (kind === "stdout" || kind === "stderr") return appendText(area, kind, payload);
  if (kind === "clear") return clear(area);
  if (kind === "image") {
    const image = Object.assign(document.createElement("img"), {
      className: "cl-out cl-out--image",
      src: `data:image/png;base64,${payload.png}`,
      alt: payload.alt,
    });
    return show(area, image, payload);
  }
  if (kind === "text") {
    const block = pre("result");
    block.textContent = payload.text;
    return show(area, block, payload);
  }
  if (kind === "truncated") return note(area, payload); // the runner's words for what its caps left out
}

function show(area, element, { id, update }) {
  if (id == null) return area.append(element);
  element.dataset.displayId = id;
  if (!update) return area.append(element);
  const shown = [...area.children].filter((child) => child.dataset.displayId === id);
  shown.forEach((old, index) => old.replaceWith(index ? element.cloneNode(true) : element));
}

function appendText(area, kind, text) {
  const last = area.lastElementChild;
  const block = last?.dataset.kind === kind ? last : area.appendChild(pre(kind));
  block.append(text); // a text node: markup stays text
}

function pre(kind) {
  const block = document.createElement("pre");
  block.className = `cl-out cl-out--${kind}`;
  block.dataset.kind = kind;
  return block;
}

/** The value of the cell's last expression, as Python's repr. */
export function result(area, text) {
  area.appendChild(pre("result")).textContent = text;
}

/** A Python error: the traceback, trimmed to the reader's code. */
export function error(area, traceback) {
  area.appendChild(pre("error")).textContent = traceback;
}

/** A remark from the page (not from Python), e.g. which earlier cells ran first. */
export function note(area, text, { first = false } = {}) {
  const paragraph = Object.assign(document.createElement("p"), { className: NOTE_CLASS, textContent: text });
  if (first) area.prepend(paragraph);
  else area.append(paragraph);
  return paragraph;
}
