// Turns each ```python run``` block of a page into an editable cell with a Run button.
// Hooked on Material's document$, so cells are set up again after instant navigation.
import { onStatus, run } from "./runtime.js";

document$.subscribe(() => {
  for (const cell of document.querySelectorAll(".cl-cell:not([data-live])")) setup(cell);
});

function setup(cell) {
  cell.dataset.live = "";
  const original = cell.querySelector(".cl-cell__source").value;
  const editor = Object.assign(document.createElement("textarea"), {
    className: "cl-cell__editor",
    value: original,
    spellcheck: false,
    rows: original.split("\n").length,
  });
  editor.setAttribute("aria-label", `${cell.getAttribute("aria-label")}: Python code`);
  cell.querySelector(".highlight").replaceWith(editor);

  const runButton = button("Run", () => execute(cell, editor.value));
  const toolbar = Object.assign(document.createElement("div"), { className: "cl-cell__toolbar" });
  const state = Object.assign(document.createElement("span"), { className: "cl-cell__status" });
  toolbar.append(runButton, state);
  cell.prepend(toolbar);
  onStatus((status) => (state.textContent = describe(status)));
}

function button(label, onClick) {
  const element = Object.assign(document.createElement("button"), {
    type: "button",
    className: "md-button cl-cell__button",
    textContent: label,
  });
  element.addEventListener("click", onClick);
  return element;
}

function describe(status) {
  if (status.state === "loading") return `Loading ${status.step}… ${Math.round(status.fraction * 100)} %`;
  if (status.state === "failed") return `Python could not load: ${status.message}`;
  return status.state === "ready" ? "Python ready" : "";
}

async function execute(cell, code) {
  const output = cell.querySelector(".cl-cell__output");
  output.replaceChildren();
  cell.dataset.state = "running";
  const write = (name, text) => {
    const last = output.lastElementChild;
    const block = last?.dataset.stream === name ? last : output.appendChild(stream(name));
    block.textContent += text;
  };
  try {
    const reply = await run(code, { namespace: location.pathname, onStream: write });
    if (reply.error) write("error", reply.error.traceback);
    else if (reply.result !== undefined) write("result", reply.result);
  } catch (error) {
    write("error", String(error.message || error));
  }
  cell.dataset.state = "done";
}

function stream(name) {
  const block = document.createElement("pre");
  block.className = `cl-cell__stream cl-cell__stream--${name}`;
  block.dataset.stream = name;
  return block;
}
