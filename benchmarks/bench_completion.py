"""How fast completions appear in the cells' editor, in headless Chromium, timed inside the page.

A keystroke's time is from its keydown (a capturing listener, first to see it) to the first
animation frame after the completion list shows the expected option first, that is until the
browser could paint it. Each case types all but its last character, closes any list (Escape),
then types the last one, so the list has to open: the completion sources are queried afresh.

- first use: `np.ara` typed at once on a fresh page, right after clicking into the editor, whose
  first focus starts fetching the index (completions.json): timed from the last keydown;
- then each case N times: numpy (`np.ara` → arange), convlesson (`cl.nn.Con` → Conv2d), a name of an
  earlier cell (`ste` → step) and a built-in (`prin` → print).

Two rounds: while Python loads, as it does for a reader (the editor's focus starts it: its
start takes a processor core and competes with the page), and with Python held back (its files'
requests left unanswered), which shows the editor's own cost.

    python benchmarks/bench_completion.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS, served_site

ROOT = Path(__file__).resolve().parent.parent
CASES = [("np.ara", "arange"), ("cl.nn.Con", "Conv2d"), ("ste", "step"), ("prin", "print")]

# Arms the timer (window.timer): resolves with the ms from the last keydown to the frame after
# `label` tops the completion list.
ARM = """(label) => { window.timer = new Promise((resolve) => {
  let down = null;
  const onKey = () => { down = performance.now(); };
  document.addEventListener("keydown", onKey, { capture: true });
  const check = () => {
    const first = document.querySelector(".cm-tooltip-autocomplete li .cm-completionLabel");
    if (down === null || first?.textContent !== label) return;
    observer.disconnect();
    document.removeEventListener("keydown", onKey, { capture: true });
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - down)));
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  setTimeout(() => {  // never shown: say what the list showed instead
    observer.disconnect();
    const first = document.querySelector(".cm-tooltip-autocomplete li .cm-completionLabel");
    resolve(`no ${label}: the list shows ${first ? first.textContent : "nothing"}`);
  }, 5000);
}); }"""


def time_case(page, text: str, label: str) -> float:
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(text[:-1])
    page.wait_for_timeout(150)
    page.keyboard.press("Escape")
    page.evaluate(ARM, label)
    page.keyboard.press(text[-1])
    ms = page.evaluate("window.timer")
    page.keyboard.press("Escape")
    if isinstance(ms, str):
        raise RuntimeError(f"{text!r}: {ms}")
    return ms


def time_first_use(page, editor) -> float:
    """`np.ara` typed at once after the first click into an editor (which starts the index's fetch)."""
    page.evaluate(ARM, "arange")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("np.ara")
    ms = page.evaluate("window.timer")
    page.keyboard.press("Escape")
    if isinstance(ms, str):
        raise RuntimeError(f"first use: {ms}")
    return ms


def figures(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return f"median {statistics.median(values):6.1f}  p90 {p90:6.1f}  max {values[-1]:6.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with served_site(ROOT) as (_, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for python in ("loading", "held back"):
            first_use, times = [], {text: [] for text, _ in CASES}
            for _ in range(args.runs):
                context = browser.new_context()
                if python == "held back":
                    context.route("**/pyodide/**", lambda route: None)
                page = context.new_page()
                page.goto(server.url + "kernels/")
                editor = page.get_by_role("group", name="Code cell 4", exact=True).get_by_role("textbox")
                editor.wait_for()
                first_use.append(time_first_use(page, editor))
                for text, label in CASES:
                    times[text].append(time_case(page, text, label))
                context.unroute_all(behavior="ignoreErrors")  # the held requests, dropped quietly
                context.close()
            print(f"keydown → completion list painted (ms), kernels page, cell 4, {args.runs} pages, Python {python}")
            print(f"  {'first use (index still arriving)':32} {figures(first_use)}")
            for text, label in CASES:
                print(f"  {text + ' → ' + label:32} {figures(times[text])}")
        browser.close()


if __name__ == "__main__":
    main()
