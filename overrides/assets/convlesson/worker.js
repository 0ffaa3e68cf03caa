// The Python side of the page: boots Pyodide, loads the lesson's packages in the background,
// and runs cells one at a time.
//
// In:  {type: "init", indexURL, convlesson, interruptBuffer?}
//      {type: "run", id, code, namespace, cell}
// Out: {type: "progress", step, fraction} as each loading step starts, {type: "ready"},
//      {type: "failed", message}
//      {type: "output", id, kind, payload} while a cell runs, then {type: "done", id, result | error}

// The loading steps in order, each with how far along loading is when it starts (by bytes).
const STEPS = [["Python", 0], ["numpy", 0.52], ["convlesson", 0.64], ["matplotlib", 0.65]];

let pyodide = null;
let runner = null;
let booted = null;
const loaded = {}; // package → promise that resolves once it can be imported
let queue = Promise.resolve();
let interrupt = null;

self.onmessage = ({ data }) => {
  if (data.type === "init") booted = boot(data);
  else if (data.type === "run") queue = queue.then(() => run(data));
};

async function boot({ indexURL, convlesson, interruptBuffer }) {
  try {
    const runnerSource = fetchText(new URL("runner.py", import.meta.url));
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL));
    // numpy is fetched while Pyodide boots. Cells get their own streams; what Python prints
    // outside a cell (warm-up notices) is dropped.
    pyodide = await loadPyodide({ indexURL, packages: ["numpy"], stdout: () => {}, stderr: () => {} });
    if (interruptBuffer) {
      interrupt = new Int32Array(interruptBuffer);
      pyodide.setInterruptBuffer(interrupt);
    }
    runner = pyodide.runPython(await runnerSource);
    done("Python");
  } catch (error) {
    postMessage({ type: "failed", message: errorText(error) });
    return false;
  }
  loadInBackground(convlesson);
  return true;
}

// numpy first (nearly every cell needs it), then convlesson, then matplotlib, whose import
// is the slowest; each is imported ahead so the reader's first run does not pay for it.
async function loadInBackground(convlesson) {
  try {
    loaded.numpy = load("numpy", [], "import numpy");
    loaded.convlesson = loaded.numpy.then(() => load("convlesson", [convlesson], "import convlesson"));
    loaded.matplotlib = loaded.convlesson.then(() =>
      load("matplotlib", ["matplotlib"], "import matplotlib.pyplot"));
    await loaded.matplotlib;
  } catch (error) {
    postMessage({ type: "failed", message: errorText(error) });
  }
}

async function load(name, packages, warmUp) {
  const errors = [];
  if (packages.length) {
    await pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  }
  if (errors.length) throw new Error(`${name} could not be loaded: ${errors.join("; ")}`);
  pyodide.runPython(warmUp);
  done(name);
}

function done(name) {
  const next = STEPS[STEPS.findIndex(([step]) => step === name) + 1];
  if (next) postMessage({ type: "progress", step: next[0], fraction: next[1] });
  else postMessage({ type: "ready" });
}

async function run({ id, code, namespace, cell }) {
  const emit = (kind, payload) => {
    const value = payload?.toJs ? payload.toJs({ dict_converter: Object.fromEntries }) : payload;
    payload?.destroy?.();
    postMessage({ type: "output", id, kind, payload: value });
  };
  try {
    if (!(await booted)) throw new Error("Python could not be loaded");
    await waitForImports(code);
    if (interrupt) interrupt[0] = 0; // a Stop that came after the last run ended
    const reply = runner(code, namespace, cell, emit);
    const result = reply.toJs({ dict_converter: Object.fromEntries });
    reply.destroy();
    postMessage({ type: "done", id, ...result });
  } catch (error) {
    postMessage({ type: "done", id, error: { type: "Error", traceback: errorText(error) } });
  }
}

// Wait for the lesson's packages this code imports; load any other package Pyodide knows.
async function waitForImports(code) {
  let imports = [];
  try {
    const found = pyodide.pyodide_py.code.find_imports(code);
    imports = found.toJs();
    found.destroy();
  } catch {
    return; // a syntax error: the runner reports it
  }
  await Promise.all(imports.map((name) => loaded[name]).filter(Boolean));
  if (imports.some((name) => !(name in loaded))) await pyodide.loadPackagesFromImports(code);
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

function errorText(error) {
  return String(error?.message || error);
}
