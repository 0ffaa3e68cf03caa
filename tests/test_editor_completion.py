"""Completion and help on names in the cells' editor, in real Chromium against the built site:
from the index the build wrote, so before Python has loaded."""

import inspect
import json

import pytest

import convlesson
import numpy

pytestmark = pytest.mark.browser


def summary(function) -> str:
    """The first line of the docstring's summary (C functions start with their signature)."""
    paragraphs = inspect.getdoc(function).split("\n\n")
    if paragraphs[0].startswith(function.__name__ + "("):
        paragraphs.pop(0)
    return paragraphs[0].splitlines()[0]


@pytest.fixture
def no_python(page):
    """Python never loads: the worker's requests for Pyodide are held, unanswered."""
    held = []
    page.context.route("**/pyodide/**", lambda route: held.append(route))
    yield page
    page.context.unroute_all(behavior="ignoreErrors")


def type_at_end(page, cell, text: str):
    cell.editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")  # out of any indented block the cell ends in
    page.keyboard.type(text)


def options(page) -> list[str]:
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    return [option.locator(".cm-completionLabel").inner_text() for option in listbox.get_by_role("option").all()]


@pytest.mark.no_service_worker
def test_numpy_completion_before_python_has_loaded(no_python, server, cell):
    page = no_python
    page.goto(server.url + "kernels/")
    first = cell(1)
    type_at_end(page, first, "np.ara")
    offered = options(page)
    assert offered[0] == "arange"
    assert first.root.get_attribute("data-python") != "ready"
    # The option carries numpy's own signature and summary, as Python documents it.
    selected = page.get_by_role("option", selected=True)
    assert selected.locator(".cm-completionDetail").inner_text().startswith("([start,] stop")
    assert page.locator(".cm-completionInfo").inner_text() == summary(numpy.arange)
    # Accepted with Enter, by keyboard alone.
    page.keyboard.press("Enter")
    assert first.code.endswith("np.arange")


def test_completion_of_a_name_an_earlier_cell_defines(page, server, cell):
    """Cell 3 of the kernels page defines `step`; cell 4 does not mention it."""
    page.goto(server.url + "kernels/")
    fourth = cell(4)
    assert "step" not in fourth.code
    type_at_end(page, fourth, "ste")
    assert "step" in options(page)


def test_convlesson_completion(page, server, cell):
    page.goto(server.url + "kernels/")
    type_at_end(page, cell(1), "cl.conv")
    offered = options(page)
    public = {name for name in convlesson.__all__ if name.startswith("conv")}
    assert public <= set(offered), public - set(offered)
    assert all(name.startswith("conv") for name in offered)


def test_submodule_completion(page, server, cell):
    page.goto(server.url + "kernels/")
    type_at_end(page, cell(1), "cl.nn.Con")
    assert "Conv2d" in options(page)


def test_no_completion_in_a_string(page, server, cell):
    page.goto(server.url + "kernels/")
    type_at_end(page, cell(1), "print('np.ara")
    page.wait_for_timeout(300)
    assert page.get_by_role("listbox").count() == 0


def test_hover_shows_the_signature_and_summary(page, server, cell):
    page.goto(server.url + "kernels/")
    first = cell(1)
    type_at_end(page, first, "out = cl.conv2d")
    line = first.root.locator(".cm-line", has_text="out = cl.conv2d")
    x, y = page.evaluate("""line => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode());) {
        const at = node.textContent.indexOf("conv2d");
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at + 2);
        range.setEnd(node, at + 3);
        const box = range.getBoundingClientRect();
        return [box.x + box.width / 2, box.y + box.height / 2];
      }
    }""", line.element_handle())
    page.mouse.move(x, y)  # over the "n" of conv2d
    tooltip = page.locator(".cm-tooltip-hover")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert f"conv2d{inspect.signature(convlesson.conv2d)}" in text
    assert summary(convlesson.conv2d) in text


def test_help_key_shows_the_tooltip_to_a_screen_reader(page, server, cell):
    """Ctrl+Shift+Space on a name: the same help, in a live region; Escape closes it."""
    page.goto(server.url + "kernels/")
    first = cell(1)
    type_at_end(page, first, "np.zeros")
    page.keyboard.press("Escape")  # the completion list
    page.keyboard.press("Control+Shift+Space")
    help_ = first.root.get_by_role("status").filter(has_text="zeros(")
    help_.wait_for()
    assert summary(numpy.zeros) in help_.inner_text()
    page.keyboard.press("Escape")
    help_.wait_for(state="detached")


def test_index_lists_the_modules_the_page_runs(site):
    """The index comes from the Pyodide the pages run: its numpy is the lock's, not the build's."""
    index = json.loads((site / "assets/cells/completions.json").read_text())
    lock = json.loads((site / "pyodide/pyodide-lock.json").read_text())
    assert index["versions"]["numpy"] == lock["packages"]["numpy"]["version"]
    assert index["aliases"] == {"cl": "convlesson", "np": "numpy"}
    assert "conv2d" in index["modules"]["convlesson"]
    assert "Conv2d" in index["modules"]["convlesson.nn"]
