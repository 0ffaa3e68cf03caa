"""The cases of bench_conv.py run by convlesson inside Pyodide, in headless Chromium.

Builds the site, opens a page with a runnable cell, and runs in it a timing script over the
same three cases (float64 and float32): median milliseconds of ``cl.conv2d`` in the
browser's Python (single-threaded numpy without BLAS). Prints a Markdown table.

    python benchmarks/bench_conv_browser.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench_conv import CASES
from mkdocs_cells.testing.site import served_site
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS

TIMING = """
import json, statistics, time
import numpy as np
import convlesson as cl

cases = json.loads({cases!r})
rows = {{}}
rng = np.random.default_rng(0)
for name, case in cases.items():
    for dtype in ("float64", "float32"):
        x = rng.standard_normal(case["x"]).astype(dtype)
        w = rng.standard_normal(case["w"]).astype(dtype)
        cl.conv2d(x, w, padding=case["padding"])
        times = []
        for _ in range(7):
            start = time.perf_counter()
            cl.conv2d(x, w, padding=case["padding"])
            times.append(time.perf_counter() - start)
        rows.setdefault(name, {{}})[dtype] = 1000 * statistics.median(times)
print(json.dumps(rows))
"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    code = TIMING.format(cases=json.dumps(CASES))
    with served_site(ROOT) as (site, server):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + "first-cell/")
            cell = page.get_by_role("group", name="Code cell 1", exact=True)
            cell.get_by_role("textbox").fill(code)
            cell.get_by_role("button", name="Run", exact=True).click()
            page.wait_for_function("c => c.dataset.state === 'done'", arg=cell.element_handle(), timeout=300_000)
            output = cell.locator(".cl-out--stdout").inner_text()
            browser.close()
    rows = json.loads(output)
    print("cl.conv2d inside Pyodide 0.27.7 (Chromium, median of 7), ms\n")
    print("| case | float64 | float32 |\n|---|---:|---:|")
    for name, times in rows.items():
        print(f"| {name} | {times['float64']:.2f} | {times['float32']:.2f} |")


if __name__ == "__main__":
    main()
