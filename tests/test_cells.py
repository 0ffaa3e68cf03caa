"""The runnable cells as a reader uses them, in real Chromium with the self-hosted Pyodide."""

import time
from collections import Counter

import numpy as np
import pytest
from scipy.signal import correlate2d

from conftest import PYTHON_TIMEOUT_MS
from mkdocs_cells.testing.server import Server

pytestmark = pytest.mark.browser

SIGNAL = np.array([0, 1, 2, 3, 2, 1, 0])


def wait_ready(page):
    page.wait_for_function(
        # Every cell carries the runtime's state; a cell that has run keeps its own status line.
        "() => document.querySelector('.cl-cell[data-python=ready]') !== null",
        timeout=PYTHON_TIMEOUT_MS,
    )


class Held:
    """A script module that arrives only when ``release()`` is called, as on a slow network.

    Its URL answers with a module that waits for word on a BroadcastChannel (so it works in
    the page and in the worker alike), then re-exports the real module.
    """

    CHANNEL = "convlesson-test-held"

    def __init__(self, page, path: str):
        self.page, self.pattern = page, f"**/{path}"
        page.route(self.pattern, lambda route: route.fulfill(content_type="text/javascript", body=f"""
            const channel = new BroadcastChannel("{self.CHANNEL}");
            await new Promise((resolve) => {{
              channel.onmessage = ({{ data }}) => data === "go" && resolve();
              channel.postMessage("waiting");
            }});
            channel.close();
            export * from "{route.request.url}?arrived";
        """))

    def release(self):
        """Let the module arrive now, and any later request for it at once."""
        self.page.unroute(self.pattern)
        self.page.evaluate("""name => {
            const channel = new BroadcastChannel(name);
            channel.onmessage = ({ data }) => data === "waiting" && channel.postMessage("go");
            channel.postMessage("go");
            window.__held = channel;
        }""", self.CHANNEL)


# What the "Try it" page's first cell prints: its edge image and difference kernel, correlated.
FIRST_OUTPUT = str(correlate2d(np.array([[0, 0, 9, 9]] * 3), np.array([[-1, 1], [-1, 1]]), mode="valid"))


# Records each step Python loads, as "Loading STEP", in window.__loading: the first cell's
# data-python-step, which says it also after the cell's own status says Done.
RECORD_LOADING = """
    window.__loading = [];
    new MutationObserver(() => {
      const step = document.querySelector('.cl-cell')?.dataset.pythonStep;
      const text = step && `Loading ${step}`;
      if (text && window.__loading.at(-1) !== text) window.__loading.push(text);
    }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-python-step']});
"""

# Records the text of cell 1's status line each time it changes, in window.__statuses.
RECORD_STATUS = """
    window.__statuses = [];
    new MutationObserver(() => {
      const status = document.querySelector('.cl-cell__status');
      const text = status && status.textContent;
      if (text && window.__statuses.at(-1) !== text) window.__statuses.push(text);
    }).observe(document, {subtree: true, childList: true, characterData: true});
"""


# Records when each editor and each live figure took its place, in window.__setUp.
RECORD_SET_UP = """
    window.__setUp = [];
    new MutationObserver((records) => {
      for (const record of records) {
        const placed = [...record.addedNodes].some(n => n.nodeType === 1 && n.matches('.cl-cell__editor'));
        const ready = record.type === 'attributes' && record.target.matches('figure.cl-widget');
        if (placed || ready) window.__setUp.push(performance.now());
      }
    }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready']});
"""


