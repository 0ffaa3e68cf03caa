// The Python side of the page, in a Web Worker: boots Pyodide, loads the site's packages in the
// background, and runs cells one at a time with runner.py (its build-time twin).
//
// In:  {type: "init", base, interruptBuffer?, ipad, ...settings} (the page's runtime settings,
//      from runtime.py: indexURL, bytecode, overlays, steps, impliesMatplotlib; URLs relative to
//      base; ipad: the page is on an iPad, which workers cannot tell)
//      {type: "run", id, code, namespace, cell}
// Out: {type: "progress", step, fraction} as each loading step starts, {type: "ready", fetched}
//      (fetched: the URLs of the files it loaded, its own script's first),
//      {type: "failed", message}
//      {type: "started", id} when a cell's code begins, {type: "output", id, kind, payload}
//      while it runs, then {type: "done", id, result | error | stopped | fatal}; `fatal`
//      ({type, message}: a title and a sentence) says Python itself ended (os._exit, a crash):
//      this worker can run nothing more
//
// The steps (the plugin's `preload` setting) are imported in order in the background; each
// names the packages it installs, the import that warms it up, the earlier steps it builds on
// and its share of the download. The first step's packages load while Python starts.
//
// Installing a package is not atomic, so everything that touches Python (installs, warm-up
// imports, runs) takes one lock. The background loader queues one step at a time, so a run
// that arrives meanwhile goes before the next step.
//
// `bytecode` is where the build put precompiled .pyc (runtime.py): a standard library with
// .pyc beside its modules, and one overlay of __pycache__ files per step in `overlays`.
// Compiling those modules from source was half of the time to a first figure.
//
// Each step leaves a performance mark ("cells:…") for benchmarks/bench_cells.py.
//
// On a built site (settings.offline: the build's mark), Python starts from a memory snapshot
// (snapshot.js) kept in Cache Storage under the build's mark, with every step in. Without
// one, Python starts the usual way and, once ready on a return visit (settings.returning: a
// reader who came once pays nothing for it, neither a second Python's start nor 100 MB of
// disk), starts a second worker of this script (snapshot-maker.js, {snapshotMaker: true})
// that loads the steps in a Python no cell has touched, keeps its snapshot and ends. A snapshot
// that fails to start is deleted and Python starts the usual way. Snapshots are made in
// Chromium only, with Pyodide from the site, on pages not cross-origin isolated
// (makesSnapshots).

import {
  forgetSnapshot, keepSnapshot, keptSnapshot, makeSnapshot, snapshotKey, startFromSnapshot, startRecording,
} from "./snapshot.js";

// Pyodide's matplotlib recipe also depends on these, which matplotlib never imports (the
// cells draw with Agg, not matplotlib-pyodide's page canvas): they load if a cell imports them.
const NOT_FOR_MATPLOTLIB = ["pytz", "matplotlib-pyodide"];

const SITE_PACKAGES = "/lib/python3.12/site-packages"; // Pyodide 0.27 is Python 3.12

let pyodide = null;
let runner = null;
let booted = null;
let interrupt = null;
let bytecodeURL = null;
let overlaySteps = []; // the steps with an overlay of precompiled .pyc
let weights = {}; // step → its share of the download (MB); "Python" for the start
let requires = {}; // step → the steps it builds on
let impliesMatplotlib = null; // code that needs matplotlib without importing it
const overlays = {}; // step → promise of its bytecode overlay (bytes, or null if unavailable)
const loaded = {}; // step → promise that resolves once it is installed and imported once
let pending = []; // background steps not begun yet, in the order they will be
let lockURL = null;
let lockFile = null; // promise of Pyodide's lock file: which files a step installs
const prefetched = new Map(); // URL → promise of the response, for Pyodide's own fetch of it
const integrity = new Map(); // URL of a package file → its sha256, as fetch's integrity
let fraction = 0; // of all bytes, loaded so far
let lock = Promise.resolve();
let runs = Promise.resolve();
const MAKER = new URL("snapshot-maker.js", import.meta.url);
let snapshotURL = null; // this build's snapshot's key (snapshot.js); null: no snapshot
let recording = null; // in a snapshot maker: the libraries Python loaded (snapshot.js)
let makeSnapshotLater = null; // starts the snapshot maker, once this worker is ready
let restored = false; // Python started from a snapshot

