"""Return visits and the offline course (offline.py, offline.js, offline-worker.js), in Chromium
against built sites served on 127.0.0.1.

The versioning test builds a small course twice (a changed page, a changed cell and a changed
local package, so a changed runtime) and serves one then the other at the same address, under
a sub-path, as a new deploy would be.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs_cells.testing.server import Server
from mkdocs_cells.testing.site import NOT_KEPT

from conftest import PYTHON_TIMEOUT_MS, ROOT, Cell
from test_data_plan import CONNECTION, SETTLED

pytestmark = pytest.mark.browser

OFFLINE = "Make this course available offline"


def manifest(site: Path) -> dict:
    (path,) = site.glob("offline-manifest.*.js")
    return json.loads(re.fullmatch(r"self\.manifest = (.*);\n", path.read_text(), re.S)[1])


def run_first_cell(page) -> str:
    first = Cell(page, 1)
    first.run()
    return first.output


def wait_until_kept(page):
    """Until the service worker controls the page and keeps it, every file it loaded and every
    file Python fetched or may fetch later."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    # Python has loaded every background step (runner.js marks each): nothing of the page is
    # still on its way.
    steps = page.evaluate("() => JSON.parse(document.getElementById('cells-runtime').textContent).steps.map(s => s.name)")
    (python,) = [worker for worker in page.workers if "runner.js" in worker.url]
    loaded = python.evaluate("""async ([steps, timeout]) => {
      const deadline = performance.now() + timeout;
      while (!steps.every((name) => performance.getEntriesByName(`cells:${name}`).length)) {
        if (performance.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return true;
    }""", [steps, PYTHON_TIMEOUT_MS])
    assert loaded, f"Python did not load all of its steps {steps}"
    urls = python.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    assert any(url.endswith("pyodide.asm.wasm") for url in urls)
    # and the snapshot maker's script, which a later visit may start without the network
    urls.append(python.url.removesuffix("runner.js") + "snapshot-maker.js")
    urls += page.evaluate("""() => [location.href, ...performance.getEntriesByType('resource').map(e => e.name),
                                    ...[...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)]""")
    urls = [url.split("#")[0] + ("index.html" if url.endswith("/") else "") for url in urls]
    assert page.evaluate(NOT_KEPT, [urls, 30_000]) == []


# --- the build half ------------------------------------------------------------------------


def test_manifest_lists_every_file_with_its_hash_and_pages_carry_the_build_mark(site):
    import hashlib

    listed = manifest(site)
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    missing = on_disk - set(listed["files"]) - {"sitemap.xml.gz", "offline-worker.js"}
    assert {m for m in missing if not m.startswith("offline-manifest.")} == set()
    for path in ("index.html", "pyodide/pyodide.asm.wasm", "assets/cells/offline.js"):
        digest, size = listed["files"][path]
        data = (site / path).read_bytes()
        assert (digest, size) == (hashlib.sha256(data).hexdigest(), len(data))
    settings = json.loads(re.search(r'id="cells-runtime" type="application/json">(.*?)</script>',
                                    (site / "first-cell" / "index.html").read_text())[1])
    assert settings["offline"] == {"worker": "../offline-worker.js", "build": listed["build"]}
    worker = (site / "offline-worker.js").read_text()
    version = re.match(r'const VERSION = "(\w+)";', worker)[1]
    assert (site / f"offline-manifest.{version}.js").is_file()
    assert not (site / "assets" / "cells" / "offline-worker.js").exists()


def test_a_rebuild_of_the_same_sources_is_the_same_version(tmp_path):
    """The version is the build's content: building again what did not change gives readers
    nothing new to download (the sitemap's dates aside, which no page uses)."""
    url = "http://127.0.0.1:9/course/"
    build_version(tmp_path / "project", tmp_path / "a", url, 1)
    build_version(tmp_path / "project", tmp_path / "b", url, 1)
    first, again = manifest(tmp_path / "a"), manifest(tmp_path / "b")
    assert first["build"] == again["build"]
    assert {k: v for k, v in first["files"].items() if k != "sitemap.xml"} == \
        {k: v for k, v in again["files"].items() if k != "sitemap.xml"}


# --- return visits -------------------------------------------------------------------------


def test_a_return_visit_fetches_no_runtime_file(page, server, site, cell):
    page.goto(server.url + "first-cell/")
    assert "[[" in run_first_cell(page)
    wait_until_kept(page)

    again = page.context.new_page()
    served_by_worker, asked = [], len(server.requests)
    again.on("response", lambda r: "/pyodide/" in r.url and served_by_worker.append(r.from_service_worker))
    again.goto(server.url + "first-cell/")
    assert "[[" in run_first_cell(again)
    runtime_requests = [path for path in server.requests[asked:] if "/pyodide/" in path]
    assert runtime_requests == []
    assert served_by_worker and all(served_by_worker), "the runtime was not served by the service worker"
    again.close()