class TestEditor:
    def test_editor_is_codemirror_with_python_highlighting(self, page, server, cell):
        """The cell is a CodeMirror editor: a textbox, line numbers, Python keywords coloured."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        first.editor.wait_for()  # the editors arrive just after the page has loaded
        assert first.root.locator(".cm-editor").count() == 1
        assert first.root.locator(".cm-lineNumbers .cm-gutterElement").all_inner_texts()[-2:] == ["1", "2"]
        keyword = first.root.locator(".cm-line span", has_text="import").first
        code = first.root.locator(".cm-content")
        assert keyword.evaluate("e => getComputedStyle(e).color") != code.evaluate("e => getComputedStyle(e).color")

    def test_typing_brackets_and_undo(self, page, server, cell):
        """Typing closes brackets, matching brackets are marked, and Ctrl+Z undoes the edit."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        first.editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\nprint(1")
        assert first.code.endswith("print(1)")
        assert first.root.locator(".cm-matchingBracket").count() == 2
        page.keyboard.press("Control+z")
        assert first.code == "import numpy as np\nnp.arange(6).reshape(2, 3)"

    def test_read_only_cell_cannot_be_edited(self, page, server, cell):
        """A `readonly` cell runs but its code cannot change, and it has no Reset."""
        page.goto(server.url + "authoring/")
        fixed = cell(4)
        assert fixed.editor.get_attribute("contenteditable") == "false"
        assert fixed.button("Reset").is_hidden()
        fixed.run()
        assert fixed.output.splitlines()[-1] == f"signal.sum() = np.int32({SIGNAL.sum()})"

    def test_editor_follows_the_palette_switch(self, page, server, cell):
        """Switching Material to dark mode changes the editor's background and text colours."""
        page.goto(server.url + "authoring/")
        content = cell(1).root.locator(".cm-editor")
        light = content.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
        page.locator('label[title="Switch to dark mode"]').click()
        page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
        dark = content.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
        assert light[0] != dark[0] and light[1] != dark[1]


class TestBeforeTheEditor:
    """The controls come before the editor's script (the page's largest), which may arrive late."""

    @pytest.mark.no_service_worker
    def test_run_before_the_editor_runs_the_lesson_code(self, page, server, cell):
        """Run clicked while the editor is still loading runs the lesson's code; the editor then shows it."""
        editor = Held(page, "vendor/codemirror.js")
        page.goto(server.url + "first-cell/", wait_until="domcontentloaded")
        first = cell(1)
        first.button("Run").wait_for()
        assert first.editor.count() == 0
        first.run()
        assert first.output.strip() == FIRST_OUTPUT
        editor.release()
        first.editor.wait_for()
        assert "image = np.array([[0, 0, 9, 9]," in first.code and "print(feature_map)" in first.code

    @pytest.mark.no_service_worker
    def test_run_before_the_editor_runs_the_saved_edit(self, page, server, cell):
        """With a saved edit, the page shows it at once, Run runs it, and the editor then holds it."""
        page.goto(server.url + "first-cell/")
        cell(1).set_code("print('my edit', 6 * 7)")
        editor = Held(page, "vendor/codemirror.js")
        page.reload(wait_until="domcontentloaded")
        first = cell(1)
        first.button("Run").wait_for()
        assert first.root.locator(".highlight").inner_text().strip() == "print('my edit', 6 * 7)"
        first.run()
        assert first.output.strip() == "my edit 42"
        editor.release()
        first.editor.wait_for()
        assert first.code == "print('my edit', 6 * 7)"

    @pytest.mark.no_service_worker
    def test_reset_and_copy_before_the_editor(self, page, server, cell):
        """Before the editor, Copy copies the code shown and Reset brings back the lesson's, for good."""
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(server.url + "first-cell/")
        first = cell(1)
        original = first.code
        first.set_code("print('stale edit')")
        editor = Held(page, "vendor/codemirror.js")
        page.reload(wait_until="domcontentloaded")
        first = cell(1)
        first.button("Copy").click()
        assert page.evaluate("navigator.clipboard.readText()") == "print('stale edit')"
        first.button("Reset").click()
        assert first.root.locator(".highlight").inner_text().strip() == original
        editor.release()
        first.editor.wait_for()
        assert first.code == original
        page.reload()
        assert cell(1).code == original