// `js.close()` in a cell would end this worker without an event the page could notice: it
// raises in the cell instead, and Python goes on.
self.close = () => {
  throw new Error("close() would end the page's Python; a cell cannot close its worker");
};

// Package files fetched ahead of their step (see prefetch) are handed to Pyodide's fetch;
// a package file it fetches by URL is checked against the lock's sha256 as by name.
const networkFetch = self.fetch.bind(self);
self.fetch = (input, init) => {
  const url = String(input);
  const ahead = prefetched.get(url);
  if (ahead) {
    prefetched.delete(url);
    return ahead;
  }
  const sha = integrity.get(url);
  return networkFetch(input, sha && !init?.integrity ? { ...init, integrity: sha } : init);
};

self.onmessage = ({ data }) => {
  if (data.type === "init") booted = boot(data);
  else if (data.type === "run") runs = runs.then(() => run(data));
};

function exclusive(task) {
  const result = lock.then(task);
  lock = result.catch(() => {});
  return result;
}

async function boot({ base, interruptBuffer, ipad, ...settings }) {
  mark("boot");
  postMessage({ type: "progress", step: "Python", fraction: 0 }); // the page hears the worker is alive
  if (ipad) presentAsIPad();
  // The page's settings hold URLs relative to the page: resolve them against it.
  const absolute = (url) => new URL(url, base).href;
  const indexURL = absolute(settings.indexURL);
  const bytecode = settings.bytecode && absolute(settings.bytecode);
  const [first, ...later] = settings.steps.map((step) => ({
    ...step, packages: step.packages.map((p) => (p.endsWith(".whl") ? absolute(p) : p)),
  }));
  overlaySteps = settings.overlays;
  // The first step's download counts with Python's, whose start fetches it.
  weights = Object.fromEntries([["Python", first.mb], [first.name, 0], ...later.map((step) => [step.name, step.mb])]);
  requires = Object.fromEntries(settings.steps.map((step) => [step.name, step.requires]));
  const words = settings.impliesMatplotlib;
  impliesMatplotlib = words.length ? new RegExp(`\\b(${words.join("|")})\\b`) : null;
  try {
    const runnerSource = fetchText(new URL("runner.py", import.meta.url));
    const magicsSource = fetchText(new URL("magics.py", import.meta.url)); // IPython syntax, for runner.py
    bytecodeURL = bytecode;
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL));
    // Cells get their own streams; what Python prints outside a cell (warm-up notices) is dropped.
    const options = {
      indexURL,
      ...(bytecode && { stdLibURL: new URL("stdlib.zip", bytecode).href }),
      stdout: () => {},
      stderr: () => {},
    };
    if (settings.offline && self.caches) {
      snapshotURL = snapshotKey(settings.offline, absolute);
      if (!settings.snapshotMaker) pyodide = await fromSnapshot(loadPyodide, options);
    }
    restored = Boolean(pyodide);
    if (!pyodide) {
      fetchBytecode(first.name); // while Python starts
      // The first step's packages are fetched while Pyodide boots.
      const start = { ...options, packages: first.packages };
      if (settings.snapshotMaker) ({ pyodide, libraries: recording } = await startRecording(loadPyodide, start));
      else pyodide = await loadPyodide(start);
      if (snapshotURL && settings.returning && !settings.snapshotMaker && makesSnapshots(indexURL)) {
        makeSnapshotLater = () => startSnapshotMaker({ ...settings, base, ipad, snapshotMaker: true });
      }
    }
    if (interruptBuffer) interrupt = new Int32Array(interruptBuffer);
    pyodide.FS.writeFile("cells_runner.py", await runnerSource); // in the working directory, on sys.path
    pyodide.FS.writeFile("cells_magics.py", await magicsSource);
    runner = pyodide.pyimport("cells_runner").install();
    runner.packages = pyodide.toPy(settings.packages ?? null);
    done("Python");
  } catch (error) {
    postMessage({ type: "failed", message: errorText(error) });
    return false;
  }
  if (restored) {
    // Started from the snapshot: every step is in.
    for (const { name } of settings.steps) {
      loaded[name] = Promise.resolve();
      done(name);
    }
    announceReady();
    warmUp(); // as after the usual start: the snapshot is of Python before it
    return true;
  }
  lockURL = new URL("pyodide-lock.json", indexURL);
  lockFile = networkFetch(lockURL).then((response) => response.json()); // Pyodide's, from the cache
  lockFile.catch(() => {}); // then the steps install by name
  const fetching = prefetch(later.map((step) => step.name), later.flatMap((step) => step.packages));
  loadInBackground([{ ...first, packages: [] }, ...later], fetching);
  return true;
}

