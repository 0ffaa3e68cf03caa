// Writes the licences of every package the site serves from vendor/ next to them.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const modules = "node_modules";
// Used to build, or by a command-line tool of a package, but never served.
const BUILD_ONLY = ["esbuild", "commander"];
const packages = readdirSync(modules).flatMap((name) =>
  name.startsWith("@") ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name],
).filter((name) => !name.startsWith(".") && !BUILD_ONLY.some((tool) => name.includes(tool)));

const sections = packages.sort().map((name) => {
  const dir = join(modules, name);
  const { version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${license}`;
  return `${name}@${version} (${license})\n\n${text}\n`;
});

const header = "Third-party code served from this folder (codemirror.js, katex/), built by mkdocs-cells/vendor.\n";
writeFileSync("../mkdocs_cells/assets/vendor/THIRD-PARTY-LICENSES.txt",
  [header, ...sections].join("\n" + "-".repeat(72) + "\n\n"));
console.log(`licences of ${packages.length} packages written`);