class TestControls:
    @pytest.mark.parametrize("keys", ["Shift+Enter", "Control+Enter", "Meta+Enter"])
    def test_keyboard_runs_the_cell(self, page, server, cell, keys):
        """Shift+Enter, Ctrl+Enter and Cmd+Enter run the cell, without inserting a line."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("print(6 * 7)")
        first.editor.press(keys)
        first.wait_done()
        assert first.output.strip() == "42"
        assert first.code == "print(6 * 7)"

    def test_reset_restores_the_lesson_code(self, page, server, cell):
        """Reset puts the lesson's code back after an edit."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        original = first.code
        first.set_code("print('mine')")
        first.button("Reset").click()
        assert first.code == original

    def test_copy_puts_the_code_on_the_clipboard(self, page, server, cell):
        """Copy copies the editor's current code."""
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(server.url + "authoring/")
        first = cell(1)
        first.set_code("x = 'copied'")
        first.button("Copy").click()
        assert page.evaluate("navigator.clipboard.readText()") == "x = 'copied'"
        assert first.status == "Copied to the clipboard"

    def test_stop_is_shown_only_while_running(self, page, server, cell):
        """Stop appears while code runs and disappears when it ends."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        assert first.button("Stop").is_hidden()
        first.set_code("import time\ntime.sleep(1.5)\nprint('slept')")
        first.click_run()
        first.button("Stop").wait_for(state="visible")
        first.wait_done()
        assert first.button("Stop").is_hidden()
        assert first.output.strip() == "slept"


class TestLoading:
    def test_prefetch_on_idle_and_progress_steps(self, page, server, cell):
        """Without any click, Python loads once the page is idle, showing each step, then ready."""
        page.add_init_script(RECORD_STATUS)
        page.goto(server.url + "authoring/")
        wait_ready(page)
        steps = page.evaluate("window.__statuses")
        loading = [s for s in steps if s.startswith("Loading")]
        assert [s.split("…")[0] for s in loading] == [
            "Loading Python", "Loading numpy", "Loading convlesson", "Loading matplotlib"]
        percents = [int(s.split("… ")[1].rstrip(" %")) for s in loading]
        assert percents == sorted(percents) and percents[0] == 0 and percents[-1] < 100
        assert steps[-1] == "Python ready"
        assert server.count("pyodide.asm.wasm") >= 1

    def test_python_starts_once_the_page_is_set_up(self, page, server):
        """Prefetch waits until every editor and figure is in place: Python loading alongside
        them held up the page's start."""
        page.add_init_script(RECORD_SET_UP)
        page.goto(server.url + "putting-it-together/")
        wait_ready(page)
        cells = page.locator(".cl-cell:not([data-hidden])").count()
        figures = page.locator("figure.cl-widget").count()
        set_up = page.evaluate("window.__setUp")
        assert cells and figures and len(set_up) == cells + figures
        started = page.evaluate("performance.getEntriesByName('cells:start')[0].startTime")
        assert started > max(set_up)

    @pytest.mark.no_service_worker
    def test_a_figure_run_first_loads_matplotlib_before_convlesson(self, page, server, cell):
        """A first Run that plots gets matplotlib loaded next, before convlesson, which nothing yet needs."""
        page.add_init_script(RECORD_LOADING)
        python = Held(page, "pyodide/pyodide.mjs")  # Python starts only once Run was clicked
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()")
        first.click_run()
        python.release()
        first.wait_done()
        assert first.root.locator("img.cl-out--image").count() == 1
        wait_ready(page)
        loading = page.evaluate("window.__loading")
        assert loading == ["Loading Python", "Loading numpy", "Loading matplotlib", "Loading convlesson"]

    def test_each_file_is_fetched_once(self, page, server, cell):
        """Fetching packages ahead of their step does not fetch any of them twice."""
        before = len(server.requests)
        page.goto(server.url + "first-cell/")
        wait_ready(page)
        fetched = Counter(path.rsplit("/", 1)[-1] for path in server.requests[before:]
                          if "/pyodide/" in path and path.endswith((".whl", ".zip", ".wasm")))
        assert {"pyodide.asm.wasm", "matplotlib-3.8.4-cp312-cp312-pyodide_2024_0_wasm32.whl",
                "convlesson-0.1.0-py3-none-any.whl", "matplotlib.zip"} <= set(fetched)
        assert set(fetched.values()) == {1}, fetched

    def test_packages_matplotlib_does_not_import_load_when_a_cell_does(self, page, server, cell):
        """pytz, in Pyodide's matplotlib recipe but unused by matplotlib, is not loaded ahead;
        a cell importing it gets it all the same."""
        before = len(server.requests)
        page.goto(server.url + "first-cell/")
        wait_ready(page)
        assert not [path for path in server.requests[before:] if "/pytz-" in path]
        first = cell(1)
        first.set_code("import pytz, matplotlib\nprint(pytz.utc, matplotlib.__version__)")
        first.run()
        assert first.output.strip() == "UTC 3.8.4"

    def test_page_without_cells_loads_no_python(self, page, server):
        """A page without cells (here the 404 page) fetches no part of Pyodide."""
        before = len(server.requests)
        page.goto(server.url + "404.html")
        page.wait_for_load_state("networkidle")
        assert not [p for p in server.requests[before:] if "/pyodide/" in p]

    @pytest.mark.no_service_worker
    def test_broken_pyodide_url_says_so_and_retry_works(self, page, server, cell, problems):
        """If Pyodide cannot be fetched the cell says so with Retry; Retry then works."""
        problems.expect("pyodide.mjs")
        page.route("**/pyodide/pyodide.mjs", lambda route: route.fulfill(status=404, body="missing"))
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.click_run()
        first.button("Retry").wait_for(state="visible", timeout=15_000)
        assert "Python could not be loaded" in first.status
        assert "Python could not load" in first.output
        page.unroute("**/pyodide/pyodide.mjs")
        first.button("Retry").click()
        first.run()
        assert first.output.strip() == FIRST_OUTPUT