// The steps in order (here numpy, which nearly every cell needs, then convlesson, then
// matplotlib, whose import is the slowest); each is imported ahead so the reader's first run
// does not pay for it. A run that needs a later step moves it (and what it requires) to the
// front: a reader who runs a plot first does not wait for convlesson.
async function loadInBackground(steps, fetching) {
  pending = steps.map(({ name, packages, import: warmUp }) => {
    let settle;
    loaded[name] = new Promise((resolve, reject) => (settle = { resolve, reject }));
    loaded[name].catch(() => {}); // runs that need it see the error
    return { name, packages, warmUp, ...settle };
  });
  while (pending.length) {
    // Wait one task first, so a run whose steps just became ready takes the lock before the next.
    await nextTask();
    const step = pending.shift();
    progress(step.name);
    if (step.packages.length) await fetching; // so the install finds its files on the way
    try {
      await exclusive(() => install(step));
      step.resolve();
    } catch (error) {
      for (const failed of [step, ...pending.splice(0)]) failed.reject(error);
      postMessage({ type: "failed", message: errorText(error) });
      return;
    }
  }
  announceReady();
  // A snapshot maker keeps Python as the steps left it: no warm-up figure (nor its open fonts).
  if (recording) return postMessage({ type: "snapshot", kept: await keepOwnSnapshot() });
  await warmUp();
  makeSnapshotLater?.();
}

function announceReady() {
  // What it fetched, for the page to have the service worker keep (offline.js), and the
  // snapshot maker's script, which a later visit may start without the network.
  const fetched = performance.getEntriesByType("resource").map((entry) => entry.name);
  const maker = snapshotURL && !recording ? [MAKER.href] : [];
  postMessage({ type: "ready", fetched: [self.location.href, ...maker, ...fetched] });
}

/** The first figure's one-time costs (runner.py's warm_up), after any run already waiting. */
async function warmUp() {
  await nextTask();
  await exclusive(() => runner.warm_up()).catch(() => {});
  mark("warm-up");
}

/** Python from this build's snapshot, or null (none kept, or it failed: then it is deleted). */
async function fromSnapshot(loadPyodide, options) {
  try {
    const kept = await keptSnapshot(snapshotURL);
    if (!kept) return null;
    const started = await startFromSnapshot(loadPyodide, options, await kept.arrayBuffer());
    // Each visit its own random numbers (the snapshot's generators are seeded alike); calling
    // numpy's also checks that its libraries answer.
    started.runPython("import random, sys\nrandom.seed()\nif 'numpy' in sys.modules: sys.modules['numpy'].random.seed()");
    mark("snapshot");
    return started;
  } catch {
    mark("snapshot failed");
    await forgetSnapshot(snapshotURL).catch(() => {});
    return null;
  }
}

/** Whether this browser and page make snapshots: Pyodide from this site, not cross-origin
 * isolated (a nested worker's requests are not the page's there), and Chromium (the engine
 * with `navigator.userAgentData`), the one snapshots were tested in: in Firefox ESR the
 * maker's start stalled the page's Python mid-run in about one reader's journey in three. */
function makesSnapshots(indexURL) {
  const ownPyodide = new URL(indexURL).origin === self.location.origin;
  return ownPyodide && !self.crossOriginIsolated && typeof Worker === "function" && "userAgentData" in navigator;
}

