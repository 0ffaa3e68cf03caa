"""Lighthouse on every page of the built site: performance, accessibility, best practices, SEO.

Builds the site, serves it on 127.0.0.1 as a static host does (text files gzipped, as GitHub
Pages sends them; ``--no-gzip`` to turn that off), and runs npm ``lighthouse``
(pinned below; installed once with npm into ``~/.cache/convlesson/``, or ``$CONVLESSON_CACHE``)
on every page the build wrote, with Debian's Chromium (``CHROME_PATH``) and Lighthouse's
default mobile emulation and simulated throttling. Nothing is turned off: the cells' runtime
prefetches Python once the page is idle, as it does for readers. Prints a markdown table, page
× category score (the median run by performance when ``--runs`` > 1), and under it every audit
that costs a category its goal.

    python benchmarks/bench_lighthouse.py [--runs 1] [--pages convolution/ ...] [--json DIR] [--no-gzip]

Goals: performance ≥ 0.95, accessibility 1.00, best practices 1.00, SEO ≥ 0.95. The exit status
is 1 when a page misses one, so the command can gate a release; the test suite does not run it
(its timings depend on the machine), it runs axe and the link checks instead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from mkdocs_cells.testing.site import served_site
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS

from mkdocs_cells.testing import pages as site_pages

# Lighthouse 13 needs node ≥ 22.19; Debian's node is 20.
LIGHTHOUSE_VERSION = "12.8.2"
CACHE = Path(os.environ.get("CONVLESSON_CACHE", Path.home() / ".cache" / "convlesson"))
INSTALL = CACHE / f"lighthouse-{LIGHTHOUSE_VERSION}"
CATEGORIES = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.95}
HEADERS = {"performance": "performance", "accessibility": "accessibility",
           "best-practices": "best practices", "seo": "SEO"}


def lighthouse() -> list[str]:
    """The command that runs the pinned Lighthouse, installing it first if needed."""
    cli = INSTALL / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm is needed to install Lighthouse: apt-get install -y npm")
        INSTALL.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(INSTALL),
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return ["node", str(cli)]


def audit(command: list[str], url: str) -> dict:
    """One Lighthouse run on ``url``: its JSON report (lhr)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(arg for arg in CHROMIUM_ARGS if arg != "--headless") + " --headless=new"
        result = subprocess.run(
            [*command, url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
        )
        if result.returncode or not report.is_file():
            raise RuntimeError(f"lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
        return json.loads(report.read_text())


def scores(lhr: dict) -> dict[str, float | None]:
    return {name: lhr["categories"][name]["score"] for name in CATEGORIES}


def shortfalls(lhr: dict) -> list[str]:
    """The audits that cost a category below its goal some of its score, with what they found."""
    lines = []
    for name, goal in CATEGORIES.items():
        category = lhr["categories"][name]
        if category["score"] is not None and category["score"] >= goal:
            continue
        for ref in category["auditRefs"]:
            result = lhr["audits"][ref["id"]]
            if ref["weight"] == 0 or result["score"] is None or result["score"] >= 1:
                continue
            shown = result.get("displayValue") or ""
            lines.append(f"{HEADERS[name]}: `{ref['id']}` score {result['score']:.2f} "
                         f"(weight {ref['weight']}) {result['title']}{': ' + shown if shown else ''}"
                         + "".join(f"\n    - {item}" for item in details(result)))
    return lines


def details(result: dict, limit: int = 5) -> list[str]:
    """A few of the elements or resources an audit names."""
    items = (result.get("details") or {}).get("items") or []
    out = []
    for item in items[:limit]:
        node = item.get("node") or {}
        what = node.get("snippet") or item.get("url") or item.get("source", {}).get("url") or ""
        if isinstance(what, str) and what:
            out.append(what[:160])
    return out


def fmt(score: float | None, goal: float) -> str:
    if score is None:
        return "n/a"
    return f"{score:.2f}" + ("" if score >= goal else " ✗")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median by performance is kept)")
    parser.add_argument("--pages", nargs="*", help="only these pages (URL paths, e.g. convolution/ or '' for home)")
    parser.add_argument("--json", type=Path, help="also save each page's Lighthouse report (JSON) in this folder")
    parser.add_argument("--no-gzip", dest="gzip", action="store_false", help="serve files uncompressed")
    args = parser.parse_args()

    command = lighthouse()
    version = subprocess.run([*command, "--version"], capture_output=True, text=True).stdout.strip()
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    rows, notes, missed = [], [], False
    with served_site(ROOT, compress=args.gzip) as (site, server):
        pages = site_pages.built(site) if args.pages is None else args.pages
        for page in pages:
            runs = sorted((audit(command, server.url + page) for _ in range(args.runs)),
                          key=lambda lhr: lhr["categories"]["performance"]["score"] or 0)
            lhr = runs[len(runs) // 2]
            if args.json:
                args.json.mkdir(parents=True, exist_ok=True)
                name = page.strip("/").replace("/", "_") or "index"
                (args.json / f"{name}.json").write_text(json.dumps(lhr))
            got = scores(lhr)
            perf = [r["categories"]["performance"]["score"] for r in runs]
            spread = f" ({min(perf):.2f}–{max(perf):.2f})" if len(runs) > 1 else ""
            rows.append(f"| `/{page}` | " + " | ".join(
                fmt(got[name], goal) + (spread if name == "performance" else "")
                for name, goal in CATEGORIES.items()) + f" | {lhr['environment']['benchmarkIndex']:.0f} |")
            metrics = lhr["audits"]
            notes.append(f"`/{page}`: FCP {metrics['first-contentful-paint']['displayValue']}, "
                         f"LCP {metrics['largest-contentful-paint']['displayValue']}, "
                         f"TBT {metrics['total-blocking-time']['displayValue']}, "
                         f"CLS {metrics['cumulative-layout-shift']['displayValue']}")
            failing = shortfalls(lhr)
            missed |= bool(failing) or any(got[n] is None or got[n] < g for n, g in CATEGORIES.items())
            notes.extend(f"  - {line}" for line in failing)

    print(f"Lighthouse {version}, {chromium}, mobile emulation (default), simulated throttling, "
          f"{args.runs} run(s) per page, {'gzip' if args.gzip else 'no compression'}; goals: " + ", ".join(
              f"{HEADERS[n]} ≥ {g:.2f}" for n, g in CATEGORIES.items()) + "\n")
    print("| page | " + " | ".join(HEADERS.values()) + " | CPU index |")
    print("|---|" + "---|" * (len(CATEGORIES) + 1))
    print("\n".join(rows))
    print("\nCPU index: Lighthouse's CPU benchmark (benchmarkIndex) at that run; higher is faster. The "
          "simulated timings scale with it: on a busy machine (a lower index than when idle) total "
          "blocking time is overestimated, and the performance score with it.\n")
    print("\n".join(notes))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
