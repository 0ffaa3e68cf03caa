"""How fast the interactive figures respond, in headless Chromium, timed inside the page.

For the kernel explorer (figure 2) and the convolution playground (figure 7), each interaction
is fired N times from the page itself and timed with performance.now():

- handler: from dispatching the event to the end of the figure's synchronous update (the DOM
  is then up to date);
- to next frame: from dispatching the event until the next animation frame has run (a
  requestAnimationFrame callback, then a task), that is until the browser could paint it.

Play is timed from its own user-timing entries ("cl-widget:frame", one per position drawn,
written by widgets/player.js), and for smoothness the intervals between animation frames while
it plays. Python is kept from loading (no idle prefetch), as the figures never need it.

    python benchmarks/bench_widgets.py [--runs 40]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from mkdocs_cells.testing.site import served_site
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS

NO_PREFETCH = "window.requestIdleCallback = () => 0;"

# Fires one kind of interaction `n` times; returns [handler ms, to-next-frame ms] per time.
TIME = """async ([selector, kind, n]) => {
  const el = document.querySelector(selector);
  if (!el) throw new Error("no element " + selector);
  const act = {
    select: (i) => { el.value = el.options[(el.selectedIndex + 1) % el.options.length].value; el.dispatchEvent(new Event("change")); },
    toggle: () => el.click(),
    click: () => el.click(),
    number: (i) => { el.value = String(((i * 7) % 11) - 5); el.dispatchEvent(new Event("input")); },
    range: (i) => { el.value = String(Number(el.min) + (i % (Number(el.max) - Number(el.min) + 1))); el.dispatchEvent(new Event("input")); },
    point: (i) => {
      const box = el.getBoundingClientRect();
      el.dispatchEvent(new PointerEvent("pointermove", { clientX: box.left + ((i * 13) % 64 + 0.5) * box.width / 64,
                                                         clientY: box.top + ((i * 29) % 64 + 0.5) * box.height / 64 }));
    },
  }[kind];
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    act(i);
    const handled = performance.now();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    times.push([handled - start, performance.now() - start]);
  }
  return times;
}"""

# Plays the playground through at the fastest speed; returns the per-position drawing times and
# the intervals between animation frames meanwhile.
PLAY = """async (figure) => {
  const root = document.querySelector(figure);
  const speed = root.querySelector(".cl-w-player select");
  speed.value = "fast";
  speed.dispatchEvent(new Event("change"));
  performance.clearMeasures("cl-widget:frame");
  const frames = [];
  let playing = true;
  const tick = (t) => { frames.push(t); if (playing) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const play = [...root.querySelectorAll(".cl-w-player button")].find((b) => b.textContent === "Play");
  play.click();
  await new Promise((resolve) => {
    const poll = () => (play.textContent === "Play" ? resolve() : setTimeout(poll, 20));
    setTimeout(poll, 20);
  });
  playing = false;
  const drawn = performance.getEntriesByName("cl-widget:frame").map((e) => e.duration);
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return { drawn, intervals };
}"""

EXPLORER = 'figure[data-widget="kernel_explorer"]'
PLAYGROUND = 'figure[data-widget="conv_playground"]'
CASES = [
    ("2 kernel explorer", "choose a kernel", f"{EXPLORER} .cl-widget__controls select", "select"),
    ("2 kernel explorer", "flip on/off", f"{EXPLORER} .cl-w-check input", "toggle"),
    ("2 kernel explorer", "type a weight (custom kernel)", f"{EXPLORER} .cl-explorer__weight", "number"),
    ("2 kernel explorer", "point at the feature map", f"{EXPLORER} .cl-explorer__panel:last-child canvas", "point"),
    ("7 playground", "Step", f"{PLAYGROUND} .cl-w-player button", "click"),
    ("7 playground", "choose an image", f"{PLAYGROUND} .cl-widget__controls select", "select"),
    ("7 playground", "choose a kernel", f"{PLAYGROUND} .cl-widget__controls label:nth-child(2) select", "select"),
    ("7 playground", "stride slider", f"{PLAYGROUND} .cl-w-range", "range"),
]


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def row(figure, what, values, unit="ms"):
    return f"| {figure} | {what} | {len(values)} | {statistics.median(values):.2f} {unit} | {p95(values):.2f} {unit} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="times each interaction is fired")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with served_site(ROOT) as (site, server):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.add_init_script(NO_PREFETCH)
            page.goto(server.url + "figures/")
            page.wait_for_function("document.querySelectorAll('figure.cl-widget[data-ready]').length === 7")
            results = []
            for figure, what, selector, kind in CASES:
                page.locator(selector).first.scroll_into_view_if_needed()
                times = page.evaluate(TIME, [selector, kind, args.runs])
                results.append((figure, what, [t[0] for t in times], [t[1] for t in times]))
            page.locator(PLAYGROUND).scroll_into_view_if_needed()
            page.evaluate("s => document.querySelector(s).querySelectorAll('.cl-w-player button')[2].click()", PLAYGROUND)
            play = page.evaluate(PLAY, PLAYGROUND)
            browser.close()

    print(f"Headless Chromium, 127.0.0.1; {args.runs} events per interaction; timed in the page.\n")
    print("| figure | interaction | n | handler median | handler p95 | to next frame median | to next frame p95 |")
    print("|---|---|---|---|---|---|---|")
    for figure, what, handler, frame in results:
        print(f"| {figure} | {what} | {len(handler)} | {statistics.median(handler):.2f} ms | {p95(handler):.2f} ms "
              f"| {statistics.median(frame):.2f} ms | {p95(frame):.2f} ms |")
    print("\nPlay (figure 7, fastest speed, 36 positions):\n")
    print("| figure | measure | n | median | p95 |\n|---|---|---|---|---|")
    print(row("7 playground", "drawing one position (cl-widget:frame)", play["drawn"]))
    print(row("7 playground", "interval between animation frames while playing", play["intervals"]))


if __name__ == "__main__":
    main()
