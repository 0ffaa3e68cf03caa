"""The reader's data plan (data-plan.js): where the browser signals Save-Data or a 2G connection,
Python's 20-odd MB do not load in the background, only on the first use of a cell. In Chromium
against the built site; `navigator.connection` is given the values a browser reports."""

import json

import pytest

from conftest import PYTHON_TIMEOUT_MS, Cell

pytestmark = pytest.mark.browser

CONNECTION = """Object.defineProperty(Navigator.prototype, "connection", {
  configurable: true,
  get: () => Object.assign(new EventTarget(), %s),
});"""
# The page has loaded and its editors are in place: when Python would start in the background.
SETTLED = "() => document.readyState === 'complete' && document.querySelectorAll('.cl-cell .cm-editor').length > 0"


def runtime_requests(server, since):
    return [path for path in server.requests[since:] if "/pyodide/" in path]


@pytest.mark.parametrize("connection", [{"saveData": True, "effectiveType": "4g"},
                                        {"saveData": False, "effectiveType": "2g"},
                                        {"saveData": False, "effectiveType": "slow-2g"}])
def test_save_data_or_2g_loads_python_only_when_the_reader_uses_a_cell(page, server, connection):
    page.add_init_script(CONNECTION % json.dumps(connection))
    asked = len(server.requests)
    page.goto(server.url + "first-cell/")
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_timeout(4000)
    assert runtime_requests(server, asked) == []
    first = Cell(page, 1)
    first.editor.click()  # the first interaction with a cell starts Python
    page.wait_for_function("() => performance.getEntriesByName('cells:start').length > 0", timeout=10_000)
    first.run()
    assert "[[" in first.output
    assert runtime_requests(server, asked)


def test_on_a_fast_connection_python_loads_in_the_background(page, server):
    page.add_init_script(CONNECTION % json.dumps({"saveData": False, "effectiveType": "4g"}))
    asked = len(server.requests)
    page.goto(server.url + "first-cell/")
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_function("() => performance.getEntriesByName('cells:start').length > 0", timeout=PYTHON_TIMEOUT_MS)
    page.wait_for_timeout(2000)
    assert runtime_requests(server, asked)
