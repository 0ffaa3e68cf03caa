"""First output of a numpy + matplotlib cell in the site and in its peers, in one run: the tools
a docs author would otherwise pick, serving the same self-hosted Pyodide 0.27.7 files
(mkdocs_cells.pyodide_dist's, plus micropip and the classic script, which the peers load).

- markdown-exec's ``pyodide`` fence (``markdown-exec`` on PyPI), rendered by markdown-exec
  itself, with the files it takes from CDNs (ace, highlight.js and its themes, Pyodide) served
  from here: Pyodide on the page's main thread, numpy and matplotlib installed by micropip at
  load;
- PyScript's ``py-editor`` (``@pyscript/core`` on npm), its interpreter set to the
  self-hosted ``pyodide.mjs``: a worker that starts at the first Run;
- the site's first-cell page and the bare worker page of bench_return_visit.py (the same
  code; the bare page runs it as soon as Python is ready).

A reader clicks Run as soon as it works. Cold visits (a fresh browser context each), in turn,
so that each meets the same machine load. For each: navigation → the cell's output, the
longest gap between animation frames until then, and the bytes the server sent. Prints medians
(and each run), with the site's time as a share of each peer's from the same run.

Set-up (pinned; the peers are not the site's dependencies):

    pip install -r benchmarks/peers/requirements.txt
    npm ci --prefix benchmarks/peers
    python benchmarks/bench_peers.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
from pathlib import Path

import markdown
import markdown_exec
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from bench_return_visit import BARE_CODE, BARE_PAGE, CELL, FRAME_GAPS, INIT, site_visit
from mkdocs_cells import pyodide_dist
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS, served_site

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(__file__).resolve().parent / "peers"
MODULES = PEERS / "node_modules"

# What the peers run: the bare page's code, and a line of output that its source does not hold.
PEER_CODE = BARE_CODE + '\nprint("figure", "drawn")'

# Before a peer's scripts: the longest gap between animation frames, until the output shows.
PEER_INIT = """(() => {""" + FRAME_GAPS + """
  new MutationObserver(() => {
    if (document.body?.textContent.includes("figure drawn")) window.__done ??= performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();"""

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
{head}</head><body>
{body}
{end}</body></html>"""


def markdown_exec_page() -> str:
    """The fence as markdown-exec renders it, its CDN scripts and styles served from beside it."""
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": {
        "custom_fences": [{"name": "pyodide", "class": "pyodide", "validator": markdown_exec.validator,
                           "format": markdown_exec.formatter}],
    }})
    fence = md.convert(f'```pyodide install="numpy,matplotlib" version="0.27.7"\n{PEER_CODE}\n```')
    for cdn, here in {
        "https://cdnjs.cloudflare.com/ajax/libs/ace/1.16.0/": "ace/",
        "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/11.7.0/": "hljs/",
        "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/": "pyodide/",
        "https://cdn.jsdelivr.net/npm/highlightjs-themes@1.0.0/": "hljs-themes/",
    }.items():
        fence = fence.replace(cdn, here)
    # What markdown-exec's MkDocs plugin adds to every page, where MkDocs puts extra CSS and
    # JavaScript: its script uses Pyodide's, which the fence loads.
    head = '<link rel="stylesheet" href="markdown-exec/pyodide.css">'
    end = '<script src="markdown-exec/pyodide.js"></script>'
    return PAGE.format(title="markdown-exec", head=head, body=fence, end=end)


def pyscript_page(pyodide: str) -> str:
    """The editor, its interpreter ``pyodide`` (the URL of a pyodide.mjs)."""
    config = json.dumps({"interpreter": pyodide, "packages": ["numpy", "matplotlib"]})
    head = '<link rel="stylesheet" href="pyscript/core.css">\n<script type="module" src="pyscript/core.js"></script>'
    body = f"<script type=\"py-editor\" config='{config}'>\n{PEER_CODE}\n</script>"
    return PAGE.format(title="PyScript", head=head, body=body, end="")


def set_up(site: Path, server) -> None:
    """The peers' pages and files, in ``bench/`` of the served site."""
    if not MODULES.exists():
        raise SystemExit(f"the peers' scripts are missing: npm ci --prefix {PEERS.relative_to(ROOT)}")
    bench = site / "bench"
    bench.mkdir()
    peers = bench / "peers"
    shutil.copytree(MODULES / "ace-builds" / "src-min-noconflict", peers / "ace")
    shutil.copytree(MODULES / "@highlightjs" / "cdn-assets", peers / "hljs")
    shutil.copytree(MODULES / "@pyscript" / "core" / "dist", peers / "pyscript")
    (peers / "hljs-themes").mkdir()
    for theme in ("tomorrow", "tomorrow-night-blue"):  # the CDN minifies them on the fly
        shutil.copy(MODULES / "highlightjs-themes" / f"{theme}.css", peers / "hljs-themes" / f"{theme}.min.css")
    (peers / "markdown-exec").mkdir()
    for name in ("pyodide.js", "pyodide.css"):
        shutil.copy(Path(markdown_exec.__file__).parent / name, peers / "markdown-exec" / name)
    # The site's Pyodide files, with what the peers load besides: micropip (both install the
    # packages with it) and the classic script (markdown-exec's).
    pyodide_dist.assemble(peers / "pyodide", packages=(*pyodide_dist.PACKAGES, "micropip"),
                          core=pyodide_dist.CORE | pyodide_dist.CLASSIC)
    (bench / "bare.html").write_text(BARE_PAGE % json.dumps(BARE_CODE))
    (peers / "markdown-exec.html").write_text(markdown_exec_page())
    (peers / "pyscript.html").write_text(pyscript_page(f"{server.url}bench/peers/pyodide/pyodide.mjs"))


def peer_visit(browser, server, path: str, run: str | None = None, works: str = "true"):
    """Navigation → output, the button ``run`` (a selector) clicked once ``works`` (a script)
    is true; the longest frame gap; the bytes sent. A fresh context: a cold visit."""
    context = browser.new_context()
    foreign = []
    # Listened to, not routed: Playwright's routes stalled both peers' loading of packages.
    context.on("request", lambda request: request.url.startswith((server.url, "blob:", "data:"))
               or foreign.append(request.url))
    context.add_init_script(PEER_INIT)
    page = context.new_page()
    before = server.bytes_sent
    page.goto(server.url + path, wait_until="commit")
    if run:
        page.wait_for_function(works, polling=10, timeout=120_000)
        page.locator(run).click()
    try:
        elapsed = page.wait_for_function("window.__done", timeout=120_000).json_value()
    except PlaywrightError:
        raise SystemExit(f"{path} showed no output in 2 minutes; it shows {page.inner_text('body')[-500:]!r}; "
                         f"files it asked for elsewhere: {foreign}") from None
    gap = page.evaluate("window.__gap")
    sent = server.bytes_sent - before
    context.close()
    if foreign:
        raise SystemExit(f"{path} asked for files elsewhere: {foreign}")
    return elapsed, gap, sent


def one_run(browser, server) -> dict:
    figures = {}
    figures["bare"], figures["bare gap"], figures["bare bytes"] = peer_visit(browser, server, "bench/bare.html")

    context = browser.new_context()
    context.add_init_script(INIT % json.dumps(CELL))
    figures["site"], figures["site gap"], figures["site bytes"], _ = site_visit(context, server)
    context.close()

    # markdown-exec's Run works once Python and its packages are in (it sets the click handler
    # then); PyScript's once the editor is there (its Python starts at the click).
    figures["markdown-exec"], figures["markdown-exec gap"], figures["markdown-exec bytes"] = peer_visit(
        browser, server, "bench/peers/markdown-exec.html", "#exec-1--run",
        "document.getElementById('exec-1--run')?.onclick")
    figures["PyScript"], figures["PyScript gap"], figures["PyScript bytes"] = peer_visit(
        browser, server, "bench/peers/pyscript.html", ".py-editor-box button")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with served_site(ROOT) as (site, server):
        set_up(site, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            runs = [one_run(browser, server) for _ in range(args.runs)]
            browser.close()

    print(f"| cold, Run at once (median of {args.runs}) | navigation → output | each run "
          "| longest frame gap | bytes sent |\n|---|---:|---|---:|---:|")
    median = lambda key: statistics.median(run[key] for run in runs)  # noqa: E731
    for name in ("site", "markdown-exec", "PyScript", "bare"):
        each = ", ".join(f"{run[name]:,.0f}" for run in runs)
        print(f"| {name} | {median(name):,.0f} ms | {each} | {median(name + ' gap'):,.0f} ms "
              f"| {median(name + ' bytes') / 1e6:.1f} MB |")
    for peer in ("markdown-exec", "PyScript", "bare"):
        share = statistics.median(run["site"] / run[peer] for run in runs)
        print(f"| site / {peer} (same run) | {share:.2f} | | | |")


if __name__ == "__main__":
    main()
