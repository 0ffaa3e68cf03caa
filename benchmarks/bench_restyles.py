"""How much styling work each page's start costs: elements, and how often all of them are restyled.

Much of Lighthouse's blocking time on this site is the browser styling and laying out the whole
page again, each time the page's style changes as it starts (Material's start-up above all): a
cost of about elements × whole-page restyles (the rest is scripts: Material's and the editors').
Both are counted here: unlike timings on a shared machine, they barely vary from run to run.

For each page the site builds, headless Chromium (412 px wide, as Lighthouse's phone) loads it
from 127.0.0.1 with a trace of its style work, and waits until the page is quiet. Printed, per
page: the elements in the page as the server sent it (before any script); how many times,
after the first paint's, the browser restyled the whole page (at least 90 % of the most
elements any of its restyles touched); and the milliseconds those restyles took, at a 4× CPU
slowdown like a phone's (indicative only: timings vary between runs, counts much less).

    python benchmarks/bench_restyles.py [--pages convolution/ ...] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from mkdocs_cells.testing.site import served_site
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

from mkdocs_cells.testing import pages as site_pages

QUIET_MS = 6000
WHOLE = 0.9  # a restyle of at least this share of the page's elements restyles the whole page


def static_elements(html: str) -> int:
    """Elements in the page as sent, before scripts add any (a start tag each)."""

    class Counter(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            self.count += 1

    counter = Counter()
    counter.feed(html)
    return counter.count


def restyles(browser, url: str) -> tuple[int, float]:
    """Whole-page restyles after the first one, and their total milliseconds."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    browser.start_tracing(page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
    page.goto(url)
    page.wait_for_timeout(QUIET_MS)
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    threads = {(e["pid"], e["tid"]) for e in events
               if e.get("name") == "thread_name" and e["args"]["name"] == "CrRendererMain"}
    styles = sorted((e for e in events if (e["pid"], e["tid"]) in threads
                     and e.get("name") == "UpdateLayoutTree" and e.get("ph") == "X"),
                    key=lambda e: e["ts"])
    counts = [e.get("args", {}).get("elementCount") or 0 for e in styles]
    most = max(counts, default=0)
    whole = [e for e, n in zip(styles, counts) if n >= WHOLE * most]
    later = whole[1:]  # the first is the first paint's
    return len(later), sum(e["dur"] for e in later) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="only these pages (URL paths, e.g. convolution/ or '' for home)")
    parser.add_argument("--runs", type=int, default=1, help="loads per page (the median count and time are kept)")
    args = parser.parse_args()
    rows = []
    with served_site(ROOT, compress=True) as (site, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page in site_pages.built(site) if args.pages is None else args.pages:
            elements = static_elements(site_pages.file(site, page).read_text(encoding="utf-8"))
            runs = [restyles(browser, server.url + page) for _ in range(args.runs)]
            count = statistics.median(n for n, _ in runs)
            ms = statistics.median(t for _, t in runs)
            rows.append(f"| `/{page}` | {elements:,} | {count:g} | {ms:.0f} ms |")
        browser.close()
    print(f"Chromium, 412 px, 4x CPU slowdown, median of {args.runs} load(s) per page\n")
    print("| page | elements as sent | whole-page restyles after the first | their time |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
