// The page's handle on the Python worker: one per tab, shared by every cell, and kept across
// Material's instant navigation (this module is loaded once per tab).
// Each request carries an id; the worker's replies resolve the matching promise.

const listeners = new Set();
const pending = new Map();
let worker = null;
let ready = null;
let nextId = 0;

export let status = { state: "idle" };

/** Call `listener(status)` on every change of the runtime's status; returns an unsubscribe. */
export function onStatus(listener) {
  listeners.add(listener);
  listener(status);
  return () => listeners.delete(listener);
}

function setStatus(next) {
  status = next;
  for (const listener of listeners) listener(status);
}

function config() {
  const element = document.getElementById("convlesson-runtime");
  const { indexURL, convlesson } = JSON.parse(element.textContent);
  const absolute = (url) => new URL(url, document.baseURI).href;
  return {
    indexURL: absolute(indexURL),
    convlesson: convlesson.endsWith(".whl") ? absolute(convlesson) : convlesson,
  };
}

/** Start the worker if needed; resolves once Python and the lesson's packages are loaded. */
export function start() {
  if (ready) return ready;
  ready = new Promise((resolve, reject) => {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") setStatus({ state: "loading", ...data });
      else if (data.type === "ready") {
        setStatus({ state: "ready" });
        resolve();
      } else if (data.type === "failed") {
        fail(data.message);
        reject(new Error(data.message));
      } else dispatch(data);
    };
    worker.onerror = (event) => {
      const message = event.message || "the Python worker could not start";
      fail(message);
      reject(new Error(message));
    };
    setStatus({ state: "loading", step: "Python", fraction: 0 });
    worker.postMessage({ type: "init", ...config() });
  });
  return ready;
}

function fail(message) {
  setStatus({ state: "failed", message });
  worker?.terminate();
  worker = null;
  ready = null;
}

function dispatch(data) {
  const request = pending.get(data.id);
  if (!request) return;
  if (data.type === "stream") request.onStream(data.name, data.text);
  else if (data.type === "done") {
    pending.delete(data.id);
    request.resolve(data);
  }
}

/**
 * Run `code` in the namespace `namespace`, streaming output to `onStream(name, text)`.
 * Resolves with `{result}` (repr of a last bare expression, or undefined) or `{error}`.
 */
export async function run(code, { namespace, onStream = () => {} }) {
  await start();
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, { resolve, onStream });
    worker.postMessage({ type: "run", id, code, namespace });
  });
}
