// The Python side of the page: loads Pyodide once, then runs cells on request.
// Messages in: {type: "init", indexURL, convlesson} and {type: "run", id, code, namespace}.
// Messages out: {type: "progress", step, fraction}, {type: "ready"}, {type: "failed", message},
// {type: "stream", id, name, text} while a cell runs, then {type: "done", id, result | error}.

const STEPS = [
  ["Python", 0.55],
  ["numpy", 0.7],
  ["matplotlib", 0.95],
  ["convlesson", 1],
];

let runCell;

self.onmessage = ({ data }) => {
  if (data.type === "init") init(data);
  else if (data.type === "run") run(data);
};

async function init({ indexURL, convlesson }) {
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL));
    const pyodide = await loadPyodide({ indexURL, env: { MPLBACKEND: "agg" } });
    progress(0);
    const packages = ["numpy", "matplotlib", convlesson];
    for (const [i, name] of packages.entries()) {
      await pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback: () => {} });
      progress(i + 1);
    }
    const source = await fetchText(new URL("runner.py", import.meta.url));
    runCell = pyodide.runPython(source);
    postMessage({ type: "ready" });
  } catch (error) {
    postMessage({ type: "failed", message: String(error.message || error) });
  }
}

function progress(done) {
  const [step, fraction] = STEPS[done];
  postMessage({ type: "progress", step, fraction });
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

function run({ id, code, namespace }) {
  const emit = (name, text) => postMessage({ type: "stream", id, name, text });
  const reply = runCell(code, namespace, emit);
  const result = reply.toJs({ dict_converter: Object.fromEntries });
  reply.destroy();
  postMessage({ type: "done", id, ...result });
}
