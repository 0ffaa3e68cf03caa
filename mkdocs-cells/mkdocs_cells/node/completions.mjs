// Builds the editor's completion index in Pyodide, run in node at build by completions.py: the
// names the pages' Python really has. Loads Pyodide from PYODIDE_INDEX_URL with PACKAGES and
// the local WHEELS (JSON lists), runs COMPLETIONS_PY's `index(ALIASES)` and prints its JSON.
const { loadPyodide } = await import(process.env.PYODIDE_INDEX_URL + "pyodide.mjs");
const fs = await import("node:fs");
const pyodide = await loadPyodide({
  indexURL: process.env.PYODIDE_INDEX_URL, env: { MPLBACKEND: "Agg" }, stdout: () => {}, stderr: () => {},
});
await pyodide.loadPackage(JSON.parse(process.env.PACKAGES), { messageCallback: () => {} });
await pyodide.loadPackage(JSON.parse(process.env.WHEELS), { messageCallback: () => {} });
pyodide.globals.set("SOURCE", fs.readFileSync(process.env.COMPLETIONS_PY, "utf8"));
pyodide.globals.set("ALIASES", process.env.ALIASES);
process.stdout.write(pyodide.runPython(`
import json, types
completions = types.ModuleType("completions")
completions.__file__ = "completions.py"
exec(compile(SOURCE, "completions.py", "exec"), completions.__dict__)
json.dumps(completions.index(json.loads(ALIASES)), separators=(",", ":"))
`));
