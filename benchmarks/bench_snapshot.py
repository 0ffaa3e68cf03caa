"""A Pyodide memory snapshot (assets/snapshot.js) against the normal start, for a worker that
needs numpy and matplotlib imported, in headless Chromium on loopback.

Each run, in turn (so that all meet the same machine load), a bare worker page (as in
bench_return_visit.py) that gets Python ready with numpy and matplotlib imported, then runs
the same numpy + matplotlib cell:

- normal, cold (a fresh browser context) and return visit (same context);
- recording (`startRecording`, which also tells Pyodide to allow a snapshot), then the
  snapshot made and kept in Cache Storage before the cell runs (its time, raw and gzip size,
  all part of this visit's time to output);
- from that snapshot in Cache Storage: the return visit;
- from a snapshot made in the browser before the runs and served as a file: a cold visit
  that downloads it (as if the build had made it).

Before the runs it also tries a snapshot made in node from the same files (what a build could
make without a browser) in the browser, and says whether it loads.

For each: navigation → Python ready (imports done), navigation → the cell's output.
Prints medians and each run, with ratios to the normal start of the same run: the machine
is shared, so compare ratios, not milliseconds, between runs.

    python benchmarks/bench_snapshot.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import bench_return_visit
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS, served_site

ROOT = Path(__file__).resolve().parent.parent

# bench_return_visit's cell, its figure drawn to PNG as the site's runner draws it.
CELL = bench_return_visit.CELL.replace("plt.show()", 'import io\nplt.savefig(io.BytesIO(), format="png")')

IMPORTS = "import numpy\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot"

# The worker: Python ready in one of the ways above, then the cell. `mode` comes with `init`.
WORKER = """
onmessage = (event) => measure(event.data).catch((error) => postMessage({ type: "error", message: String(error?.stack || error) }));