class TestOutput:
    def test_stdout_and_stderr_are_shown_apart(self, page, server, cell):
        """stderr gets its own block, styled differently from stdout."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)")
        first.run()
        out = first.root.locator(".cl-out--stdout")
        err = first.root.locator(".cl-out--stderr")
        assert out.inner_text().strip() == "to stdout" and err.inner_text().strip() == "to stderr"
        color = "e => getComputedStyle(e).color"
        assert out.evaluate(color) != err.evaluate(color)

    def test_output_streams_while_the_cell_runs(self, page, server, cell):
        """A line printed before a long computation is visible before the cell ends."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("import time\nprint('started', flush=True)\ntime.sleep(3)\nprint('finished')")
        first.click_run()
        first.root.locator(".cl-out--stdout", has_text="started").wait_for(timeout=PYTHON_TIMEOUT_MS)
        assert first.root.get_attribute("data-state") == "running"
        first.wait_done()
        assert first.output.split() == ["started", "finished"]

    def test_last_expression_shown_unless_semicolon(self, page, server, cell):
        """The last bare expression's repr is shown, as in a notebook; a trailing ; hides it."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("import numpy as np\nnp.eye(2)")
        first.run()
        assert first.output.strip() == repr(np.eye(2))
        first.set_code("np.eye(2);")
        first.run()
        assert first.output.strip() == ""

    def test_figures_are_shown_and_closed(self, page, server, cell):
        """plt.show() and figures left open both appear as images; none stays open after."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code(
            "import matplotlib.pyplot as plt\n"
            "plt.plot([1, 3, 2]); plt.title('shown'); plt.show()\n"
            "plt.figure(); plt.plot([2, 1]); plt.title('left open')"
        )
        first.run()
        images = first.root.locator("img.cl-out--image")
        assert images.count() == 2
        assert [images.nth(i).get_attribute("alt") for i in range(2)] == ["Figure: shown", "Figure: left open"]
        assert all(images.nth(i).evaluate("i => i.naturalWidth > 0") for i in range(2))
        first.set_code("len(plt.get_fignums())")
        first.run()
        assert first.output.strip() == "0"

    def test_live_output_replaces_build_output(self, page, server, cell):
        """The build's output is shown first; a run replaces it."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        assert first.output.strip() == repr(np.arange(6).reshape(2, 3))
        first.set_code("print('live')")
        first.run()
        assert first.output.strip() == "live"

    def test_flood_of_output_is_capped(self, page, server, cell):
        """A million prints show 1,000 lines and a count of the rest; the page stays responsive."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("for i in range(10**6):\n    print(i)")
        first.run()
        stdout = first.root.locator(".cl-out--stdout").inner_text().splitlines()
        assert stdout == [str(i) for i in range(1000)]
        note = first.root.locator(".cl-out--note").inner_text()
        assert note == "… 999,000 more lines not shown (output is capped at 1,000 lines)"
        assert page.evaluate("1 + 1") == 2

    def test_printed_markup_is_text(self, page, server, cell):
        """Printing HTML shows the characters; nothing is parsed or run."""
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "first-cell/")
        first = cell(1)
        markup = "<img src=x onerror=alert(1)><b>bold</b>"
        first.set_code(f"print({markup!r})\n{markup!r}")
        first.run()
        assert first.output.splitlines()[0] == markup
        assert first.root.locator(".cl-cell__output img, .cl-cell__output b").count() == 0
        assert dialogs == []