def test_a_return_visit_to_a_cross_origin_isolated_site_stays_isolated(page, site):
    """Kept pages and scripts keep the host's COOP/COEP headers: without them the page loses
    its shared memory (Stop that keeps Python's state) and the browser blocks Python's worker."""
    server = Server(site, headers={"Cross-Origin-Opener-Policy": "same-origin",
                                   "Cross-Origin-Embedder-Policy": "require-corp"})
    try:
        page.goto(server.url + "first-cell/")
        assert "[[" in run_first_cell(page)
        wait_until_kept(page)
        again = page.context.new_page()
        again.goto(server.url + "first-cell/")
        assert again.evaluate("crossOriginIsolated && typeof SharedArrayBuffer === 'function'")
        assert "[[" in run_first_cell(again)
        again.close()
    finally:
        server.close()


# --- a new deploy --------------------------------------------------------------------------

MKDOCS_YML = """site_name: Offline test
site_url: !ENV SITE_URL
nav: [index.md, second.md]
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - cells:
      wheels: [tinypkg]
      preload: [numpy, tinypkg]
      cache_dir: {cache}
markdown_extensions: [pymdownx.superfences]
"""

PAGE = """# Version {v}

This is version {v} of the course.

```python run
import tinypkg  # code of version {v}
print("runtime", tinypkg.VERSION)
```
"""

PYPROJECT = """[build-system]
requires = ["flit_core==3.12.0"]
build-backend = "flit_core.buildapi"

[project]
name = "tinypkg"
version = "0.1.0"
description = "A package whose value changes between deploys."
"""


def build_version(project: Path, site: Path, url: str, v: int):
    (project / "docs").mkdir(parents=True, exist_ok=True)
    (project / "tinypkg" / "tinypkg").mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(cache=ROOT / "build"))
    (project / "docs" / "index.md").write_text(PAGE.format(v=v))
    (project / "docs" / "second.md").write_text("# Second\n\nA page with no cells.\n")
    (project / "tinypkg" / "pyproject.toml").write_text(PYPROJECT)
    (project / "tinypkg" / "tinypkg" / "__init__.py").write_text(f"VERSION = {v}\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url,
           "PYTHONPATH": os.pathsep.join([str(project / "tinypkg"), os.environ.get("PYTHONPATH", "")])}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                           cwd=project, capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stdout + built.stderr


@pytest.fixture(scope="module")
def two_deploys(tmp_path_factory):
    """Version 1 and version 2 of a small course, and a server under /course/ showing version 1,
    which lets browsers keep files for 10 minutes without asking again, as GitHub Pages does."""
    tmp = tmp_path_factory.mktemp("deploys")
    server = Server(tmp / "v1", prefix="/course/", headers={"Cache-Control": "max-age=600"})
    for v in (1, 2):
        build_version(tmp / f"project{v}", tmp / f"v{v}", server.url, v)
    yield tmp / "v1", tmp / "v2", server
    server.close()


