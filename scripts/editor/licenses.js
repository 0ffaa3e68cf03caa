// Writes the licences of every package bundled into codemirror.js next to it.
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const modules = "node_modules";
const packages = readdirSync(modules).flatMap((name) =>
  name.startsWith("@") ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name],
).filter((name) => !name.startsWith(".") && !name.includes("esbuild"));

const sections = packages.sort().map((name) => {
  const dir = join(modules, name);
  const { version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${license}`;
  return `${name}@${version} (${license})\n\n${text}\n`;
});

const header = "Third-party code bundled into codemirror.js (built by scripts/editor).\n";
writeFileSync("../../overrides/assets/convlesson/vendor/codemirror.LICENSE.txt",
  [header, ...sections].join("\n" + "-".repeat(72) + "\n\n"));
console.log(`licences of ${packages.length} packages written`);
