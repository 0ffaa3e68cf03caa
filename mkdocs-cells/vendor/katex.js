// Copies the parts of KaTeX the site serves (script, auto-render, CSS, woff2 fonts) into
// mkdocs-cells/mkdocs_cells/assets/vendor/katex/. Every browser the site supports reads woff2,
// so the other font formats are left out.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const from = "node_modules/katex/dist";
const to = "../mkdocs_cells/assets/vendor/katex";
mkdirSync(join(to, "fonts"), { recursive: true });
for (const file of ["katex.min.js", "contrib/auto-render.min.js"]) {
  copyFileSync(join(from, file), join(to, file.split("/").pop()));
}
// font-display: swap, so text shows at once and math re-renders when its fonts arrive. The
// woff and ttf fallbacks go from the CSS too: it must name only files the site has
// (mkdocs_cells/testing/links.py checks).
const css = readFileSync(join(from, "katex-swap.min.css"), "utf8")
  .replace(/,url\(fonts\/[\w-]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g, "");
if (/\.(woff|ttf)\)/.test(css)) throw new Error("katex.min.css still names woff or ttf fonts");
writeFileSync(join(to, "katex.min.css"), css);
const fonts = readdirSync(join(from, "fonts")).filter((name) => name.endsWith(".woff2"));
for (const font of fonts) copyFileSync(join(from, "fonts", font), join(to, "fonts", font));
console.log(`KaTeX: script, auto-render, CSS and ${fonts.length} woff2 fonts copied`);
