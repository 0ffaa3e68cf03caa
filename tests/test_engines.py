"""A reader's journey in the other engines readers use: Firefox ESR and WebKitGTK (Safari's
engine), each with the site served plainly and served cross-origin isolated (COOP/COEP, where
WebKitGTK reports isolation but has no SharedArrayBuffer). Chromium is the rest of the suite.

One journey per engine and serving: Run a numpy cell, operate an interactive figure, Stop an
endless loop and Run again, Run a matplotlib cell (a figure appears), Run a notebook page's
first cell; no console errors on the way.
"""

from __future__ import annotations

import json
import time

import pytest

from _engines import launch, missing
from mkdocs_cells.testing.server import Server

pytestmark = pytest.mark.browser

ISOLATING = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
# Loading Pyodide, numpy and matplotlib in an engine slower than Chromium, on a busy 2-core machine.
PYTHON_TIMEOUT_S = 180


class Reader:
    """What a reader does and sees, in any engine."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url = browser, base_url

    def open(self, path):
        self.browser.goto(self.base_url + path)
        self.wait(f"document.querySelector({json.dumps(self.run_button(1))})", "the cells to be set up")

    def wait(self, expression, what, timeout=PYTHON_TIMEOUT_S):
        deadline = time.monotonic() + timeout
        while not self.browser.eval(f"Boolean({expression})"):  # elements do not cross the driver
            assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
            time.sleep(0.25)
        return True

    @staticmethod
    def cell(number):
        return f'[role=group][aria-label="Code cell {number}"]'

    def run_button(self, number):
        return f"{self.cell(number)} .cl-cell__button--run"

    def query(self, number, part=""):
        return f"document.querySelector({json.dumps(f'{self.cell(number)} {part}'.strip())})"

    def status(self, number):
        return self.browser.eval(f"{self.query(number, '.cl-cell__status')}.textContent")

    def output(self, number):
        return self.browser.eval(f"{self.query(number, '.cl-cell__output')}.innerText").strip()

    def set_code(self, number, code):
        """Put code in the cell as its figures do ("Open as code"): the editor takes it, as typed."""
        self.browser.eval(f"{self.query(number)}.dispatchEvent(new CustomEvent('cl-set-code', "
                          f"{{detail: {{code: {json.dumps(code)}}}}}))")

    def run(self, number, timeout=PYTHON_TIMEOUT_S):
        self.browser.click(self.run_button(number))
        try:
            self.wait(f"{self.query(number)}.dataset.state === 'done'", f"cell {number} to finish", timeout)
        except AssertionError as error:
            shown = self.browser.eval(f"{self.query(number)}.innerText")
            raise AssertionError(f"{error}; it shows {shown!r}; errors: {self.browser.errors()}") from None
        return self.status(number)


@pytest.fixture(scope="module")
def isolated(site):
    server = Server(site, headers=ISOLATING)
    yield server
    server.close()


@pytest.mark.parametrize("serving", ["plain", "isolated"])
@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_reader_journey(engine, serving, server, isolated):
    """Cells run, stop and draw, a figure responds and a notebook cell runs, without errors."""
    if why := missing(engine):
        pytest.skip(why)
    browser = launch(engine)
    try:
        reader = Reader(browser, (server if serving == "plain" else isolated).url)
        reader.open("convolution/")
        assert browser.eval("crossOriginIsolated") == (serving == "isolated")

        # A numpy cell shows what the build wrote.
        built = reader.output(1)
        assert reader.run(1) == "Done"
        assert reader.output(1) == built

        # The sliding-window figure moves one step.
        figure = "figure.cl-widget[data-widget='sliding_1d']"
        reader.wait(f"document.querySelector(\"{figure}[data-ready]\")", "the figure")
        browser.eval(f"[...document.querySelectorAll(\"{figure} button\")]"
                     ".find((b) => b.textContent === 'Step').dataset.testStep = ''")
        assert browser.eval(f"document.querySelector(\"{figure} .cl-slide__sum\").textContent").startswith("Step 1 of")
        browser.click(f"{figure} [data-test-step]")
        assert browser.eval(f"document.querySelector(\"{figure} .cl-slide__sum\").textContent").startswith("Step 2 of")

        # Stop ends an endless loop (interrupting Python, or restarting it), and Run works again.
        reader.set_code(2, "while True:\n    pass")
        browser.click(reader.run_button(2))
        reader.wait(f"{reader.query(2)}.dataset.state === 'running'", "the loop to start")
        time.sleep(1)
        browser.click(f"{reader.cell(2)} .cl-cell__button--stop")
        reader.wait(f"{reader.query(2)}.dataset.state === 'done'", "Stop", timeout=10)
        assert reader.status(2) == "Stopped"
        reader.set_code(2, "print(6 * 7)")
        assert reader.run(2) == "Done"
        assert reader.output(2).splitlines()[-1] == "42"

        # A matplotlib cell draws its figure.
        reader.open("why-convolution/")
        assert reader.run(4) == "Done"
        assert reader.wait(f"[...{reader.query(4)}.querySelectorAll('.cl-cell__output img')]"
                           ".some((img) => img.complete && img.naturalWidth > 0)", "the figure to show")

        # A notebook page's first cell.
        reader.open("convnet/")
        assert reader.run(1) == "Done"
        assert "training images" in reader.output(1)

        assert browser.errors() == []
    finally:
        browser.close()
