"""A runtime that never dies (issue 19): what the reader sees when Python ends, when the browser
lacks a feature, on an iPad, and at the edges of output, in real Chromium with the self-hosted
Pyodide. Nothing of Pyodide is mocked: the page's environment is changed as a browser would."""

import time

import numpy as np
import pytest
from scipy.signal import correlate2d

from conftest import PYTHON_TIMEOUT_MS
from mkdocs_cells.runner import Runner
from mkdocs_cells.testing.server import Server

pytestmark = pytest.mark.browser

SIGNAL = np.array([0, 1, 2, 3, 2, 1, 0])
# What the "Try it" page's first cell prints: its edge image and difference kernel, correlated.
FEATURE_MAP = str(correlate2d(np.array([[0, 0, 9, 9]] * 3), np.array([[-1, 1], [-1, 1]]), mode="valid"))
ISOLATING = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
NO_SHARED_MEMORY = "delete self.SharedArrayBuffer;"  # as in WebKitGTK, which still reports isolation
# iPadOS 18 Safari: a Mac's platform, a touch screen's touch points.
IPAD = """
    Object.defineProperty(Navigator.prototype, "platform", { get: () => "MacIntel" });
    Object.defineProperty(Navigator.prototype, "maxTouchPoints", { get: () => 5 });
"""


@pytest.fixture
def isolated(site):
    """The site served with the headers that make pages cross-origin isolated."""
    server = Server(site, headers=ISOLATING)
    yield server
    server.close()


def wait_python(page, state="ready"):
    page.wait_for_function(
        "state => document.querySelector(`.cl-cell[data-python=${state}]`) !== null", arg=state,
        timeout=PYTHON_TIMEOUT_MS)


def lines(text):
    return [line for line in text.splitlines() if line.strip()]


class TestFatalEnds:
    @pytest.mark.parametrize("code, status, says, logged", [
        pytest.param("import os\nos._exit(1)", "Failed: Python exited",
                     "Python exited with status 1: os._exit() ends Python itself, not just the cell.", None,
                     id="os._exit"),
        pytest.param("import os\nos.abort()", "Failed: Python crashed",
                     "Python crashed (RuntimeError: Aborted()).", "Aborted()", id="abort"),
        pytest.param("import ctypes\nctypes.string_at(0xFFFFFF00, 1000)", "Failed: Python crashed",
                     "Python crashed (RuntimeError: memory access out of bounds).", "memory access out of bounds",
                     id="wasm-trap"),
    ])
    def test_python_ending_restarts_it(self, page, server, cell, problems, code, status, says, logged):
        """When the code ends Python itself, the cell says so in a sentence, keeps the reader's
        code, and the next Run works in a new Python, re-running the earlier cells first."""
        if logged:
            problems.expect(logged)  # Pyodide's own report of the crash, in the worker's console
            problems.expect("fatal error")
        page.goto(server.url + "authoring/")
        third = cell(3)
        third.run()
        third.set_code(code)
        third.run()
        assert third.status == status
        assert lines(third.output)[0] == (
            f"{says} A new Python has started, so the earlier cells will run again before the next run. "
            "Your code is kept.")
        assert third.code == code
        third.set_code("print(signal.sum())")
        third.run()
        assert third.status == "Done"
        assert lines(third.output) == [
            "Python had been restarted, so cell 1 ran again first: this cell builds on it.",
            str(SIGNAL.sum()),
        ]

    def test_a_crashed_worker_is_replaced(self, page, server, cell, problems):
        """An error that escapes the worker itself (here thrown from JavaScript in the worker's
        own scope, after the cell) ends that worker: a new one starts, and the next Run re-runs
        the earlier cells in it."""
        problems.expect("worker boom")
        page.goto(server.url + "authoring/")
        third = cell(3)
        third.run()
        wait_python(page)
        third.set_code("import js\njs.eval('setTimeout(() => { throw new Error(\"worker boom\") })')")
        third.run()
        assert third.status == "Done"
        wait_python(page, "loading")
        wait_python(page)
        third.set_code("print(signal.sum())")
        third.run()
        assert lines(third.output) == [
            "Python had been restarted, so cell 1 ran again first: this cell builds on it.",
            str(SIGNAL.sum()),
        ]


    def test_closing_the_worker_from_a_cell_is_refused(self, page, server, cell):
        """`js.close()` would end the worker without any event: the cell gets an error saying so,
        and Python, with the earlier cells' variables, goes on."""
        page.goto(server.url + "authoring/")
        third = cell(3)
        third.run()
        third.set_code("import js\njs.close()")
        third.run()
        assert third.status.startswith("Failed")
        assert "close() would end the page's Python; a cell cannot close its worker" in third.output
        third.set_code("print(signal.sum())")
        third.run()
        assert third.status == "Done"
        assert lines(third.output) == [str(SIGNAL.sum())]