class TestNamespace:
    def test_running_a_later_cell_runs_earlier_ones_first(self, page, server, cell):
        """Running cell 3 first runs cell 1 (and the hidden setup cell 2), and says so."""
        page.goto(server.url + "authoring/")
        third = cell(3)
        third.run()
        lines = [line for line in third.output.splitlines() if line]
        assert lines[0] == "Ran cell 1 first: this cell builds on it."
        assert lines[1:] == [f"signal: {SIGNAL}", f"slopes: {np.correlate(SIGNAL, [1, 0, -1], mode='valid')}"]
        assert cell(1).root.get_attribute("data-state") == "done"

    def test_expected_error_does_not_block_later_cells(self, page, server, cell):
        """A `raises` cell before the figure cell shows its error, and the figure still runs."""
        page.goto(server.url + "authoring/")
        figure = cell(6)
        figure.run()
        assert figure.output.splitlines()[0] == "Ran cells 1, 3, 4 and 5 first: this cell builds on them."
        assert figure.root.locator("img.cl-out--image").count() == 1
        assert "ValueError" in cell(5).output

    def test_traceback_is_trimmed_and_line_highlighted(self, page, server, cell):
        """An error shows the reader's frames only, with the editor's line numbers, and marks the line."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("a = 1\nb = 0\nc = a / b\nprint(c)")
        first.run()
        assert first.output.rstrip("\n") == (
            "Traceback (most recent call last):\n"
            '  File "<cell 1>", line 3, in <module>\n'
            "    c = a / b\n        ~~^~~\n"
            "ZeroDivisionError: division by zero"
        )
        lines = first.root.locator(".cm-line")
        assert [lines.nth(i).evaluate("l => l.classList.contains('cm-errorLine')") for i in range(4)] == [
            False, False, True, False]

    def test_syntax_error_is_reported_with_its_line(self, page, server, cell):
        """A SyntaxError names the line, and the editor marks it."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.set_code("x = 1\ny = (x +\n")
        first.run()
        assert "SyntaxError: '(' was never closed" in first.output
        assert 'File "<cell 1>", line 2' in first.output
        assert first.root.locator(".cm-line").nth(1).evaluate("l => l.classList.contains('cm-errorLine')")


@pytest.fixture
def isolated(site):
    """The site served with the headers that make pages cross-origin isolated."""
    server = Server(site, headers={
        "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"})
    yield server
    server.close()


class TestStop:
    def test_stop_ends_an_endless_loop_on_a_plain_host(self, page, server, cell):
        """On a host without special headers, Stop ends `while True` within 1 s; Python restarts,
        says so, and the next Run re-runs the earlier cells it needs."""
        page.goto(server.url + "authoring/")
        third = cell(3)
        third.run()
        third.set_code("while True:\n    pass")
        third.click_run()
        time.sleep(1)
        assert third.root.get_attribute("data-state") == "running"
        started = time.monotonic()
        third.button("Stop").click()
        third.wait_done(timeout=1000)
        assert time.monotonic() - started < 1
        assert "Python was restarted" in third.output
        assert page.evaluate("1 + 1") == 2
        third.set_code("print(signal.sum())")
        third.run()
        lines = [line for line in third.output.splitlines() if line]
        assert lines == [
            "Python had been restarted, so cell 1 ran again first: this cell builds on it.",
            str(SIGNAL.sum()),
        ]

    @pytest.mark.no_service_worker  # whose keeping the runtime would fetch the wasm once more
    def test_stop_keeps_state_when_cross_origin_isolated(self, isolated, page, cell):
        """With COOP/COEP headers, Stop interrupts Python (it does not start it again) and keeps
        the page's variables."""
        page.goto(isolated.url + "first-cell/")
        assert page.evaluate("crossOriginIsolated")
        first = cell(1)
        first.set_code("kept = 42")
        first.run()
        wait_ready(page)  # so the loop runs at once, not queued behind background loading
        first.set_code("while True:\n    pass")
        first.click_run()
        time.sleep(1)
        started = time.monotonic()
        first.button("Stop").click()
        first.wait_done(timeout=1000)
        assert time.monotonic() - started < 1
        assert "KeyboardInterrupt" in first.output
        first.set_code("print(kept)")
        first.run()
        assert first.output.strip() == "42"
        assert isolated.count("pyodide.asm.wasm") == 1


class TestEdits:
    def test_edit_survives_reload_until_reset(self, page, server, cell):
        """An edit is kept across a reload; Reset brings back the lesson's code for good."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        original = first.code
        first.set_code("print('my edit')")
        page.reload()
        assert cell(1).code == "print('my edit')"
        cell(1).button("Reset").click()
        page.reload()
        assert cell(1).code == original

    def test_edit_of_an_older_lesson_version_is_not_restored(self, page, server, cell):
        """A saved edit is tied to the lesson code it was made on: another version is ignored."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        original = first.code
        first.set_code("print('stale')")
        page.evaluate("""() => {
            const key = Object.keys(localStorage).find(k => k.startsWith('convlesson:edit:'));
            localStorage.setItem(key.replace(/:[0-9a-f]{8}$/, ':00000000'), localStorage.getItem(key));
            localStorage.removeItem(key);
        }""")
        page.reload()
        assert cell(1).code == original


class TestNavigation:
    def test_runtime_survives_instant_navigation(self, page, server, cell):
        """After instant navigation the next page runs at once: no new Pyodide, its own namespace."""
        before = server.count("pyodide.asm.wasm")
        page.goto(server.url + "first-cell/")
        cell(1).run()
        page.evaluate("window.__samePage = true")
        page.locator("nav.md-nav--primary").get_by_role("link", name="Writing cells").click()
        page.wait_for_url("**/authoring/")
        # The address changes before the new page's content replaces the old: wait for that.
        page.wait_for_function("document.title.startsWith('Writing cells')")
        assert page.evaluate("window.__samePage") is True  # no full page load
        first = cell(1)
        first.set_code("print('feature_map' in globals())\nimport numpy as np\nprint(np.ones(3).sum())")
        first.run(timeout=10_000)
        assert first.output.split() == ["False", "3.0"]
        assert server.count("pyodide.asm.wasm") - before == 1


class TestAccessibility:
    def test_roles_and_names(self, page, server, cell):
        """Group named "Code cell N", real buttons named Run/Stop/Reset/Copy, a textbox, a live output."""
        page.goto(server.url + "authoring/")
        first = cell(1)
        assert first.root.count() == 1
        for name in ("Run", "Reset", "Copy"):
            assert first.button(name).evaluate("b => b.tagName") == "BUTTON"
            assert first.button(name).inner_text() == name
        assert first.root.locator("button", has_text="Stop").count() == 1
        assert first.editor.get_attribute("aria-label") == "Code cell 1: Python code"
        assert first.root.locator(".cl-cell__output").get_attribute("aria-live") == "polite"

    def test_keyboard_only_edit_and_run(self, page, server, cell):
        """Tab reaches the editor; typing and Shift+Enter run the cell without a mouse."""
        page.goto(server.url + "first-cell/")
        first = cell(1)
        first.button("Copy").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('cm-content')")
        page.keyboard.press("Control+a")
        page.keyboard.type("print('typed')")
        page.keyboard.press("Shift+Enter")
        first.wait_done()
        assert first.output.strip() == "typed"
