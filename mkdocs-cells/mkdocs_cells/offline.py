"""Return visits without the network, and the whole course offline: the build half.

The browser half is ``assets/offline.js`` (the page: registers the service worker, the offline
control, Save-Data) and ``assets/offline-worker.js`` (the service worker). The worker is
written to the site's root, so that its scope covers every page, also under a sub-path.

It keeps the site's files in a cache versioned by the build's content, so the pages, their
cells' code and the Python runtime a reader gets always come from one build. At
``on_post_build``, once every other file is in the site:

- each page's runtime settings get the build's *mark* in place of `MARK`: a hash of every
  file of the site that is not a page (the runtime, the scripts, the data). A page therefore
  changes whenever anything it uses changes, and the worker, which knows the hash of each file
  of its own version, tells a page of a newer deploy from one of its own;
- ``offline-manifest.VERSION.js`` lists every file (path → sha256 and size), and with
  ``pyodide: cdn`` the CDN's files that Python loads, with their official hashes; VERSION is a
  hash of that list;
- ``offline-worker.js`` is the worker with VERSION written in, so each deploy is a new worker
  for the browser, which checks the worker's script on every visit.

Under ``mkdocs serve`` no worker is written and the pages say so (`settings`): an author must
see each change at once, and the page unregisters a worker left by a build served earlier on
the same address.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import pyodide_dist

HERE = Path(__file__).parent
WORKER = "offline-worker.js"
# What the pages carry until on_post_build knows the build's mark.
MARK = "cells-build-mark-to-be-written"
# Not needed to read the course.
SKIPPED = {"sitemap.xml.gz"}
# Not part of the build's mark: its dates change at every build, not what the pages use.
UNMARKED = {"sitemap.xml"}


def settings(relative, serving: bool) -> dict:
    """A page's offline settings, part of its runtime settings (runtime.js): where the worker
    is and the build's mark, or None under ``mkdocs serve``."""
    return {"offline": None if serving else {"worker": relative(WORKER), "build": MARK}}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(site: Path, runtime) -> str:
    """Mark the pages, write the manifest and the worker; say what the cache holds."""
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.name not in SKIPPED
                   and not p.name.startswith(("offline-manifest.", WORKER)))
    path = lambda p: p.relative_to(site).as_posix()  # noqa: E731
    pages = [p for p in files if p.suffix == ".html"]
    others = {path(p): sha256(p) for p in files if p.suffix != ".html"}
    marked = {name: digest for name, digest in others.items() if name not in UNMARKED}
    mark = hashlib.sha256(json.dumps(marked, sort_keys=True).encode()).hexdigest()[:16]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if MARK in text:
            page.write_text(text.replace(MARK, mark), encoding="utf-8")
    manifest = {
        "build": mark,
        "files": {path(p): [others.get(path(p)) or sha256(p), p.stat().st_size] for p in files},
        "remote": remote_files(runtime),
    }
    text = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    version = hashlib.sha256(text.encode()).hexdigest()[:16]
    (site / f"offline-manifest.{version}.js").write_text(f"self.manifest = {text};\n", encoding="utf-8")
    worker = (HERE / "assets" / WORKER).read_text(encoding="utf-8")
    (site / WORKER).write_text(f'const VERSION = "{version}";\n{worker}', encoding="utf-8")
    size = sum(size for _, size in manifest["files"].values())
    return f"offline: version {version}, {len(files)} files, {size / 1e6:.1f} MB"


def remote_files(runtime) -> dict[str, list]:
    """With ``pyodide: cdn``, the CDN files the runtime loads (URL → [sha256, size]): the core
    and the packages of the ``preload`` steps with what they depend on; versioned URLs, each
    checked against the official release's hash before it is kept."""
    if runtime.source != "cdn":
        return {}
    lock = pyodide_dist.official_lock()
    roots = [name for step in runtime.steps for name in step["packages"] if name in lock["packages"]]
    files = {name: digest for name, digest in pyodide_dist.CORE.items()}
    files.update({lock["packages"][n]["file_name"]: lock["packages"][n]["sha256"]
                  for n in pyodide_dist.closure(lock, tuple(roots))})
    return {pyodide_dist.CDN_URL + name: [digest, None] for name, digest in sorted(files.items())}


def control() -> str:
    """The offline control of a page (the macro ``{{ offline_course() }}``): a button, the size
    or progress in words, and a progress bar; offline.js brings it to life."""
    return (
        '<div class="cl-offline">'
        '<button type="button" class="md-button md-button--primary" disabled>Make this course available offline</button> '
        '<span class="cl-offline__status" role="status"></span>'
        '<progress class="cl-offline__progress" aria-label="Offline download" max="1" value="0" hidden></progress>'
        "</div>"
    )
