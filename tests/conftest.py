"""Shared fixtures: the site built once per session, served on 127.0.0.1, and headless Chromium.

Browser tests open pages through the ``page`` fixture, which fails the test on any JavaScript
error, console error, failed request, or request to a host other than 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs_cells.testing.server import Server
from mkdocs_cells.testing.site import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
# Pyodide, numpy and matplotlib load in a few seconds; leave room on a busy 2-core machine.
PYTHON_TIMEOUT_MS = 60_000


@dataclass
class Build:
    site: Path
    returncode: int
    log: str


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> tuple[Build, Server]:
    """``mkdocs build --strict`` of the whole site, once per session, and a server for it.

    The server starts first so the build can take its address as ``site_url``, as a real
    deployment does: Material's instant navigation only engages on the site_url's host.
    """
    site = tmp_path_factory.mktemp("site")
    server = Server(site)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": server.url},
    )
    yield Build(site, result.returncode, result.stdout + result.stderr), server
    server.close()


@pytest.fixture(scope="session")
def build(served) -> Build:
    return served[0]


@pytest.fixture(scope="session")
def site(build) -> Path:
    if build.returncode:
        pytest.fail(f"mkdocs build failed:\n{build.log}")
    return build.site


@pytest.fixture(scope="session")
def server(site, served) -> Server:
    return served[1]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Problems:
    """What went wrong in a page that a reader would notice, or that breaks the no-CDN promise."""

    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    recording: bool = True

    def expect(self, text: str):
        """Accept errors mentioning ``text`` (a failure the test provokes on purpose)."""
        self.expected.append(text)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(text in e for text in self.expected)]

    def watch(self, page):
        page.on("pageerror", lambda error: self._add(f"page error: {error}"))
        page.on("console", lambda msg: msg.type == "error" and self._add(
            f"console error: {msg.text} ({msg.location.get('url')})"))
        # Requests made by the Python worker are seen on the context, not the page.
        page.context.on("requestfailed", self._check_failure)
        page.context.on("response", lambda response: response.status >= 400 and self._add(
            f"HTTP {response.status}: {response.url}"))
        page.context.on("request", self._check_host)

    def _add(self, error: str):
        if self.recording:
            self.errors.append(error)

    def _check_failure(self, request):
        # ERR_ABORTED is a download the browser itself cancelled (a reload, a closed page).
        if request.failure != "net::ERR_ABORTED":
            self._add(f"request failed: {request.url} ({request.failure})")

    def _check_host(self, request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            self.foreign_requests.append(request.url)


@pytest.fixture
def problems():
    return Problems()


@pytest.fixture
def page(browser, problems, request):
    """A fresh page (cold cache); the test fails if the page logs errors or leaves 127.0.0.1.

    Tests marked ``no_service_worker`` get a page without the site's service worker: Playwright's
    routes (a held or failing file) do not see requests that a service worker answers."""
    blocked = request.node.get_closest_marker("no_service_worker") is not None
    context = browser.new_context(service_workers="block" if blocked else "allow")
    page = context.new_page()
    problems.watch(page)
    yield page
    problems.recording = False  # closing the page cuts the downloads still running
    context.close()
    assert not problems.unexpected(), "\n".join(problems.unexpected())
    assert not problems.foreign_requests, f"requests left 127.0.0.1: {problems.foreign_requests}"


class Cell:
    """A runnable cell as the reader sees it, found by its accessible name."""

    def __init__(self, page, number: int):
        self.page = page
        self.number = number
        self.root = page.get_by_role("group", name=f"Code cell {number}", exact=True)

    @property
    def editor(self):
        return self.root.get_by_role("textbox")

    @property
    def code(self) -> str:
        self.editor.wait_for()
        return self.page.evaluate(
            "root => [...root.querySelectorAll('.cm-line')].map(line => line.textContent).join('\\n')",
            self.root.element_handle(),
        )

    def set_code(self, code: str):
        """Replace the editor's code, as typing would, and wait until the editor holds it."""
        for _ in range(3):  # a fill racing the editor's first layout can be undone by it
            self.editor.fill(code)
            if self.code == code:
                return
            self.page.wait_for_timeout(100)
        assert self.code == code, f"the editor holds {self.code!r}, not the code typed"

    def button(self, name: str):
        return self.root.get_by_role("button", name=name, exact=True)

    def click_run(self):
        self.button("Run").click()

    def wait_done(self, timeout: int = PYTHON_TIMEOUT_MS):
        self.page.wait_for_function(
            "cell => cell.dataset.state === 'done'", arg=self.root.element_handle(), timeout=timeout,
        )

    def run(self, timeout: int = PYTHON_TIMEOUT_MS):
        """Click Run and wait until the cell has finished."""
        self.click_run()
        self.wait_done(timeout)

    @property
    def output(self) -> str:
        return self.root.locator(".cl-cell__output").inner_text()

    @property
    def status(self) -> str:
        return self.root.locator(".cl-cell__status").inner_text()


@pytest.fixture
def cell(page):
    return lambda number=1: Cell(page, number)
