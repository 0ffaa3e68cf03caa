"""First visit, return visit and interaction times of a numpy + matplotlib cell, against a bare
Pyodide worker page, in headless Chromium on loopback, like a plain static host.

Each run, in turn (so that both meet the same machine load):

- the bare page: a module worker that loads Pyodide, numpy and matplotlib and runs the same
  code, nothing else; cold (a fresh browser context), then a return visit in that context
  (the browser's HTTP cache, whatever the server's headers let it keep);
- the site's first-cell page with cell 1 holding that code (put there as a reader's saved
  edit), Run clicked as soon as it exists: cold; a first return visit in the same context once
  the service worker has kept the runtime (Python's usual start; this visit keeps a snapshot
  of Python: runner.js); then a return visit from that snapshot. For each, navigation →
  output, the longest gap between animation frames until then, and the bytes the server sent;
- on a fourth visit, the page left alone for 5 s, then click → output, then a re-run.

Prints medians (and each run) with the ratios to the bare page of the same run: the machine
is shared, so compare ratios, not milliseconds, between runs.

    python benchmarks/bench_return_visit.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS, NOT_KEPT, served_site

ROOT = Path(__file__).resolve().parent.parent

CELL = """import numpy as np
import matplotlib.pyplot as plt
image = np.random.default_rng(0).random((256, 256))
kernel = np.ones((3, 3)) / 9
out = sum(kernel[i, j] * image[i:i + 254, j:j + 254] for i in range(3) for j in range(3))
plt.imshow(out, cmap="gray")
plt.show()"""

# The same code with Agg and a PNG in memory, as the site's runner draws: for pages without the
# site's runner (the bare page here, the peers in bench_peers.py).
BARE_CODE = "import matplotlib\nmatplotlib.use('Agg')\n" + CELL.replace(
    "plt.show()", "import io\nplt.savefig(io.BytesIO(), format='png')")

# BARE_CODE in a bare worker page.
BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title><script type="module">
const code = %s;
const worker = new Worker(URL.createObjectURL(new Blob([`
  const { loadPyodide } = await import(new URL("../pyodide/pyodide.mjs", "${location.href}"));
  const pyodide = await loadPyodide();
  await pyodide.loadPackage(["numpy", "matplotlib"]);
  onmessage = ({ data }) => { pyodide.runPython(data); postMessage("done"); };
  postMessage("ready");
`], { type: "text/javascript" })), { type: "module" });
worker.onmessage = ({ data }) => (data === "ready" ? worker.postMessage(code) : (window.__done = performance.now()));
</script>"""

# Records in window.__gap the longest gap between animation frames until window.__done is set.
FRAME_GAPS = """
  window.__gap = 0;
  let last = null;
  const frame = (t) => {
    if (last !== null) window.__gap = Math.max(window.__gap, t - last);
    last = t;
    if (!window.__done) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);"""

# Before the page's scripts: cell 1 of first-cell/ gets CELL as the reader's saved edit
# (storage.js's key), and the longest gap between animation frames is recorded until a cell
# has output.
INIT = """(() => {
  const code = %s;
  const hash = (text) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return (h >>> 0).toString(16).padStart(8, "0");
  };
  document.addEventListener("readystatechange", () => {
    const source = document.querySelector('.cl-cell[data-cell="1"] .cl-cell__source');
    if (document.readyState !== "interactive" || !source) return;
    localStorage.setItem(`convlesson:edit:${location.pathname}#1:${hash(source.value)}`, code);
  });""" + FRAME_GAPS + """
  new MutationObserver(() => {
    const cell = document.querySelector('.cl-cell[data-cell="1"]');
    if (cell?.dataset.state === "done" && cell.querySelector("img")) window.__done ??= performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
})();"""

DONE = "() => new Promise(r => { const t = () => window.__done ? r(window.__done) : setTimeout(t, 5); t(); })"

# Whether the Python worker's snapshot maker has kept a snapshot (runner.js, snapshot.js)
# within 2 minutes.
SNAPSHOT_KEPT = """async () => {
  const deadline = performance.now() + 120_000;
  while (!(await (await caches.open("cells-snapshot")).keys()).length) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}"""

