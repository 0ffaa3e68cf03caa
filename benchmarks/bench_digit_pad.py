"""How fast the ConvNet page's drawing pad classifies, in headless Chromium, timed in the page.

Three interactions, each fired N times from the page and timed with performance.now(), from the
event to the end of the pad's synchronous update (reduction, forward pass through every layer,
probabilities, feature maps and the selected unit's working all in the DOM), and to the next
animation frame (when the browser could paint it):

- Classify: the pad's bitmap (224×224) reduced to 8×8 and classified;
- pick: a test digit chosen from the list, classified;
- a stroke segment: one pointermove while drawing (must fit in a frame: 16.7 ms at 60 Hz).

The pad computes in the page (no Python needed), so Python is kept from loading.

    python benchmarks/bench_digit_pad.py [--runs 40]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS, served_site

ROOT = Path(__file__).resolve().parent.parent
NO_PREFETCH = "window.requestIdleCallback = () => 0;"

TIME = """async ([kind, n]) => {
  const figure = document.querySelector('figure[data-widget="digit_pad"]');
  const pad = figure.querySelector(".cl-pad__canvas");
  const box = pad.getBoundingClientRect();
  const pick = figure.querySelector("select");
  const classify = [...figure.querySelectorAll("button")].find((b) => b.textContent === "Classify");
  const at = (i) => ({ clientX: box.left + box.width * (0.3 + 0.4 * ((i * 7) % 10) / 10),
                       clientY: box.top + box.height * (0.2 + 0.6 * ((i * 3) % 10) / 10), pointerId: 1, bubbles: true });
  pad.dispatchEvent(new PointerEvent("pointerdown", at(0)));
  const act = {
    classify: () => classify.click(),
    pick: (i) => { pick.value = String(i % (pick.options.length - 1)); pick.dispatchEvent(new Event("change")); },
    stroke: (i) => pad.dispatchEvent(new PointerEvent("pointermove", at(i))),
  }[kind];
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    act(i);
    const handled = performance.now();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    times.push([handled - start, performance.now() - start]);
  }
  pad.dispatchEvent(new PointerEvent("pointerup", at(0)));
  return times;
}"""


def p95(values):
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="times each interaction is fired")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with served_site(ROOT) as (_, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.add_init_script(NO_PREFETCH)
        page.goto(server.url + "convnet/")
        page.locator('figure[data-widget="digit_pad"][data-ready]').wait_for()
        page.locator('figure[data-widget="digit_pad"]').scroll_into_view_if_needed()
        print("| interaction | runs | handler median | handler p95 | to next frame median | p95 |")
        print("|---|---|---|---|---|---|")
        for kind in ("classify", "pick", "stroke"):
            times = page.evaluate(TIME, [kind, args.runs])
            handler, frame = [t[0] for t in times], [t[1] for t in times]
            print(f"| {kind} | {len(times)} | {statistics.median(handler):.2f} ms | {p95(handler):.2f} ms "
                  f"| {statistics.median(frame):.2f} ms | {p95(frame):.2f} ms |")
        browser.close()


if __name__ == "__main__":
    main()
