// Compiles the cells' bytecode in Pyodide, run in node at build by runtime.py. Loads Pyodide
// from PYODIDE_INDEX_URL with the PACKAGES (space-separated) installed, runs bytecode.py
// (BYTECODE_PY), and copies the archives it writes (OUT_FILES) into OUT_DIR.
const { loadPyodide } = await import(process.env.PYODIDE_INDEX_URL + "pyodide.mjs");
const fs = await import("node:fs");
const pyodide = await loadPyodide({
  indexURL: process.env.PYODIDE_INDEX_URL, packages: process.env.PACKAGES.split(" "),
  env: { MPLBACKEND: "Agg", PRELOAD: process.env.PRELOAD, STDLIB_EXTRA: process.env.STDLIB_EXTRA },
  stdout: () => {}, stderr: () => {},
});
pyodide.runPython(fs.readFileSync(process.env.BYTECODE_PY, "utf8"));
for (const name of process.env.OUT_FILES.split(" ")) {
  fs.writeFileSync(process.env.OUT_DIR + "/" + name, pyodide.FS.readFile("/out/" + name));
}
