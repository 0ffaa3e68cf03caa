// The Python side of the page: boots Pyodide, loads the lesson's packages in the background,
// and runs cells one at a time.
//
// In:  {type: "init", indexURL, convlesson, interruptBuffer?}
//      {type: "run", id, code, namespace, cell}
// Out: {type: "progress", step, fraction} as each loading step starts, {type: "ready"},
//      {type: "failed", message}
//      {type: "started", id} when a cell's code begins, {type: "output", id, kind, payload}
//      while it runs, then {type: "done", id, result | error | stopped}
//
// Installing a package is not atomic, so everything that touches Python (installs, warm-up
// imports, runs) takes one lock. The background loader queues one step at a time, so a run
// that arrives meanwhile goes before the next step.

// The loading steps in order, each with how far along loading is when it starts (by bytes).
const STEPS = [["Python", 0], ["numpy", 0.52], ["convlesson", 0.64], ["matplotlib", 0.65]];

// Code that reaches matplotlib through convlesson without importing it (cl.images.photo reads
// matplotlib's sample photo; cl.plots draws with it).
const NEEDS_MATPLOTLIB = /\b(images|plots)\b/;

let pyodide = null;
let runner = null;
let booted = null;
let interrupt = null;
const loaded = {}; // package → promise that resolves once it is installed and imported once
let lock = Promise.resolve();
let runs = Promise.resolve();

self.onmessage = ({ data }) => {
  if (data.type === "init") booted = boot(data);
  else if (data.type === "run") runs = runs.then(() => run(data));
};

function exclusive(task) {
  const result = lock.then(task);
  lock = result.catch(() => {});
  return result;
}

async function boot({ indexURL, convlesson, interruptBuffer }) {
  try {
    const runnerSource = fetchText(new URL("runner.py", import.meta.url));
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL));
    // numpy is fetched while Pyodide boots. Cells get their own streams; what Python prints
    // outside a cell (warm-up notices) is dropped.
    pyodide = await loadPyodide({ indexURL, packages: ["numpy"], stdout: () => {}, stderr: () => {} });
    if (interruptBuffer) interrupt = new Int32Array(interruptBuffer);
    runner = pyodide.runPython(await runnerSource);
    done("Python");
  } catch (error) {
    postMessage({ type: "failed", message: errorText(error) });
    return false;
  }
  loadInBackground([
    ["numpy", [], "import numpy"],
    ["convlesson", [convlesson], "import convlesson"],
    ["matplotlib", ["matplotlib"], "import matplotlib.pyplot"],
  ]);
  return true;
}

// numpy first (nearly every cell needs it), then convlesson, then matplotlib, whose import
// is the slowest; each is imported ahead so the reader's first run does not pay for it.
function loadInBackground(steps) {
  let previous = Promise.resolve();
  for (const [name, packages, warmUp] of steps) {
    // Wait one task first, so a run whose packages just became ready takes the lock before it.
    loaded[name] = previous.then(nextTask).then(() => exclusive(() => install(name, packages, warmUp)));
    previous = loaded[name];
  }
  previous.catch((error) => postMessage({ type: "failed", message: errorText(error) }));
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function install(name, packages, warmUp) {
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
    await Promise.all(needs(code).map((name) => loaded[name]));
    const reply = await exclusive(async () => {
      // Any other package Pyodide knows; code that does not parse is left to the runner to report.
      await pyodide.loadPackagesFromImports(code).catch(() => {});
      if (interrupt?.[0] === 2) {
        interrupt[0] = 0; // stopped before it began: the page has moved on already
        return null;
      }
      postMessage({ type: "started", id });
      // Stop interrupts the reader's code only, never a background install or warm-up.
      if (interrupt) pyodide.setInterruptBuffer(interrupt);
      try {
        return runner(code, namespace, cell, emit);
      } finally {
        if (interrupt) pyodide.setInterruptBuffer(undefined);
      }
    });
    if (!reply) return postMessage({ type: "done", id, stopped: true });
    const result = reply.toJs({ dict_converter: Object.fromEntries });
    reply.destroy();
    postMessage({ type: "done", id, ...result });
  } catch (error) {
    postMessage({ type: "done", id, error: { type: "Error", traceback: errorText(error) } });
  }
}

/** The background packages this code needs before it can run. */
function needs(code) {
  let imports = [];
  try {
    const found = pyodide.pyodide_py.code.find_imports(code);
    imports = found.toJs();
    found.destroy();
  } catch {
    // a syntax error: the runner reports it
  }
  if (NEEDS_MATPLOTLIB.test(code)) imports.push("matplotlib");
  return imports.filter((name) => name in loaded);
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

function errorText(error) {
  return String(error?.message || error);
}
