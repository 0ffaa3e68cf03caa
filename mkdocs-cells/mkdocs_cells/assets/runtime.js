// The page's handle on the Python worker: one per tab, shared by every cell, and kept across
// Material's instant navigation (this module is evaluated once per tab). Requests carry an
// id; the worker's replies resolve the matching promise.

const listeners = new Set();
const pending = new Map();
let worker = null;
let interrupt = null;
let nextId = 0;

/** Bumped each time Python restarts: namespaces from an older generation are gone. */
export let generation = 0;

/** {state: "idle" | "loading" | "ready" | "failed", step?, fraction?, message?} */
export let status = { state: "idle" };

/** Call `listener(status)` now and on every change; returns an unsubscribe function. */
export function onStatus(listener) {
  listeners.add(listener);
  listener(status);
  return () => listeners.delete(listener);
}

function setStatus(next) {
  status = next;
  for (const listener of listeners) listener(status);
}

/** The page's runtime settings (written by the plugin: runtime.py); the worker resolves
 * them against `base`. */
function settings() {
  return { ...JSON.parse(document.getElementById("cells-runtime").textContent), base: document.baseURI };
}

/** Start Python if it is not running (or loading) yet. */
export function start() {
  if (worker) return;
  performance.mark("cells:start");
  generation += 1;
  worker = new Worker(new URL("./runner.js", import.meta.url), { type: "module" });
  // Where the page is cross-origin isolated, Stop can interrupt Python and keep its state.
  const shared = self.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  interrupt = shared && new Int32Array(shared);
  worker.onmessage = ({ data }) => receive(data);
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message || "the Python worker could not start");
  };
  setStatus({ state: "loading", step: "Python", fraction: 0 });
  worker.postMessage({ type: "init", ...settings(), interruptBuffer: shared });
}

function receive(data) {
  if (data.type === "progress") {
    if (status.state === "loading") setStatus({ state: "loading", step: data.step, fraction: data.fraction });
  } else if (data.type === "ready") setStatus({ state: "ready" });
  else if (data.type === "failed") fail(data.message);
  else {
    const request = pending.get(data.id);
    if (data.type === "started" && request) request.started = true;
    else if (data.type === "output") request?.onOutput(data.kind, data.payload);
    else if (data.type === "done") settle(data.id, data);
  }
}

function settle(id, reply) {
  const request = pending.get(id);
  pending.delete(id);
  request?.resolve(reply);
}

function fail(message) {
  stopWorker({ error: { type: "LoadError", traceback: `Python could not load: ${message}` } });
  setStatus({ state: "failed", message });
}

function stopWorker(reply) {
  worker?.terminate();
  worker = null;
  for (const id of [...pending.keys()]) settle(id, reply);
}

/**
 * Run `code` as cell `cell` in the namespace `namespace`, passing output to
 * `onOutput(kind, payload)` as it comes. Resolves with `{result}`, `{error}` or
 * `{stopped, restarted}`, plus the `generation` the code ran in.
 */
export function run({ code, namespace, cell, onOutput }) {
  start();
  const id = ++nextId;
  const ranIn = generation;
  return new Promise((resolve) => {
    pending.set(id, { resolve: (reply) => resolve({ ...reply, generation: ranIn }), onOutput });
    worker.postMessage({ type: "run", id, code, namespace, cell });
  });
}

/**
 * Stop the running code. With an interrupt buffer Python gets a KeyboardInterrupt and keeps
 * its state (and code still waiting for its turn is cancelled before it begins); code that
 * does not return within half a second (or any code, on hosts without cross-origin
 * isolation) is stopped by restarting the worker.
 */
export async function stop() {
  if (!pending.size) return;
  if (interrupt) {
    interrupt[0] = 2; // SIGINT, or "do not start" for code still waiting
    const waiting = [...pending].filter(([, request]) => !request.started);
    if (waiting.length === pending.size) {
      for (const [id] of waiting) settle(id, { stopped: true });
      return;
    }
    const deadline = performance.now() + 500;
    while (pending.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!pending.size) {
      interrupt[0] = 0; // handled: the next run must not see it
      return;
    }
  }
  stopWorker({ stopped: true, restarted: true });
  start();
}

/** After a failed start: try again from scratch. */
export function retry() {
  stopWorker({ stopped: true, restarted: true });
  start();
}
