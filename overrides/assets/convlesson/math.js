// Renders the page's math (pymdownx.arithmatex, generic mode) with the site's own KaTeX.
// KaTeX is loaded only on pages that have math, and the math is rendered again after
// instant navigation (Material's document$). The formulas are rendered a few at a time,
// yielding to the browser in between, so that a page with many never freezes (no long task).
const base = new URL("./vendor/katex/", import.meta.url);
let katex = null;

document$.subscribe(() => {
  const math = document.querySelectorAll(".arithmatex");
  if (math.length) load().then(() => renderAll(math));
});

const BUDGET_MS = 8; // of rendering between two yields to the browser

async function renderAll(elements) {
  let start = performance.now();
  for (const element of elements) {
    if (!element.isConnected) return; // the reader has moved on (instant navigation)
    render(element);
    if (performance.now() - start > BUDGET_MS) {
      await new Promise((resolve) => setTimeout(resolve));
      start = performance.now();
    }
  }
}

function load() {
  katex ??= (async () => {
    const style = Object.assign(document.createElement("link"), { rel: "stylesheet", href: new URL("katex.min.css", base) });
    document.head.append(style);
    await script("katex.min.js");
    await script("auto-render.min.js");
  })();
  return katex;
}

function script(name) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement("script"), { src: new URL(name, base) });
    element.onload = resolve;
    element.onerror = () => reject(new Error(`${name} could not be loaded`));
    document.head.append(element);
  });
}

function render(element) {
  renderMathInElement(element, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
}
