"""Runnable cells at build time: executed in CPython, outputs in the HTML, failures fail the build."""

import os
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

import numpy as np
import pytest

from conftest import ROOT


class Outputs(HTMLParser):
    """Collects each cell's output elements from a built page: cell number → [(tag, attrs, text)]."""

    def __init__(self):
        super().__init__()
        self.cells: dict[int, list] = {}
        self.cell = None
        self.depth = 0
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "cl-cell" in (attrs.get("class") or "").split():
            self.cell = int(attrs["data-cell"])
            self.cells[self.cell] = []
        classes = (attrs.get("class") or "").split()
        if self.cell and "cl-out" in classes:
            self.current = [tag, attrs, ""]
            self.cells[self.cell].append(self.current)

    def handle_data(self, data):
        if self.current is not None:
            self.current[2] += data

    def handle_endtag(self, tag):
        if self.current is not None and tag == self.current[0]:
            self.current = None


def outputs(site, page):
    parser = Outputs()
    parser.feed((site / page / "index.html").read_text())
    return parser.cells


class TestOutputsInHtml:
    def test_last_expression_value_is_written(self, site):
        """A cell ending in an expression shows its repr, as a notebook would."""
        (kind, attrs, text), = outputs(site, "authoring")[1]
        assert attrs["class"] == "cl-out cl-out--result"
        assert text == repr(np.arange(6).reshape(2, 3))

    def test_hidden_setup_cell_feeds_the_next_cell(self, site):
        """The hidden cell's variable is there for the next cell; its own block is hidden."""
        html = (site / "authoring" / "index.html").read_text()
        assert 'data-cell="2" data-hidden hidden' in html
        signal = np.array([0, 1, 2, 3, 2, 1, 0])
        text = "".join(item[2] for item in outputs(site, "authoring")[3])
        assert text == f"signal: {signal}\nslopes: {np.correlate(signal, [1, 0, -1], mode='valid')}\n"

    def test_expected_error_is_shown_not_fatal(self, site):
        """A `raises` cell builds, showing its traceback trimmed to the reader's code."""
        (kind, attrs, text), = outputs(site, "authoring")[5]
        assert "cl-out--error" in attrs["class"]
        assert text.startswith("Traceback (most recent call last):\n  File \"<cell 5>\", line 1")
        with pytest.raises(ValueError) as expected:
            np.ones((2, 3)) @ np.ones((2, 3))
        assert text.rstrip().endswith(f"ValueError: {expected.value}")

    def test_figure_is_written_as_an_image_file(self, site):
        """plt.show() at build gives a PNG beside the page, with alt text from its title."""
        (kind, attrs, text), = outputs(site, "authoring")[6]
        assert kind == "img" and attrs["alt"] == "Figure: A small signal"
        png = (site / "authoring" / attrs["src"]).resolve().read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_page_reads_complete_without_javascript(browser, server):
    """With JavaScript off, the code and its build-time output (text and figure) are shown."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "authoring/")
    first = page.locator('.cl-cell[data-cell="1"]')
    assert "np.arange(6).reshape(2, 3)" in first.locator(".highlight").inner_text()
    assert first.locator(".cl-cell__output").inner_text().strip() == repr(np.arange(6).reshape(2, 3))
    image = page.locator('.cl-cell[data-cell="6"] img')
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    context.close()


@pytest.fixture
def project(tmp_path):
    """A one-page site using the real plugin and theme; `build(markdown)` builds it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: cells
        theme: {{name: material, custom_dir: {ROOT / 'overrides'}, font: false}}
        plugins: [{{cells: {{pyodide: cdn, wheels: [{ROOT}], preload: [numpy, convlesson, matplotlib.pyplot]}}}}]
        markdown_extensions: [pymdownx.highlight, pymdownx.superfences]
    """))

    def build(markdown):
        (docs / "index.md").write_text(textwrap.dedent(markdown))
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    return build


class TestBuildFailures:
    def test_failing_cell_stops_the_build(self, project):
        """An unexpected exception fails the build naming the page, the cell and the traceback."""
        result = project("""\
            ```python run
            x = 1
            ```

            ```python run
            def f():
                return x / 0
            f()
            ```
        """)
        assert result.returncode != 0
        log = result.stdout + result.stderr
        assert "index.md: cell 2 raised ZeroDivisionError" in log
        assert 'File "<cell 2>", line 2, in f' in log
        assert "return x / 0" in log

    def test_raises_cell_that_does_not_raise_stops_the_build(self, project):
        """A cell marked `raises` that runs cleanly is an author's mistake worth stopping for."""
        result = project("""\
            ```python run raises
            1 + 1
            ```
        """)
        assert result.returncode != 0
        assert "cell 1 is marked `raises` but ran without an error" in result.stdout + result.stderr

    def test_unknown_option_is_rejected(self, project):
        """A misspelt option fails loudly instead of being ignored."""
        result = project("""\
            ```python run hiden
            1
            ```
        """)
        assert result.returncode != 0
        assert "unknown option(s) ['hiden']" in result.stdout + result.stderr


def test_unchanged_rebuild_runs_no_cell(project, tmp_path):
    """Outputs are cached by content: a second build of the same page executes nothing."""
    log = tmp_path / "executions.txt"
    page = f"""\
        ```python run
        with open({str(log)!r}, "a") as f:
            f.write("ran\\n")
        ```
    """
    assert project(page).returncode == 0
    assert project(page).returncode == 0
    assert log.read_text() == "ran\n"
    assert project(page + "\nMore prose.\n").returncode == 0
    assert log.read_text() == "ran\n"


class TestExerciseVerification:
    EXERCISE = """\
        ```python run
        import numpy as np
        ```

        ```python exercise
        total = ...
        #| check
        assert total == 6, f"total is {{total}}; it should be 6"
        #| solution
        total = {solution}
        #| wrong: it should be 6
        total = {wrong}
        ```
    """

    def test_valid_exercise_builds(self, project):
        """A solution that passes and a wrong answer that fails as announced build fine."""
        result = project(self.EXERCISE.format(solution="np.arange(4).sum()", wrong="np.arange(3).sum()"))
        assert result.returncode == 0, result.stderr

    def test_failing_solution_stops_the_build(self, project):
        """A solution the check rejects is an authoring error the build names."""
        result = project(self.EXERCISE.format(solution="5", wrong="3"))
        assert result.returncode != 0
        assert "exercise in cell 2: the solution does not pass the check: total is 5; it should be 6" in result.stderr

    def test_wrong_answer_that_passes_stops_the_build(self, project):
        """A 'wrong' answer the check accepts means the check is too loose."""
        result = project(self.EXERCISE.format(solution="6", wrong="6"))
        assert result.returncode != 0
        assert "the wrong answer 'total = 6' passes the check" in result.stderr
