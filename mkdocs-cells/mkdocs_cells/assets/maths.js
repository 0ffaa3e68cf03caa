// The page's math (pymdownx.arithmatex, generic mode), rendered with the site's own KaTeX.
// The build renders it (maths.py), and a page with math links KaTeX's style
// sheet from its head (plugin.py; Material's instant navigation brings the new
// page's head elements along). What the build left as TeX (it had no node) is rendered here,
// also after instant navigation (Material's document$): KaTeX's script is loaded only on pages
// that still have some. The formulas are rendered a few at a time, yielding to the browser in
// between, so that a page with many never freezes (no long task).
const base = new URL("./vendor/katex/", import.meta.url);
let katex = null;

document$.subscribe(() => {
  // A formula KaTeX could not parse is rendered too, as a .katex-error.
  const tex = [...document.querySelectorAll(".arithmatex")]
    .filter((element) => !element.querySelector(".katex, .katex-error"));
  if (tex.length) load().then(() => renderAll(tex));
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
