// Renders the page's math (pymdownx.arithmatex, generic mode) with the site's own KaTeX.
// KaTeX is loaded only on pages that have math, and the math is rendered again after
// instant navigation (Material's document$).
const base = new URL("./vendor/katex/", import.meta.url);
let katex = null;

document$.subscribe(() => {
  const math = document.querySelectorAll(".arithmatex");
  if (math.length) load().then(() => math.forEach(render));
});

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