/** A snapshot maker: this script in a worker of its own, which ends once it has kept one. */
function startSnapshotMaker(init) {
  const maker = new Worker(MAKER, { type: "module" });
  maker.onmessage = ({ data }) => ["snapshot", "failed"].includes(data.type) && maker.terminate();
  maker.onerror = (event) => {
    event.preventDefault(); // not this worker's error: the page's Python goes on
    maker.terminate();
  };
  maker.postMessage(init);
}

/** In a snapshot maker, keep a snapshot of Python as it is now (every step in, no cell run),
 * in place of the build's older ones; whether it could. */
async function keepOwnSnapshot() {
  try {
    await keepSnapshot(snapshotURL, makeSnapshot(pyodide, recording));
    mark("snapshot kept");
    return true;
  } catch {
    return false; // Python holds something a snapshot cannot keep: the usual start goes on
  }
}

/**
 * Start downloading the packages (and their dependencies) that later steps install, so
 * their installs need not wait for the network. Only Python is busy meanwhile: the
 * downloads overlap the numpy step and the reader's first runs.
 */
async function prefetch(steps, names) {
  for (const step of steps) fetchBytecode(step);
  try {
    const { packages } = await lockFile;
    const wanted = new Set();
    const add = (name) => {
      if (!packages[name] || wanted.has(name) || name in pyodide.loadedPackages) return;
      if (NOT_FOR_MATPLOTLIB.includes(name)) return;
      wanted.add(name);
      packages[name].depends.forEach(add);
    };
    names.forEach(add);
    for (const name of wanted) {
      const url = fileURL(packages[name]);
      // The same request Pyodide makes, with the same integrity check.
      const response = networkFetch(url, { integrity: integrity.get(url) });
      response.catch(() => {}); // a failure is Pyodide's to report, when it installs the package
      prefetched.set(url, response);
    }
  } catch {
    // the steps fetch their packages themselves
  }
}

/**
 * What `loadPackage` gets for a step. matplotlib itself is named by its file's URL, so that
 * Pyodide installs its dependencies but not those of NOT_FOR_MATPLOTLIB; the others by name.
 */
async function packagesOf({ name, packages }) {
  if (name !== "matplotlib") return packages;
  try {
    const { packages: lock } = await lockFile;
    const needed = lock.matplotlib.depends.filter((dependency) => !NOT_FOR_MATPLOTLIB.includes(dependency));
    return [...needed, fileURL(lock.matplotlib)];
  } catch {
    return packages;
  }
}

/** The URL of a lock entry's file, registered so that every fetch of it checks its sha256. */
function fileURL(entry) {
  const url = new URL(entry.file_name, lockURL).href;
  integrity.set(url, `sha256-${hexToBase64(entry.sha256)}`);
  return url;
}

function hexToBase64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((byte) => parseInt(byte, 16))));
}

