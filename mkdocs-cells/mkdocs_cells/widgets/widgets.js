// Interactive figures. The ```widget NAME``` fence (fence.py) writes a
// <figure class="cl-widget" data-widget="NAME"> holding a static rendering of the default
// state and the figure's data (JSON in a <template>, computed with convlesson at build; binary
// arrays are files beside the page, {"bytes": URL}, fetched here). On every page load
// (Material's document$, so also after instant navigation) each figure gets its controls
// from NAME/NAME.js (`mount(stage, data, {width})`, width being the figure's, returning
// `{code(), repaint?()}`) and an "Open as code" button, which puts the code of the figure's
// current state into the runnable cell under it (the cl-set-code event of cell.js) and runs it.
// A figure whose `mount` takes a saved state (`{state}`, see state.js) and whose widget returns
// `state()` also gets a Share button: a link to the page that opens the figure as it is now.
// Figures never wait for Python: everything they show is in the page or computed here.
import { afterPaint, nearestFirst, pending } from "../schedule.js";
import { shareLink, sharedInLink } from "../share.js";
import { palette } from "./colors.js";
import { button, h } from "./dom.js";

const NAMES = new Set([
  "sliding_1d", "kernel_explorer", "stride_padding", "output_size", "pooling", "network_shapes", "conv_playground", "digit_pad",
]);
const live = new Set();

// One figure per task, nearest the screen first: a figure's controls and drawing take a phone
// up to a tenth of a second. Until then the figure shows its static rendering, and so it stays
// if its script or data cannot be loaded.
document$.subscribe(async () => {
  const figures = [...document.querySelectorAll("figure.cl-widget:not([data-live])")];
  for (const figure of figures) figure.dataset.live = "";
  const modules = new Map(figures.map(({ dataset: { widget: name } }) => [name, pending(load(name))]));
  const inputs = new Map(figures.map((figure) => [figure, pending(read(figure))]));
  const shared = sharedInLink();
  const link = shared?.target.startsWith("cl-widget-") ? shared : null;
  await afterPaint();
  for (const [n, figure] of nearestFirst(figures, (figure) => figure).entries()) {
    if (n) await afterPaint();
    try {
      const [module, data] = await Promise.all([modules.get(figure.dataset.widget), inputs.get(figure)]);
      if (!figure.isConnected) continue;
      if (link?.target === figure.id) mountShared(figure, module, data, link);
      else mount(figure, module, data);
    } catch (error) {
      console.error(`The figure "${figure.dataset.widget}" stays as drawn at build: ${error.message}`);
    }
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
  return import(`./${name}/${name}.js`);
}

/** The figure's data, each {"bytes": URL} in it replaced by that file's ArrayBuffer. */
async function read(figure) {
  const files = [];
  const text = figure.querySelector("template.cl-widget__data").content.textContent;
  const data = JSON.parse(text, function (key, value) {
    if (typeof value?.bytes !== "string") return value;
    files.push(fetchBytes(new URL(value.bytes, document.baseURI)).then((buffer) => {
      this[key] = buffer; // `this` is the object holding `key`
    }));
    return value;
  });
  await Promise.all(files);
  return data;
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

/** Mount a figure in the state a share link gives it; with a bad link, in its own, and say so. */
async function mountShared(figure, module, data, link) {
  let note;
  try {
    const text = await link.read();
    let state;
    try {
      state = JSON.parse(text);
    } catch {
      throw new Error("it was damaged (its state is not JSON)");
    }
    mount(figure, module, data, state);
    note = "This figure's settings came from a share link.";
  } catch (error) {
    mount(figure, module, data);
    note = `This share link could not be read: ${error.message}. The figure shows its own settings.`;
  }
  const text = h("p", { class: "cl-widget__shared", role: "status" }, note);
  figure.querySelector(".cl-widget__live").prepend(text);
  figure.scrollIntoView({ block: "start" });
}

function mount(figure, module, data, state) {
  const stage = h("div", { class: "cl-widget__live" });
  const staticView = figure.querySelector(".cl-widget__static");
  // Read before the page changes, while its style and layout are up to date, so neither is
  // computed again: the legend's colours, and the width a figure fits its drawing to.
  palette();
  const width = staticView.clientWidth;
  staticView.after(stage);
  const widget = module.mount(stage, data, { width, state });
  widget.root = stage;
  live.add(widget);
  const cell = figure.parentElement.querySelector(":scope > .cl-cell");
  const footer = h("div", { class: "cl-widget__footer" });
  if (cell) footer.append(...openAsCode(cell, widget));
  if (widget.state) footer.append(...share(figure, widget));
  if (footer.children.length) stage.append(footer);
  staticView.hidden = true;
  figure.dataset.ready = "";
}

function openAsCode(cell, widget) {
  const note = h("span", { class: "cl-widget__note", "aria-live": "polite" });
  const open = button("Open as code", () => {
    cell.dispatchEvent(new CustomEvent("cl-set-code", { detail: { code: widget.code(), run: true } }));
    note.textContent = `This state, as code, is in code cell ${cell.dataset.cell} below.`;
  }, { class: "cl-w-button cl-w-button--code", title: "Put the convlesson code for what the figure shows into the cell below, and run it" });
  return [open, note];
}

function share(figure, widget) {
  const note = h("span", { class: "cl-widget__share-note", "aria-live": "polite" });
  // Made with the first link, as a cell's: an anchor without an href is not a link (and
  // Lighthouse's SEO audit counts it against the page).
  let link = null;
  const make = button("Share", async () => {
    let href;
    try {
      href = await shareLink(figure.id, "state", JSON.stringify(widget.state()));
    } catch (error) {
      note.textContent = error.message;
      return;
    }
    link ??= h("a", { class: "cl-widget__share-link" }, "Share link");
    link.href = href;
    make.after(link);
    try {
      await navigator.clipboard.writeText(link.href);
      note.textContent = "Link copied to the clipboard.";
    } catch {
      note.textContent = "Copying is not allowed here: copy the Share link by hand.";
    }
  }, { class: "cl-w-button", title: "Copy a link that opens this page with the figure as it is now" });
  return [make, note];
}
