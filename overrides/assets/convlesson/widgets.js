// Interactive figures. The ```widget NAME``` fence (scripts/widget_fence.py) writes a
// <figure class="cl-widget" data-widget="NAME"> holding a static rendering of the default
// state and the figure's data (JSON in a <template>, computed with convlesson at build). On every page load
// (Material's document$, so also after instant navigation) each figure gets its controls
// from widgets/NAME.js (`mount(stage, data, {width})`, width being the figure's, returning
// `{code(), repaint?()}`) and an "Open as code" button, which puts the code of the figure's
// current state into the runnable cell under it (the cl-set-code event of cell.js) and runs it.
// Figures never wait for Python: everything they show is in the page or computed here.
import { afterPaint, nearestFirst, pending } from "./schedule.js";
import { palette } from "./widgets/colors.js";
import { button, h } from "./widgets/dom.js";

const NAMES = new Set([
  "sliding_1d", "kernel_explorer", "stride_padding", "output_size", "pooling", "network_shapes", "conv_playground",
]);
const live = new Set();

// One figure per task, nearest the screen first: a figure's controls and drawing take a phone
// up to a tenth of a second. Until then the figure shows its static rendering.
document$.subscribe(async () => {
  const figures = [...document.querySelectorAll("figure.cl-widget:not([data-live])")];
  for (const figure of figures) figure.dataset.live = "";
  const modules = new Map(figures.map(({ dataset: { widget: name } }) => [name, pending(load(name))]));
  await afterPaint();
  for (const [n, figure] of nearestFirst(figures, (figure) => figure).entries()) {
    if (n) await afterPaint();
    if (figure.isConnected) mount(figure, await modules.get(figure.dataset.widget));
  }
});

// The palette switch changes the legend's colours: figures that paint with them repaint.
new MutationObserver(() => {
  for (const widget of live) {
    if (!widget.root.isConnected) live.delete(widget);
    else widget.repaint?.();
  }
}).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

function load(name) {
  if (!NAMES.has(name)) throw new Error(`unknown figure "${name}"`);
  return import(`./widgets/${name}.js`);
}

function mount(figure, module) {
  const data = JSON.parse(figure.querySelector("template.cl-widget__data").content.textContent);
  const stage = h("div", { class: "cl-widget__live" });
  const staticView = figure.querySelector(".cl-widget__static");
  // Read before the page changes, while its style and layout are up to date, so neither is
  // computed again: the legend's colours, and the width a figure fits its drawing to.
  palette();
  const width = staticView.clientWidth;
  staticView.after(stage);
  const widget = module.mount(stage, data, { width });
  widget.root = stage;
  live.add(widget);
  const cell = figure.parentElement.querySelector(":scope > .cl-cell");
  if (cell) stage.append(openAsCode(cell, widget));
  staticView.hidden = true;
  figure.dataset.ready = "";
}

function openAsCode(cell, widget) {
  const note = h("span", { class: "cl-widget__note", "aria-live": "polite" });
  const open = button("Open as code", () => {
    cell.dispatchEvent(new CustomEvent("cl-set-code", { detail: { code: widget.code(), run: true } }));
    note.textContent = `This state, as code, is in code cell ${cell.dataset.cell} below.`;
  }, { class: "cl-w-button cl-w-button--code", title: "Put the convlesson code for what the figure shows into the cell below, and run it" });
  return h("div", { class: "cl-widget__footer" }, open, note);
}