/** Begin the steps in `names` (and those they require) before the others still pending. */
function demand(names) {
  const wanted = new Set(names.flatMap((name) => [...requires[name], name]));
  pending = [...pending.filter((s) => wanted.has(s.name)), ...pending.filter((s) => !wanted.has(s.name))];
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function install(step) {
  const { name, warmUp } = step;
  fetchBytecode(name); // if not fetched yet: while the packages are
  const packages = await packagesOf(step);
  const errors = [];
  if (packages.length) {
    await pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  }
  if (errors.length) throw new Error(`${name} could not be loaded: ${errors.join("; ")}`);
  mark(`${name} installed`);
  await unpackBytecode(name);
  mark(`${name} bytecode`);
  pyodide.runPython(warmUp);
  done(name);
}

/** Start fetching a step's overlay of precompiled .pyc, if the build made one. */
function fetchBytecode(name) {
  if (!bytecodeURL || !overlaySteps.includes(name)) return;
  // Without it Python compiles the modules from source: slower, nothing else.
  overlays[name] ??= fetchBytes(new URL(`${name}.zip`, bytecodeURL)).catch(() => null);
}

/** Put the step's precompiled .pyc beside its installed modules (after the install, which
 * would overwrite matplotlib's font list). */
async function unpackBytecode(name) {
  const bytes = await overlays[name];
  if (!bytes?.byteLength) return;
  try {
    pyodide.unpackArchive(bytes, "zip", { extractDir: SITE_PACKAGES });
  } catch {
    // an unreadable overlay only costs time
  }
}

function done(name) {
  mark(name);
  fraction += weights[name] / Object.values(weights).reduce((a, b) => a + b);
}

function progress(name) {
  postMessage({ type: "progress", step: name, fraction: Math.min(fraction, 0.99) });
}

/**
 * Pyodide 0.27 crashes iPadOS 18 Safari (pyodide#5670): its wasm-gc work-around in
 * pyodide.asm.js engages where `/iPad|iPhone|iPod/.test(navigator.platform)`, and iPadOS says
 * "MacIntel". The upstream fix (python/cpython#135388, Pyodide 0.28) also counts "MacIntel"
 * with more than one touch point; the page checks that (runtime.js) and this worker then
 * shows Pyodide the platform the test expects, leaving Pyodide's verified files untouched.
 */
function presentAsIPad() {
  Object.defineProperty(navigator, "platform", { value: "iPad", configurable: true });
  mark("ipad work-around");
}

async function run({ id, code, namespace, cell }) {
  const emit = (kind, payload) => {
    const value = payload?.toJs ? payload.toJs({ dict_converter: Object.fromEntries }) : payload;
    payload?.destroy?.();
    postMessage({ type: "output", id, kind, payload: value });
  };
  try {
    if (!(await booted)) throw new Error("Python could not be loaded");
    const steps = needs(code);
    demand(steps);
    await Promise.all(steps.map((name) => loaded[name]));
    const reply = await exclusive(async () => {
      // Any other package Pyodide knows (found in the code as the runner reads it: IPython
      // syntax included); code that does not parse is left to the runner to report.
      const imports = steps.all.map((name) => `import ${name}`).join("\n");
      await pyodide.loadPackagesFromImports(imports).catch(() => {});
      if (interrupt?.[0] === 2) {
        interrupt[0] = 0; // stopped before it began: the page has moved on already
        return null;
      }
      postMessage({ type: "started", id });
      mark("run");
      // Stop interrupts the reader's code only, never a background install or warm-up.
      if (interrupt) pyodide.setInterruptBuffer(interrupt);
      try {
        return runner.run(code, namespace, cell, emit);
      } finally {
        if (interrupt) pyodide.setInterruptBuffer(undefined);
      }
    });
    if (!reply) return postMessage({ type: "done", id, stopped: true });
    const result = reply.toJs({ dict_converter: Object.fromEntries });
    reply.destroy();
    postMessage({ type: "done", id, ...result });
  } catch (error) {
    if (error?.pyodide_fatal_error) postMessage({ type: "done", id, fatal: fatalText(error) });
    else postMessage({ type: "done", id, error: { type: "Error", traceback: errorText(error) } });
  }
}

/** What ended Python: an exit (os._exit, C's exit) or a crash (a WebAssembly trap, an
 * abort, a fatal error in Pyodide). */
function fatalText(error) {
  if (error.name === "Exit" || typeof error.status === "number") {
    return {
      type: "Python exited",
      message: `Python exited with status ${error.status}: os._exit() ends Python itself, not just the cell.`,
    };
  }
  // Emscripten's advice to its own developers ("Build with -sASSERTIONS…") means nothing to a reader.
  const message = error.message.replace(/\.? Build with -s\w+ for more info\.?$/, "");
  return { type: "Python crashed", message: `Python crashed (${error.name}: ${message}).` };
}

/** The background packages this code needs before it can run (`all`: every module it imports). */
function needs(code) {
  const found = runner.imports(code); // [] for a syntax error: the runner reports it
  const imports = found.toJs();
  found.destroy();
  if (impliesMatplotlib?.test(code)) imports.push("matplotlib");
  return Object.assign(imports.filter((name) => name in loaded), { all: imports });
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function mark(name) {
  performance.mark(`cells:${name}`);
}

function errorText(error) {
  return String(error?.message || error);
}