class TestMissingFeatures:
    def test_isolated_page_without_shared_memory_runs_and_stops(self, isolated, page, cell):
        """Served with COOP/COEP to an engine that has no SharedArrayBuffer (WebKitGTK), cells run,
        and Stop falls back to restarting Python."""
        page.add_init_script(NO_SHARED_MEMORY)
        page.goto(isolated.url + "first-cell/")
        assert page.evaluate("crossOriginIsolated && typeof SharedArrayBuffer === 'undefined'")
        first = cell(1)
        first.run(timeout=PYTHON_TIMEOUT_MS)
        assert first.status == "Done"
        assert first.output.strip() == FEATURE_MAP
        first.set_code("while True:\n    pass")
        first.click_run()
        time.sleep(1)
        first.button("Stop").click()
        first.wait_done(timeout=2000)
        assert first.status == "Stopped"
        assert "Python was restarted" in first.output
        first.set_code("print(6 * 7)")
        first.run()
        assert first.output.strip() == "42"

    @pytest.mark.no_service_worker
    def test_a_worker_that_never_answers_gives_a_message_and_retry(self, page, server, cell, problems):
        """If the Python worker never starts (its script never arrives), Run does not spin for ever:
        the cell says Python could not be loaded and offers Retry, which works."""
        problems.expect("runner.js")
        page.route("**/runner.js", lambda route: None)  # held: never answered
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.click_run()
        first.button("Retry").wait_for(state="visible", timeout=20_000)
        assert first.status.startswith("Python could not be loaded (the Python worker did not answer)")
        assert first.root.get_attribute("data-state") == "done"
        page.unroute("**/runner.js")
        first.button("Retry").click()
        first.run()
        assert first.output.strip() == FEATURE_MAP


class TestIPad:
    def test_ipad_gets_the_platform_pyodide_tests_for(self, page, server, cell):
        """On an iPad (a MacIntel platform with touch points), the worker shows Pyodide the
        platform "iPad", so its wasm-gc work-around engages; cells run."""
        page.add_init_script(IPAD)
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.run()
        assert first.output.strip() == FEATURE_MAP
        first.set_code("import js\nprint(js.navigator.platform)")
        first.run()
        assert first.output.strip() == "iPad"

    def test_elsewhere_the_platform_is_left_alone(self, page, server, cell):
        """Without touch points (a desktop), the worker's platform is the browser's own."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("import js\nprint(js.navigator.platform)")
        first.run()
        assert first.output.strip() == page.evaluate("navigator.platform") != "iPad"


class TestStatus:
    def test_a_finished_cell_keeps_saying_so_while_python_loads(self, page, server, cell):
        """A cell run while the background steps still load says Done, not the loader's progress;
        cells that have not run show the progress, then Python ready."""
        page.goto(server.url + "authoring/")
        first, third = cell(1), cell(3)
        first.run()
        assert first.status == "Done"
        wait_python(page)
        assert first.status == "Done"
        assert third.status == "Python ready"

    def test_stop_on_an_isolated_page_says_stopped_and_keeps_variables(self, isolated, page, cell):
        """With cross-origin isolation, Stop says Stopped and that Python kept its variables,
        not a KeyboardInterrupt traceback."""
        page.goto(isolated.url + "first-cell/")
        first = cell(1)
        first.set_code("kept = 42")
        first.run()
        wait_python(page)
        first.set_code("x = 0\nwhile True:\n    x += 1")
        first.click_run()
        time.sleep(1)
        first.button("Stop").click()
        first.wait_done(timeout=1000)
        assert first.status == "Stopped"
        assert lines(first.output) in (  # the loop was interrupted on one of its two lines
            [f"Stopped (KeyboardInterrupt at line {n}); Python kept its variables."] for n in (2, 3))
        first.set_code("print(kept)")
        first.run()
        assert first.output.strip() == "42"


class TestOutputEdges:
    def test_input_says_what_to_do_instead(self, page, server, cell):
        """input() shows its prompt, then a message saying to put the value in the code."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code('name = input("Your name: ")')
        first.run()
        assert first.status == "Failed: EOFError"
        output = first.output
        assert output.startswith("Your name: ")
        assert "EOFError: input() cannot read anything here: a cell has no keyboard to type into." in output
        assert 'Put the value in the code instead, e.g. name = "Ada"' in output
        assert "Errno 29" not in output and "runner.py" not in output

    def test_ansi_colour_codes_are_removed(self, page, server, cell):
        """Terminal colour codes do not show as raw escapes, even split across writes."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code('import sys\nprint("\\x1b[31mred\\x1b[0m and \\x1b[1;32mgreen\\x1b[0m")\n'
                       'sys.stdout.write("\\x1b[3"); sys.stdout.write("4mblue\\x1b[0m\\n");')
        first.run()
        assert lines(first.output) == ["red and green", "blue"]

    def test_a_ten_million_character_line_is_capped_and_says_so(self, page, server, cell):
        """One enormous line shows its first 100,000 characters and a note of what was left out."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code('print("x" * 10_000_000)')
        first.run()
        shown, note = lines(first.output)
        assert shown == "x" * 100_000
        assert note == "… 9,900,001 more characters not shown (output is capped at 100,000 characters)"


def test_build_says_the_same_as_the_page():
    """At build (CPython) the runner gives the same notes and messages as in the page."""
    outputs = []
    Runner().run('print("\\x1b[31mred\\x1b[0m")', "ns", 1, lambda kind, payload: outputs.append(payload))
    assert outputs == ["red", "\n"]
    Runner().run('print("x" * 10_000_000)', "ns", 1, lambda kind, payload: outputs.append((kind, payload)))
    assert outputs[-1] == (
        "truncated", "… 9,900,001 more characters not shown (output is capped at 100,000 characters)")
    reply = Runner().run("input()", "ns", 1, lambda kind, payload: None)
    assert reply["error"]["type"] == "EOFError" and "Put the value in the code instead" in reply["error"]["message"]