def test_after_a_new_deploy_one_reload_gives_its_page_code_and_runtime(page, two_deploys):
    v1, v2, server = two_deploys
    server.root = v1
    page.goto(server.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Version 1"
    assert run_first_cell(page).strip() == "runtime 1"
    wait_until_kept(page)

    server.root = v2
    # Run at once, while version 2's worker is still installing (it fetches the changed
    # package, which comes slowly): the old worker, which has stood down, leaves the requests
    # to the browser, and Python gets version 2's files, not the copies of version 1's that
    # the server let the browser keep for 10 minutes.
    server.delays = {".whl": 3}
    page.reload(wait_until="commit")
    assert run_first_cell(page).strip() == "runtime 2"
    server.delays = {}
    assert page.get_by_role("heading", level=1).inner_text() == "Version 2"
    assert "# code of version 2" in Cell(page, 1).code

    # The old version's cache goes once the new worker has taken over; the new one keeps the
    # new runtime (the unchanged files carried over, the changed ones fetched): the next visit
    # runs version 2 with no runtime file from the server.
    new_version = re.match(r'const VERSION = "(\w+)";', (v2 / "offline-worker.js").read_text())[1]
    page.wait_for_function("v => caches.keys().then(k => k.length === 1 && k[0].endsWith(v))",
                           arg=new_version, timeout=30_000)
    wait_until_kept(page)
    asked = len(server.requests)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Version 2"
    assert run_first_cell(page).strip() == "runtime 2"
    assert [path for path in server.requests[asked:] if "/pyodide/" in path] == []


def test_with_pyodide_from_the_cdn_its_files_are_kept_too(page, tmp_path, problems):
    """`pyodide: cdn`: the worker keeps the CDN's runtime files (checked against the official
    hashes), so a return visit runs cells with the CDN unreachable. The CDN is played by
    the verified copy of its files (this machine has no internet)."""
    from mkdocs_cells import pyodide_dist

    official = pyodide_dist.Sources(pyodide_dist.default_cache())
    lock = official.get("pyodide-lock.json", pyodide_dist.CORE["pyodide-lock.json"])
    dist = ROOT / "build" / "pyodide"
    types = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

    def cdn(route):
        name = route.request.url.rsplit("/", 1)[1]
        body = lock if name == "pyodide-lock.json" else (dist / name).read_bytes()
        route.fulfill(body=body, headers={"access-control-allow-origin": "*",
                                          "content-type": types.get(Path(name).suffix, "application/octet-stream")})

    project, site = tmp_path / "project", tmp_path / "site"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(CDN_YML.format(cache=ROOT / "build"))
    (project / "docs" / "index.md").write_text(CDN_PAGE)
    server = Server(site, prefix="/sub/")
    try:
        built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                               cwd=project, capture_output=True, text=True,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": server.url})
        assert built.returncode == 0, built.stdout + built.stderr
        assert all(url.startswith(pyodide_dist.CDN_URL) for url in manifest(site)["remote"])
        page.context.route(pyodide_dist.CDN_URL + "**", cdn)
        page.goto(server.url)
        assert run_first_cell(page).strip() == "[0 1 2]"
        wait_until_kept(page)

        page.context.unroute(pyodide_dist.CDN_URL + "**")
        page.context.route(pyodide_dist.CDN_URL + "**", lambda route: route.abort())
        page.reload()
        assert run_first_cell(page).strip() == "[0 1 2]"  # a request the route aborted would fail the test
        problems.foreign_requests.clear()  # requests to the CDN are what this site makes
    finally:
        server.close()


CDN_YML = """site_name: CDN test
site_url: !ENV SITE_URL
theme:
  name: material
  font: false
plugins:
  - cells:
      pyodide: cdn
      preload: [numpy]
      cache_dir: {cache}
markdown_extensions: [pymdownx.superfences]
"""

CDN_PAGE = """# From the CDN

```python run
import numpy as np
print(np.arange(3))
```
"""


def test_mkdocs_serve_on_the_address_of_a_built_site_is_not_served_from_its_cache(page, tmp_path, problems):
    """An author who served a build, then runs `mkdocs serve` on the same address, sees what
    they just wrote, not the built site's cache: its worker stands down and is unregistered."""
    import time
    import urllib.request

    problems.expect("/livereload/")
    server = Server(tmp_path / "v1", prefix="/course/")
    build_version(tmp_path / "project1", tmp_path / "v1", server.url, 1)
    build_version(tmp_path / "project2", tmp_path / "v2", server.url, 2)
    page.goto(server.url)
    assert run_first_cell(page).strip() == "runtime 1"
    wait_until_kept(page)
    server.close()

    address = server.url.split("/")[2]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": server.url,
           "PYTHONPATH": os.pathsep.join([str(tmp_path / "project2" / "tinypkg"), os.environ.get("PYTHONPATH", "")])}
    serving = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", address], cwd=tmp_path / "project2",
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(server.url, timeout=2)
                break
            except OSError:
                assert serving.poll() is None and time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.3)
        # Python waits for the reader (Save-Data), so that it loads after the browser has
        # stopped the idle worker: started again, the worker that stood down must still fetch
        # afresh what it had kept of version 1 (the package kept its file name).
        page.add_init_script(CONNECTION % json.dumps({"saveData": True, "effectiveType": "4g"}))
        page.reload()
        assert page.get_by_role("heading", level=1).inner_text() == "Version 2"
        page.wait_for_function(SETTLED, timeout=30_000)
        devtools = page.context.new_cdp_session(page)
        devtools.send("ServiceWorker.enable")
        devtools.send("ServiceWorker.stopAllWorkers")
        assert run_first_cell(page).strip() == "runtime 2"
        page.reload()  # the page unregisters the worker as it goes
        page.wait_for_function("() => navigator.serviceWorker.getRegistrations().then(r => r.length === 0)",
                               timeout=10_000)
    finally:
        serving.terminate()
        serving.wait(10)


# --- the offline course --------------------------------------------------------------------


def test_the_offline_course_runs_every_page_without_the_network(page, server, site, problems):
    page.goto(server.url)
    control = page.locator(".cl-offline")
    button = page.get_by_role("button", name=OFFLINE, exact=True)
    status = control.get_by_role("status")
    page.wait_for_function("() => !document.querySelector('.cl-offline button').disabled", timeout=30_000)
    size = sum(size for _, size in manifest(site)["files"].values())
    assert status.inner_text().startswith(f"The course is {size / 1e6:.1f} MB; ")
    button.click()
    assert page.get_by_role("progressbar", name="Offline download").is_visible()
    page.wait_for_function("() => document.querySelector('.cl-offline__status').textContent.includes('available offline')",
                           timeout=120_000)
    assert page.get_by_role("progressbar", name="Offline download").evaluate("bar => bar.value") == 1

    page.context.set_offline(True)
    problems.expect("net::ERR_INTERNET_DISCONNECTED")  # the worker tries the network for a page first
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    ran = 0
    for path in pages:
        url = server.url + ("" if path == "." else path + "/")
        page.goto(url)
        assert page.locator("h1").first.is_visible(), f"{url} did not load offline"
        if page.get_by_role("group", name="Code cell 1", exact=True).count():
            first = Cell(page, 1)
            first.run()
            assert first.root.locator(".cl-out--error").count() == 0, f"cell 1 of {url} failed: {first.output}"
            ran += 1
    assert ran >= 10
    page.context.set_offline(False)
