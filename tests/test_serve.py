"""`mkdocs serve`, the authors' command, serves the site with cells that run."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "first-cell/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("mkdocs serve did not start")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(10)


def test_mkdocs_serve_runs_cells(page, served, cell, problems):
    """On the dev server the self-hosted Pyodide loads and a cell prints its result."""
    problems.expect("/livereload/")  # the dev server's reload poll is cut when the page closes
    page.goto(served + "first-cell/")
    first = cell(1)
    first.set_code("import numpy as np\nprint(np.eye(2, dtype=int))")
    first.run()
    assert first.output.strip() == str(np.eye(2, dtype=int))


def test_mkdocs_serve_registers_no_service_worker(page, served, problems):
    """Authors see every change at once: no cached copy of the site stands between them and it."""
    problems.expect("/livereload/")
    page.goto(served)
    status = page.locator(".cl-offline").get_by_role("status")
    assert status.inner_text() == "Offline use is off under mkdocs serve."
    assert page.get_by_role("button", name="Make this course available offline").is_disabled()
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    assert page.request.get(served + "offline-worker.js").status == 404
