"""The runnable cells' speed in headless Chromium, on loopback, like a plain static host.

Prints, as the median of N runs (cold cache: a fresh browser context each run unless said;
the floor and the two cold cells are measured in turn, so they meet the same machine load):

- the floor: Pyodide + numpy loaded in a Web Worker of a bare page, nothing else;
- navigation → first output of a numpy-only cell (Run clicked as soon as it exists), and the
  bytes the server sent before that output;
- navigation → first output of a matplotlib cell;
- click → output of a re-run (warm);
- click on a link → first output on a second page after instant navigation (warm worker);
- the prefetch policy: with no interaction, when Python starts loading and when it is ready;
- where the time to the first outputs goes: the worker's performance marks (worker.js), in ms
  from navigation.

    python benchmarks/bench_cells.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from mkdocs_cells.testing.site import served_site
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS

# A bare page: a module worker that loads Pyodide and numpy and imports numpy.
FLOOR_PAGE = """<!doctype html><meta charset="utf-8"><title>floor</title><script type="module">
const worker = new Worker(URL.createObjectURL(new Blob([`
  const { loadPyodide } = await import(new URL("../pyodide/pyodide.mjs", "${location.href}"));
  const pyodide = await loadPyodide();
  await pyodide.loadPackage("numpy");
  pyodide.runPython("import numpy");
  postMessage("done");
`], { type: "text/javascript" })), { type: "module" });
worker.onmessage = () => { window.__done = performance.now(); };
</script>"""

# Records performance.now() when any cell first reaches each state.
OBSERVE = """
window.__cells = {};
new MutationObserver((records) => {
  for (const r of records) {
    const cell = r.target;
    if (r.attributeName === 'data-state' && cell.dataset.state === 'done')
      window.__cells.done ??= performance.now();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
"""

WAIT_DONE = "() => new Promise(r => { const t = () => window.__cells.done ? r(window.__cells.done) : setTimeout(t, 5); t(); })"

MATPLOTLIB_CELL = "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()"


# The worker's marks (worker.js), as ms from the page's navigation start, first of each name.
WORKER_MARKS = """origin => [performance.timeOrigin - origin,
  performance.getEntriesByType('mark').map(m => [m.name.replace('cells:', ''), m.startTime])]"""


def worker_marks(page) -> dict[str, float]:
    origin = page.evaluate("performance.timeOrigin")
    marks = {}
    for worker in page.workers:
        offset, entries = worker.evaluate(WORKER_MARKS, origin)
        for name, start in entries:
            marks.setdefault(name, offset + start)
    return marks


def fresh_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(OBSERVE)
    return context, page


def floor(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "bench/floor.html")
    page.wait_for_function("() => window.__done", timeout=60_000)
    elapsed = page.evaluate("window.__done")
    context.close()
    return elapsed


def numpy_cold(browser, server):
    context, page = fresh_page(browser)
    before = server.bytes_sent
    page.goto(server.url + "first-cell/", wait_until="commit")
    page.get_by_role("button", name="Run", exact=True).first.click()
    elapsed = page.evaluate(WAIT_DONE)
    sent = server.bytes_sent - before
    marks = worker_marks(page)
    context.close()
    return elapsed, sent, marks


def matplotlib_cold(browser, server):
    context, page = fresh_page(browser)
    page.goto(server.url + "first-cell/", wait_until="commit")
    cell = page.get_by_role("group", name="Code cell 1", exact=True)
    cell.get_by_role("textbox").fill(MATPLOTLIB_CELL)
    cell.get_by_role("button", name="Run", exact=True).click()
    elapsed = page.evaluate(WAIT_DONE)
    images = cell.locator("img.cl-out--image").count()
    marks = worker_marks(page)
    context.close()
    assert images == 1, "the matplotlib cell showed no figure"
    return elapsed, marks


def warm_reruns(browser, server, runs):
    """Click → output of re-runs of a numpy cell, and link click → output on the next page."""
    context, page = fresh_page(browser)
    page.goto(server.url + "first-cell/")
    run = page.get_by_role("button", name="Run", exact=True).first
    run.click()
    page.evaluate(WAIT_DONE)
    # Loaded for good once the progress bar is gone (the status line may say "Done" instead).
    page.wait_for_function("() => document.querySelector('.cl-cell__toolbar progress').hidden", timeout=60_000)
    reruns = []
    for _ in range(runs):
        reruns.append(page.evaluate("""() => new Promise(resolve => {
            const cell = document.querySelector('.cl-cell');
            const t0 = performance.now();
            new MutationObserver((_, o) => { if (cell.dataset.state === 'done') { o.disconnect(); resolve(performance.now() - t0); } })
              .observe(cell, { attributes: true });
            cell.querySelector('.cl-cell__button--run').click();
        })"""))
    second = []
    for index in range(runs):
        target = "authoring/" if index % 2 == 0 else "first-cell/"
        link = "Writing cells" if target == "authoring/" else "Try it"
        second.append(page.evaluate("""([name, target]) => new Promise(resolve => {
            const t0 = performance.now();
            const link = [...document.querySelectorAll('nav.md-nav--primary a')].find(a => a.textContent.trim() === name);
            const poll = () => {
              const cell = location.pathname.endsWith(target) && document.querySelector('.cl-cell[data-live]:not([hidden])');
              if (!cell) return setTimeout(poll, 2);
              new MutationObserver((_, o) => { if (cell.dataset.state === 'done') { o.disconnect(); resolve(performance.now() - t0); } })
                .observe(cell, { attributes: true });
              cell.querySelector('.cl-cell__button--run').click();
            };
            link.click();
            poll();
        })""", [link, target]))
    full_loads = page.evaluate("performance.getEntriesByType('navigation').length")
    context.close()
    return reruns, second, full_loads


def prefetch(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("""
        window.__prefetch = {};
        new MutationObserver(() => {
          const text = document.querySelector('.cl-cell__status')?.textContent;
          if (text === 'Python ready') window.__prefetch.ready ??= performance.now();
        }).observe(document, { subtree: true, childList: true, characterData: true });
    """)
    page.goto(server.url + "first-cell/")
    page.wait_for_function("() => window.__prefetch.ready", timeout=60_000)
    load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    ready = page.evaluate("window.__prefetch.ready")
    started = worker_marks(page)["boot"]  # the worker begins loading Python
    context.close()
    return load, started, ready


def median(values):
    return statistics.median(values)


# What each worker mark (worker.js) ends; "output" is the cell's output in the page.
STEPS = {
    "boot": "page, until the worker starts",
    "Python": "Pyodide starts; numpy installed",
    "numpy": "numpy: bytecode, import",
    "matplotlib": "matplotlib: install, bytecode, import pyplot",
    "run": "until the cell's code starts",
    "output": "the cell runs; output shown",
}


def breakdown(runs: list[tuple[float, dict]], marks: list[str]) -> list[tuple[str, str]]:
    """Median time of each step (from the mark before) of ``runs``, each (total, marks)."""
    ends = [{**found, "output": total} for total, found in runs]
    rows, previous = [], None
    for mark in marks:
        spans = [end[mark] - (end[previous] if previous else 0) for end in ends]
        rows.append((STEPS[mark], f"{median(spans):,.0f} ms"))
        previous = mark
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    with served_site(ROOT) as (site, server):
        (site / "bench").mkdir()
        (site / "bench" / "floor.html").write_text(FLOOR_PAGE)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # Interleaved, so that the floor and the cells meet the same machine load.
            floors, cold, mpl = [], [], []
            for _ in range(args.runs):
                floors.append(floor(browser, server))
                cold.append(numpy_cold(browser, server))
                mpl.append(matplotlib_cold(browser, server))
            reruns, second, full_loads = warm_reruns(browser, server, args.runs)
            policy = [prefetch(browser, server) for _ in range(3)]
            browser.close()

    floor_ms = median(floors)
    numpy_ms = median([t for t, _, _ in cold])
    rows = [
        ("floor: Pyodide + numpy in a worker of a bare page (cold)", f"{floor_ms:,.0f} ms", ""),
        ("navigation → first output, numpy cell (cold)", f"{numpy_ms:,.0f} ms",
         f"{numpy_ms / floor_ms:.2f} × floor (goal ≤ 1.1)"),
        ("bytes sent before that output", f"{median([b for _, b, _ in cold]) / 1e6:.1f} MB", ""),
        ("navigation → first output, matplotlib cell (cold)", f"{median([t for t, _ in mpl]):,.0f} ms",
         "goal ≤ 3,000 ms"),
        ("click → output, re-run (warm)", f"{median(reruns):,.0f} ms", "goal ≤ 100 ms"),
        ("link click → first output on the next page (instant navigation)", f"{median(second):,.0f} ms",
         f"goal ≤ 300 ms; {full_loads} full page load(s) in {args.runs} navigations"),
        ("prefetch: page load event (no interaction)", f"{median([p[0] for p in policy]):,.0f} ms", ""),
        ("prefetch: Python starts loading", f"{median([p[1] for p in policy]):,.0f} ms",
         "once the page is set up and the browser idle"),
        ("prefetch: Python ready (numpy, convlesson, matplotlib imported)", f"{median([p[2] for p in policy]):,.0f} ms", ""),
    ]
    print(f"Median of {args.runs} runs (prefetch: of 3), headless Chromium, 127.0.0.1; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores\n")
    print("| measure | value | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nFloor runs: {', '.join(f'{t:,.0f}' for t in floors)} ms")
    print(f"numpy cell runs: {', '.join(f'{t:,.0f}' for t, _, _ in cold)} ms")
    print(f"matplotlib cell runs: {', '.join(f'{t:,.0f}' for t, _ in mpl)} ms")
    for title, runs, marks in (
        ("numpy cell", [(t, m) for t, _, m in cold], ["boot", "Python", "numpy", "run", "output"]),
        ("matplotlib cell", mpl, ["boot", "Python", "numpy", "matplotlib", "run", "output"]),
    ):
        print(f"\nWhere the time goes, {title} (median of each step, from the one before):\n")
        print("| step | time |\n|---|---|")
        for label, value in breakdown(runs, marks):
            print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