CLICK_TO_OUTPUT = """() => new Promise(resolve => {
  const cell = document.querySelector('.cl-cell[data-cell="1"]');
  const t0 = performance.now();
  new MutationObserver((_, o) => {
    if (cell.dataset.state === 'done') { o.disconnect(); resolve(performance.now() - t0); }
  }).observe(cell, { attributes: true });
  cell.querySelector('.cl-cell__button--run').click();
})"""


def bare(context, server) -> float:
    page = context.new_page()
    page.goto(server.url + "bench/bare.html")
    page.wait_for_function("() => window.__done", timeout=120_000)
    elapsed = page.evaluate("window.__done")
    page.close()
    return elapsed


def site_visit(context, server):
    """Navigation → output with Run clicked at once; the longest frame gap; bytes sent."""
    page = context.new_page()
    before = server.bytes_sent
    page.goto(server.url + "first-cell/", wait_until="commit")
    page.get_by_role("button", name="Run", exact=True).first.click()
    elapsed = page.evaluate(DONE)
    gap = page.evaluate("window.__gap")
    sent = server.bytes_sent - before
    return elapsed, gap, sent, page


def one_run(browser, server) -> dict:
    figures = {}
    context = browser.new_context()
    figures["bare cold"] = bare(context, server)
    figures["bare return"] = bare(context, server)
    context.close()

    context = browser.new_context()
    context.add_init_script(INIT % json.dumps(CELL))
    figures["cold"], figures["cold gap"], figures["cold bytes"], page = site_visit(context, server)
    python = next(worker for worker in page.workers if worker.url.endswith("/runner.js"))
    fetched = python.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    missing = page.evaluate(NOT_KEPT, [fetched, 60_000])
    if missing:
        raise SystemExit(f"the service worker did not keep {missing}")
    page.close()
    figures["return, no snapshot"], _, _, page = site_visit(context, server)
    if not page.evaluate(SNAPSHOT_KEPT):
        raise SystemExit("no snapshot of Python was kept")
    page.close()
    figures["return"], figures["return gap"], figures["return bytes"], page = site_visit(context, server)
    page.close()
    page = context.new_page()
    page.goto(server.url + "first-cell/")
    page.wait_for_timeout(5000)
    figures["click after 5 s"] = page.evaluate(CLICK_TO_OUTPUT)
    figures["re-run"] = page.evaluate(CLICK_TO_OUTPUT)
    page.close()
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with served_site(ROOT) as (site, server):
        (site / "bench").mkdir()
        (site / "bench" / "bare.html").write_text(BARE_PAGE % json.dumps(BARE_CODE))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            runs = [one_run(browser, server) for _ in range(args.runs)]
            browser.close()

    median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    ratio = lambda name, floor: statistics.median(run[name] / run[floor] for run in runs)  # noqa: E731
    print(f"| metric (median of {args.runs}) | value | each run | goal |\n|---|---:|---|---|")
    rows = [
        ("bare page, cold: navigation → output", "bare cold", "ms", ""),
        ("bare page, return visit (HTTP cache)", "bare return", "ms", ""),
        ("site, cold, Run at once: navigation → output", "cold", "ms", "≤ 2,500 ms"),
        ("site, cold: longest gap between frames", "cold gap", "ms", "≤ 50 ms"),
        ("site, return visit: navigation → output", "return", "ms", "≤ 1,200 ms"),
        ("site, return visit: longest gap between frames", "return gap", "ms", "≤ 50 ms"),
        ("site, return visit without the snapshot: navigation → output", "return, no snapshot", "ms", ""),
        ("site, page left 5 s: click → output", "click after 5 s", "ms", "≤ 150 ms"),
        ("site, re-run: click → output", "re-run", "ms", "≤ 100 ms"),
    ]
    for label, name, unit, goal in rows:
        each = ", ".join(f"{run[name]:,.0f}" for run in runs)
        print(f"| {label} | {median[name]:,.0f} {unit} | {each} | {goal} |")
    for label, name in (("cold", "cold bytes"), ("return visit", "return bytes")):
        print(f"| site, {label}: bytes the server sent | {median[name] / 1e6:.2f} MB | | |")
    print(f"| ratio site cold / bare cold (same run) | {ratio('cold', 'bare cold'):.2f} | | ≤ 0.5 of peers |")
    print(f"| ratio site return / bare return (same run) | {ratio('return', 'bare return'):.2f} | | |")
    print(f"| ratio site return / site return without the snapshot (same run) | {ratio('return', 'return, no snapshot'):.2f} | | |")


if __name__ == "__main__":
    main()