async function measure({ mode, base, code, imports, save }) {
  const indexURL = new URL("../pyodide/", base).href;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const snapshots = await import(new URL("../assets/cells/snapshot.js", base).href);
  const figures = {};
  let pyodide, libraries, blob, t = performance.now();
  if (mode === "normal" || mode === "recording") {
    if (mode === "normal") pyodide = await loadPyodide({ indexURL });
    else ({ pyodide, libraries } = await snapshots.startRecording(loadPyodide, { indexURL }));
    await pyodide.loadPackage(["numpy", "matplotlib"], { messageCallback: () => {} });
    pyodide.runPython(imports);
  } else {
    const response = mode === "cached"
      ? await (await caches.open("bench-snapshot")).match(new URL("kept-snapshot", base))
      : await fetch(new URL("snapshot.bin", base));
    const buffer = await response.arrayBuffer();
    figures.read = performance.now() - t;
    pyodide = await snapshots.startFromSnapshot(loadPyodide, { indexURL }, buffer);
  }
  figures.start = performance.now() - t;
  postMessage({ type: "ready" });
  if (mode === "recording") {
    // As the site would: a snapshot of the interpreter before any cell ran (the reader's
    // variables and open files are no part of it), kept in Cache Storage.
    t = performance.now();
    blob = snapshots.makeSnapshot(pyodide, libraries);
    figures.make = performance.now() - t;
    t = performance.now();
    await (await caches.open("bench-snapshot")).put(new URL("kept-snapshot", base), new Response(blob));
    figures.store = performance.now() - t;
  }
  t = performance.now();
  pyodide.runPython(code);
  figures.cell = performance.now() - t;
  postMessage({ type: "done" });
  t = performance.now();
  pyodide.runPython(code);
  figures.again = performance.now() - t;
  if (blob) {
    figures.raw = blob.size;
    const gzipped = blob.stream().pipeThrough(new CompressionStream("gzip"));
    figures.gzip = (await new Response(gzipped).arrayBuffer()).byteLength;
  }
  postMessage({ type: "figures", figures });
  if (blob && save) postMessage({ type: "blob", blob });
}
"""

PAGE = """<!doctype html><meta charset="utf-8"><title>snapshot bench</title><script type="module">
const query = new URLSearchParams(location.search);
const mode = query.get("mode"), save = query.has("save");
const worker = new Worker(URL.createObjectURL(new Blob([%s], { type: "text/javascript" })), { type: "module" });
worker.onmessage = ({ data }) => {
  if (data.type === "ready") window.__ready = performance.now();
  else if (data.type === "done") window.__done = performance.now();
  else if (data.type === "error") window.__error = data.message;
  else if (data.type === "blob") Object.assign(document.createElement("a"), { href: URL.createObjectURL(data.blob), download: "snapshot.bin" }).click();
  else window.__figures = data.figures;
};
worker.onerror = (event) => (window.__error = event.message || "worker error");
worker.postMessage({ mode, save, base: location.href, code: %s, imports: %s });
</script>"""

# The snapshot a build could make: node, the same Pyodide files.
NODE_MAKER = """
import { writeFileSync } from "node:fs";
import { loadPyodide } from "%(index)s/pyodide.mjs";
import { startRecording, makeSnapshot } from "%(snapshot)s";
const { pyodide, libraries } = await startRecording(loadPyodide, { indexURL: "%(index)s/" });
await pyodide.loadPackage(["numpy", "matplotlib"], { messageCallback: () => {} });
pyodide.runPython(%(imports)s);
const blob = makeSnapshot(pyodide, libraries);
writeFileSync("%(out)s", new Uint8Array(await blob.arrayBuffer()));
"""

FIGURES = "() => new Promise((resolve, reject) => { const t = () => window.__error ? reject(new Error(window.__error)) : window.__figures ? resolve({ ...window.__figures, ready: window.__ready, done: window.__done }) : setTimeout(t, 10); t(); })"


def visit(context, server, mode: str, save: Path | None = None) -> dict:
    page = context.new_page()
    before = server.bytes_sent
    if save:
        with page.expect_download(timeout=300_000) as download:
            page.goto(f"{server.url}bench/snapshot.html?mode={mode}&save")
        download.value.save_as(save)
    else:
        page.goto(f"{server.url}bench/snapshot.html?mode={mode}")
    figures = page.evaluate(FIGURES)
    figures["bytes"] = server.bytes_sent - before
    page.close()
    return figures


def one_run(browser, server) -> dict:
    figures = {}
    context = browser.new_context()
    figures["normal cold"] = visit(context, server, "normal")
    figures["normal return"] = visit(context, server, "normal")
    context.close()
    context = browser.new_context()
    figures["recording cold"] = visit(context, server, "recording")
    figures["snapshot return"] = visit(context, server, "cached")
    context.close()
    context = browser.new_context()
    figures["snapshot cold (downloaded)"] = visit(context, server, "download")
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with served_site(ROOT) as (site, server):
        (site / "bench").mkdir()
        (site / "bench" / "snapshot.html").write_text(PAGE % (json.dumps(WORKER), json.dumps(CELL), json.dumps(IMPORTS)))
        maker = site / "bench" / "make-snapshot.mjs"
        snapshot = site / "bench" / "snapshot.bin"
        maker.write_text(NODE_MAKER % {
            "index": site / "pyodide", "snapshot": site / "assets" / "cells" / "snapshot.js",
            "imports": json.dumps(IMPORTS), "out": snapshot,
        })
        started = time.perf_counter()
        subprocess.run(["node", str(maker)], check=True, capture_output=True, env={**os.environ, "NODE_NO_WARNINGS": "1"})
        node_make = time.perf_counter() - started
        node_raw, node_gzip = snapshot.stat().st_size, len(gzip.compress(snapshot.read_bytes(), compresslevel=6))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            try:
                visit(context, server, "download")
                node_in_browser = "loads"
            except Exception as error:  # noqa: BLE001 - what the browser said is the figure
                node_in_browser = f"refused: {str(error).splitlines()[0]}"
            visit(context, server, "recording", save=snapshot)  # the file the cold visits download
            context.close()
            runs = [one_run(browser, server) for _ in range(args.runs)]
            browser.close()
    load = os.getloadavg()

    def median(visit_name, figure):
        return statistics.median(run[visit_name][figure] for run in runs)

    def each(visit_name, figure, scale=1.0):
        return ", ".join(f"{run[visit_name][figure] * scale:,.0f}" for run in runs)

    print(f"load average after the runs: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(f"| visit (median of {args.runs}) | navigation → Python ready | navigation → cell output | ratio (output) to normal cold | each run (output) | bytes sent |")
    print("|---|---:|---:|---:|---|---:|")
    for name in runs[0]:
        ratio = statistics.median(run[name]["done"] / run["normal cold"]["done"] for run in runs)
        print(f"| {name} | {median(name, 'ready'):,.0f} ms | {median(name, 'done'):,.0f} ms | {ratio:.2f} | "
              f"{each(name, 'done')} | {median(name, 'bytes') / 1e6:.1f} MB |")
    ratio = statistics.median(run["snapshot return"]["done"] / run["normal return"]["done"] for run in runs)
    print(f"\nratio snapshot return / normal return (output, same run): {ratio:.2f}")
    for name in runs[0]:
        print(f"{name}: the cell's first run {median(name, 'cell'):,.0f} ms, its second {median(name, 'again'):,.0f} ms")
    print(f"snapshot, Cache Storage read (return): {median('snapshot return', 'read'):,.0f} ms; "
          f"download (cold): {median('snapshot cold (downloaded)', 'read'):,.0f} ms")
    print(f"snapshot made in the browser: {median('recording cold', 'make'):,.0f} ms to make, "
          f"{median('recording cold', 'store'):,.0f} ms to keep in Cache Storage; "
          f"{median('recording cold', 'raw') / 1e6:.1f} MB raw, {median('recording cold', 'gzip') / 1e6:.1f} MB gzip")
    print(f"snapshot made in node (a build): {node_make:.1f} s for the whole node run, "
          f"{node_raw / 1e6:.1f} MB raw, {node_gzip / 1e6:.1f} MB gzip; in Chromium it {node_in_browser}")


if __name__ == "__main__":
    main()
