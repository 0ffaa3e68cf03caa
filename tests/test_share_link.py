"""Share links in real Chromium against the built site: a cell's code or a figure's state,
carried in the link's fragment, restored on opening, and never run by itself."""

import pytest

from conftest import PYTHON_TIMEOUT_MS, Cell

pytestmark = pytest.mark.browser

# Twenty lines, as a reader's edited cell might be; the marker shows if the code ever runs.
SHARED = "\n".join(
    ["import numpy as np", "import convlesson as cl", "", "print('shared-code-ran')"]
    + [f"row_{i} = np.arange({i}, {i} + 9).reshape(3, 3)  # row {i} of the reader's experiment" for i in range(16)]
)


@pytest.fixture
def clipboard_page(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    return page


def share(cell) -> str:
    """Click the cell's Share button; the href of the "Share link" it shows."""
    cell.button("Share").click()
    link = cell.root.get_by_role("link", name="Share link", exact=True)
    link.wait_for()
    return link.get_attribute("href")


def wait_python_ready(page):
    page.wait_for_function("() => document.querySelector('.cl-cell[data-python=ready]') !== null",
                           timeout=PYTHON_TIMEOUT_MS)


def test_share_round_trip_shows_the_code_and_runs_nothing(clipboard_page, browser, server, cell, problems):
    """Edit, Share: a link under 2,000 characters, copied; opened in a new page it scrolls to
    the cell, shows the code with the note, and nothing runs, not even once Python is up."""
    page = clipboard_page
    page.goto(server.url + "kernels/")
    third = cell(3)
    third.set_code(SHARED)
    href = share(third)
    assert len(SHARED.splitlines()) == 20
    assert len(href) < 2000, len(href)
    assert "shared-code-ran" not in href  # compressed, not spelled out
    assert href.startswith(server.url + "kernels/#")
    assert page.evaluate("navigator.clipboard.readText()") == href
    assert third.status == "Link copied to the clipboard"

    other = browser.new_context()
    try:
        reader = other.new_page()
        problems.watch(reader)
        reader.goto(href)
        shared = Cell(reader, 3)
        assert shared.code == SHARED
        note = shared.root.get_by_role("status").filter(has_text="share link")
        assert "Reset restores the lesson's code" in note.inner_text()
        box = shared.root.bounding_box()
        assert 0 <= box["y"] < reader.viewport_size["height"], "the page is not scrolled to the cell"
        wait_python_ready(reader)
        reader.wait_for_timeout(1500)  # time for anything that would run by itself
        assert reader.locator(".cl-cell[data-state]").count() == 0
        assert not any("shared-code-ran" in text for text in reader.locator(".cl-cell__output").all_inner_texts())

        # A later cell builds on it: its Run does not run the shared code either.
        later = Cell(reader, 4)
        later.run()
        assert "holds code from a share link" in later.output
        assert "shared-code-ran" not in shared.output

        # The reader's own Run does; Reset brings back the lesson's code.
        shared.run()
        assert "shared-code-ran" in shared.output
        shared.button("Reset").click()
        assert shared.code.startswith("step = cl.images.step_edge(8)")
        assert shared.root.locator(".cl-cell__note").count() == 0
    finally:
        other.close()


def test_shared_code_does_not_replace_a_saved_edit(clipboard_page, server, cell):
    """The reader's saved edit of the cell stays saved under shared code, and the note says so."""
    page = clipboard_page
    page.goto(server.url + "kernels/")
    third = cell(3)
    third.set_code("print('my own edit')")
    mine = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.includes('#3:'))")
    third.set_code(SHARED)
    href = share(third)
    third.set_code("print('my own edit')")
    page.goto(href)
    page.reload()  # a fresh load of the link (goto within the page only changes the fragment)
    shared = cell(3)
    assert shared.code == SHARED
    assert "Your own edit of this cell stays saved" in shared.root.locator(".cl-cell__note").inner_text()
    assert page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.includes('#3:'))") == mine


@pytest.mark.parametrize("fragment, why", [
    ("#share=cell-3&code=abc!def", "damaged"),
    ("#share=cell-3&code=AAAA", "damaged or cut short"),
    ("#share=cell-3&code=", "cut short"),
    ("#share=cell-3&code=" + "A" * 20_000, "more than a share link can be"),
])
def test_malformed_link_gives_a_message_and_keeps_the_code(page, server, cell, fragment, why):
    page.goto(server.url + "kernels/" + fragment)
    third = cell(3)
    note = third.root.get_by_role("alert")
    note.wait_for()
    assert "This share link could not be read" in note.inner_text()
    assert why in note.inner_text()
    assert third.code.startswith("step = cl.images.step_edge(8)")
    assert "print(cl.conv2d(step, edge))" in third.code


def test_link_to_a_cell_the_page_lacks(page, server, cell):
    page.goto(server.url + "kernels/#share=cell-99&code=AAAA")
    alert = page.get_by_role("alert").filter(has_text="share link")
    assert "cell 99" in alert.inner_text()


def test_figure_state_link(clipboard_page, browser, server, problems):
    """The output-size figure: change its numbers, Share, open the link: the same numbers and
    the same answer; a damaged figure link says so and the figure keeps its own settings."""
    page = clipboard_page
    page.goto(server.url + "stride-padding/")
    figure = page.locator("figure.cl-widget[data-widget=output_size]")
    page.wait_for_selector("figure.cl-widget[data-widget=output_size][data-ready]")
    values = {"Input size W": "13", "Kernel K": "4", "Padding P": "2", "Stride S": "3"}
    for name, value in values.items():
        figure.get_by_role("spinbutton", name=name).fill(value)
    answer = figure.locator("output").inner_text()
    assert answer == str((13 - 4 + 2 * 2) // 3 + 1)
    figure.get_by_role("button", name="Share", exact=True).click()
    link = figure.get_by_role("link", name="Share link", exact=True)
    link.wait_for()
    href = link.get_attribute("href")
    assert page.evaluate("navigator.clipboard.readText()") == href

    other = browser.new_context()
    try:
        reader = other.new_page()
        problems.watch(reader)
        reader.goto(href)
        reader.wait_for_selector("figure.cl-widget[data-widget=output_size][data-ready]")
        shared = reader.locator("figure.cl-widget[data-widget=output_size]")
        for name, value in values.items():
            assert shared.get_by_role("spinbutton", name=name).input_value() == value
        assert shared.locator("output").inner_text() == answer
        assert "came from a share link" in shared.get_by_role("status").filter(has_text="share link").inner_text()

        figure_id = shared.get_attribute("id")
        reader.goto(server.url + f"stride-padding/#share={figure_id}&state=AAAA")
        reader.reload()
        broken = reader.locator(f"#{figure_id}")
        reader.wait_for_selector(f"#{figure_id}[data-ready]")
        assert "could not be read" in broken.locator(".cl-widget__shared").inner_text()
    finally:
        other.close()
