// The page's handle on the Python worker: one per tab, shared by every cell, and kept across
// Material's instant navigation (this module is evaluated once per tab). Requests carry an
// id; the worker's replies resolve the matching promise.

const listeners = new Set();
const pending = new Map();
let worker = null;
let interrupt = null;
let nextId = 0;
let booted = false; // Python had started in the current worker
let heard = false; // the current worker has answered

// A page that a service worker answered as it loaded is a return visit (read before the worker
// of a first visit takes over): runner.js then keeps a snapshot of Python for the next visits.
const returning = Boolean(navigator.serviceWorker?.controller);

// How long a new worker may stay silent before the page gives up on it (it answers at once).
const SILENCE_MS = 10_000;

/** Bumped each time Python restarts: namespaces from an older generation are gone. */
export let generation = 0;

/** {state: "idle" | "loading" | "ready" | "failed", step?, fraction?, message?, fetched?} */
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
export function settings() {
  return { ...JSON.parse(document.getElementById("cells-runtime").textContent), base: document.baseURI };
}

/** Start Python if it is not running (or loading) yet. */
export function start() {
  if (worker) return;
  performance.mark("cells:start");
  generation += 1;
  booted = false;
  heard = false;
  setStatus({ state: "loading", step: "Python", fraction: 0 });
  try {
    worker = new Worker(new URL("./runner.js", import.meta.url), { type: "module" });
  } catch (error) {
    return fail(String(error?.message || error));
  }
  worker.onmessage = ({ data }) => receive(data);
  worker.onerror = (event) => {
    event.preventDefault();
    lost(event.message || "the Python worker stopped");
  };
  interrupt = interruptBuffer();
  const init = { type: "init", ...settings(), ipad: isIPad(), returning };
  try {
    worker.postMessage({ ...init, interruptBuffer: interrupt?.buffer });
  } catch {
    interrupt = null; // the engine cannot share the buffer: Stop restarts instead
    worker.postMessage(init);
  }
  // A worker that never answers (its script blocked, an engine without module workers) must
  // not leave the cells loading for ever: the reader gets the message and Retry instead.
  const silent = worker;
  setTimeout(() => silent === worker && !heard && fail("the Python worker did not answer"), SILENCE_MS);
}

/**
 * Where the page is cross-origin isolated, Stop can interrupt Python through shared memory
 * and keep its state. Feature-detected, not inferred: WebKitGTK reports crossOriginIsolated
 * but has no SharedArrayBuffer.
 */
function interruptBuffer() {
  if (!self.crossOriginIsolated || typeof SharedArrayBuffer !== "function") return null;
  try {
    return new Int32Array(new SharedArrayBuffer(4));
  } catch {
    return null;
  }
}

/** iPadOS reports the platform of a Mac; only its touch points give it away, and workers
 * cannot see those (runner.js needs to know: Pyodide 0.27 crashes on iPad otherwise). */
function isIPad() {
  return navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1;
}

function receive(data) {
  heard = true;
  if (data.type === "progress") {
    if (data.step !== "Python") booted = true;
    if (status.state === "loading") setStatus({ state: "loading", step: data.step, fraction: data.fraction });
  } else if (data.type === "ready") {
    booted = true;
    setStatus({ state: "ready", fetched: data.fetched });
  } else if (data.type === "failed") fail(data.message);
  else {
    const request = pending.get(data.id);
    if (data.type === "started" && request) request.started = true;
    else if (data.type === "output") request?.onOutput(data.kind, data.payload);
    else if (data.type === "done" && data.fatal) crashed(data.id, data.fatal);
    else if (data.type === "done") settle(data.id, data);
  }
}

/** The worker died (an uncaught error): while Python was starting, loading failed; once it
 * had started, it crashed, and a new one takes its place. */
function lost(message) {
  if (!booted) return fail(message);
  crashed(null, { type: "Python crashed", message: `The Python worker crashed (${message}).` });
}

/** Python can no longer be used: the running cell says why, and a new Python starts, as
 * after Stop (the page runs the earlier cells again before the next run). */
function crashed(id, reason) {
  if (id !== null) settle(id, { crashed: reason });
  stopWorker({ crashed: reason });
  start();
}

function settle(id, reply) {
  const request = pending.get(id);
  pending.delete(id);
  // The KeyboardInterrupt that Stop raised is the reader's Stop, not an error of their code.
  const interrupted = request?.stopping && reply.error?.type === "KeyboardInterrupt";
  request?.resolve(interrupted ? { stopped: true, interrupted: { line: reply.error.line } } : reply);
}

function loadError(message) {
  return { error: { type: "LoadError", traceback: `Python could not load: ${message}` } };
}

function fail(message) {
  stopWorker(loadError(message));
  setStatus({ state: "failed", message });
}

function stopWorker(reply) {
  worker?.terminate();
  worker = null;
  for (const id of [...pending.keys()]) settle(id, reply);
}

/**
 * Run `code` as cell `cell` in the namespace `namespace`, passing output to
 * `onOutput(kind, payload)` as it comes. Resolves with `{result}`, `{error}`,
 * `{stopped, restarted | interrupted: {line}}` (Stop) or `{crashed: {type, message}}` (Python
 * ended and was restarted), plus the `generation` the code ran in.
 */
export function run({ code, namespace, cell, onOutput }) {
  start();
  const id = ++nextId;
  const ranIn = generation;
  return new Promise((resolve) => {
    const done = (reply) => resolve({ ...reply, generation: ranIn });
    if (!worker) return done(loadError(status.message));
    pending.set(id, { resolve: done, onOutput });
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
  for (const request of pending.values()) request.stopping = true;
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
