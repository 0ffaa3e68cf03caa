// Renders formulas with the site's KaTeX for maths.py: reads batches of [tex, display] (one JSON
// line each) on stdin and answers each with a JSON line of HTML, null where KaTeX failed other
// than on a TeX error (auto-render would stop there too). Usage: node katex.cjs KATEX_SCRIPT
const katex = require(process.argv[2]);
const lines = require("node:readline").createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const html = JSON.parse(line).map(([tex, display]) => {
    try {
      return katex.renderToString(tex, { displayMode: display, throwOnError: false });
    } catch {
      return null;
    }
  });
  process.stdout.write(JSON.stringify(html) + "\n");
});
