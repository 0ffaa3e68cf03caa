"""Navigation → first output of a runnable cell, in headless Chromium, cold cache.

Builds the site, serves it on 127.0.0.1 like a plain static host, and for each run opens a
fresh browser context (empty cache), clicks Run as soon as the cell is there, and records the
time from navigation start to the cell's output, plus the bytes the server sent. Prints the
median of the runs and the size of the self-hosted Pyodide.

    python benchmarks/bench_first_output.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from mkdocs_cells.testing.site import served_site
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS

# Resolves with performance.now() (ms since navigation start) when cell 1 has output.
WAIT_FOR_OUTPUT = """() => new Promise(resolve => {
  const cell = document.querySelector('.cl-cell[data-cell="1"]');
  const done = () => cell.dataset.state === 'done' && resolve(performance.now());
  new MutationObserver(done).observe(cell, {attributes: true});
  done();
})"""


def measure(browser, server, page_path: str) -> tuple[float, int, str]:
    context = browser.new_context()
    page = context.new_page()
    before = server.bytes_sent
    page.goto(server.url + page_path, wait_until="commit")
    page.get_by_role("button", name="Run").first.click()
    elapsed = page.evaluate(WAIT_FOR_OUTPUT)
    output = page.locator(".cl-cell__output").first.inner_text()
    context.close()
    return elapsed, server.bytes_sent - before, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with served_site(ROOT) as (site, server):
        dist_size = sum(f.stat().st_size for f in (site / "pyodide").rglob("*") if f.is_file())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            runs = [measure(browser, server, "first-cell/") for _ in range(args.runs)]
            browser.close()

    times = [t for t, _, _ in runs]
    sizes = [b for _, b, _ in runs]
    print(f"| metric | value |\n|---|---|")
    print(f"| navigation → first output (median of {args.runs}, cold) | {statistics.median(times):,.0f} ms |")
    print(f"| runs | {', '.join(f'{t:,.0f}' for t in times)} ms |")
    print(f"| bytes sent before first output (median) | {statistics.median(sizes) / 1e6:.1f} MB |")
    print(f"| self-hosted Pyodide in site/pyodide/ (with the build's bytecode) | {dist_size / 1e6:.1f} MB |")
    print(f"| first output | {runs[0][2].strip()!r} |")


if __name__ == "__main__":
    main()
