"""Ordinary Jupyter notebooks as runnable pages: a site of notebooks written for these tests
(tests/notebook_site/) built with the real theme, plugin and Pyodide, its cells run in Chromium.

- magics.ipynb: IPython syntax (``%matplotlib inline``, ``%timeit``, ``%%timeit``, ``%time``,
  ``?``, ``!pip install``, an unsupported magic);
- tags.ipynb: a cell tagged ``raises-exception`` and Jupyter Book's ``remove-cell``,
  ``remove-input``, ``hide-input``, ``remove-output``;
- math-links.ipynb, chapter/deeper.ipynb: math, links between notebooks, relative images;
- missing_alt/figures.ipynb (its own site: the build fails in strict mode): figures without alt text.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from mkdocs_cells.testing import links
from mkdocs_cells.testing.server import Server
from mkdocs_cells.testing.site import build

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "notebook_site"


def project(folder: Path, docs: Path) -> Path:
    """An author's MkDocs project with ``docs``, the site's theme and plugin settings."""
    shutil.copytree(docs, folder / "docs")
    (folder / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: notebooks
        site_url: !ENV SITE_URL
        theme: {{name: material, custom_dir: {ROOT / 'overrides'}, font: false}}
        markdown_extensions: [pymdownx.highlight, pymdownx.superfences, {{pymdownx.arithmatex: {{generic: true}}}}]
        plugins:
          - search
          - mkdocs-jupyter:
              include: ["*.ipynb"]
              execute: true
              allow_errors: false
              include_source: true
              no_prompt: true
          - cells:
              wheels: [{ROOT}]
              cache_dir: {ROOT / 'build'}
              preload: [numpy, convlesson, matplotlib.pyplot]
    """))
    if not (folder / "docs" / "index.md").exists():
        (folder / "docs" / "index.md").write_text("# Home\n")
    return folder


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    """The notebooks' site, built with --strict, served; yields (site folder, server)."""
    folder = project(tmp_path_factory.mktemp("notebooks"), FIXTURE / "docs")
    site = folder / "site"
    server = Server(site)
    built = build(folder, site, server.url, "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    yield site, server
    server.close()


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(), "html.parser")


def code_cell(html: BeautifulSoup, number: int):
    cells = [c for c in html.select(".jp-CodeCell") if not c.find_parent(class_="jp-CodeCell")]
    return cells[number - 1]


# --- At build -----------------------------------------------------------------------------------

def test_ipython_syntax_runs_at_build(notebooks):
    site, _ = notebooks
    html = soup(site, "magics")
    text = [code_cell(html, n).select_one(".jp-Cell-outputWrapper") for n in range(1, 9)]
    assert text[0] is None or not text[0].get_text(strip=True)  # %matplotlib inline: silent
    assert code_cell(html, 2).select_one(".jp-OutputArea-output img")["alt"] == \
        "A parabola rising from 0 to 4 over x from 0 to 2."
    assert re.search(r"per loop \(mean ± std\. dev\. of 3 runs, 20 loops each\)", text[2].get_text())
    assert "of 2 runs, 5 loops each" in text[3].get_text()
    assert "Wall time:" in text[4].get_text() and "9.0" in text[4].get_text()
    assert "Signature: area(width, height=1)" in text[5].get_text()
    assert "pip does not run here" in text[6].get_text() and "scipy: not available" in text[6].get_text()
    assert "%load_ext is not available" in text[7].get_text() and "the rest of the cell runs" in text[7].get_text()
    assert "SyntaxError" not in html.get_text()


def test_tags_at_build(notebooks):
    site, _ = notebooks
    html = soup(site, "tags")
    raising = code_cell(html, 2)
    assert raising.select_one("[data-raises]") and "IndexError" in raising.get_text()
    assert "6" in code_cell(html, 3).select_one(".jp-Cell-outputWrapper").get_text()
    removed = code_cell(html, 4)
    assert removed.has_attr("hidden")  # still run before later cells: cell 5 printed its variable
    assert "only the output shows 42" in code_cell(html, 5).get_text()
    assert code_cell(html, 5).select_one(".jp-Cell-inputWrapper").has_attr("hidden")
    assert "This Markdown cell is removed" not in html.get_text()
    assert code_cell(html, 7).select_one(".jp-Cell-outputWrapper") is None
    assert not html.select(".celltoolbar")  # the tags themselves are for authors


def test_math_is_rendered_at_build(notebooks):
    site, _ = notebooks
    html = soup(site, "math-links")
    formulas = html.select(".jp-RenderedMarkdown .arithmatex")
    assert [f.name for f in formulas] == ["span", "div"]
    assert all(f.select_one(".katex") for f in formulas)
    annotations = [f.select_one("annotation").get_text() for f in formulas]
    assert annotations == ["y = f(x)", r"\sum_{i=1}^{n} x_i < n \max_i x_i"]
    assert "$" not in html.select_one(".jp-RenderedMarkdown").get_text()


def test_links_and_images_resolve(notebooks):
    site, _ = notebooks
    for page, expected in (("math-links", {"the magics notebook": "../magics/", "timing section": "../magics/#timing",
                                           "the tags": "../tags/"}),
                           ("chapter/deeper", {"the math notebook": "../../math-links/"})):
        html = soup(site, page)
        found = {a.get_text(): a["href"] for a in html.select(".jp-RenderedMarkdown a") if a.get_text() in expected}
        assert found == expected
        image = html.select_one('.jp-RenderedMarkdown img[alt="A grey square"]')
        assert (site / page / image["src"]).resolve() == (site / "images" / "square.png").resolve()
    assert links.check(site) == []


def test_the_link_check_covers_notebook_pages(notebooks, tmp_path):
    site, _ = notebooks
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pyodide"))
    page = copy / "chapter" / "deeper" / "index.html"
    page.write_text(page.read_text().replace('href="../../math-links/"', 'href="../../math-links.ipynb"', 1))
    assert [p for p in links.check(copy) if "pyodide" not in p] == [
        "chapter/deeper/index.html: <a href> '../../math-links.ipynb': no such file in the build "
        "(math-links.ipynb)"]


def test_a_link_to_nothing_is_a_warning(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(FIXTURE / "docs" / "chapter" / "deeper.ipynb", docs / "lost.ipynb")  # ../ leads out of docs
    folder = project(tmp_path / "project", docs)
    built = build(folder, folder / "site", "http://127.0.0.1:1/", "--strict")
    assert built.returncode == 1
    log = built.stdout + built.stderr
    assert "lost.ipynb: the link '../math-links.ipynb' points at nothing in the site" in log


def test_missing_alt_texts_are_one_warning_and_strict_fails_once(tmp_path):
    folder = project(tmp_path, FIXTURE / "missing_alt")
    strict = build(folder, folder / "strict", "http://127.0.0.1:1/", "--strict")
    log = strict.stdout + strict.stderr
    assert strict.returncode == 1
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, log
    assert "figures.ipynb: code cells 2, 4 show a figure without alt text" in warnings[0]
    assert "Aborted with 1 warnings in strict mode" in log
    lenient = build(folder, folder / "site", "http://127.0.0.1:1/")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    html = soup(folder / "site", "figures")
    alts = [img["alt"] for img in html.select(".jp-OutputArea-output img")]
    assert alts == ["Figure: Three points", "Two bars, of heights 3 and 4.", "Figure: loss against step"]


def test_the_authors_page_lists_what_the_page_offers(notebooks):
    """Every package a cell can import in the page (the runtime's settings) is named on the
    authors' page, in its section on what runs in the browser."""
    site, _ = notebooks
    settings = json.loads(soup(site, "magics").select_one("#cells-runtime").string)
    authoring = (ROOT / "docs" / "authoring.md").read_text()
    section = authoring[authoring.index("### What runs in the browser"):authoring.index("### IPython syntax")]
    assert settings["packages"] and [name for name in settings["packages"] if name not in section] == []


# --- In the browser -----------------------------------------------------------------------------

def test_magics_run_in_the_page(page, notebooks, cell):
    _, server = notebooks
    page.goto(server.url + "magics/")
    last = cell(8)
    last.run()
    assert last.status == "Done"
    for number in range(1, 8):
        assert cell(number).status == "Done", (number, cell(number).output)
    figure = cell(2).root.locator(".cl-cell__output img")
    assert figure.get_attribute("alt") == "A parabola rising from 0 to 4 over x from 0 to 2."
    assert figure.get_attribute("src").startswith("data:image/png")  # the live figure, not the build's
    assert re.search(r"per loop \(mean ± std\. dev\. of 3 runs, 20 loops each\)", cell(3).output)
    assert "of 2 runs, 5 loops each" in cell(4).output
    assert "Wall time:" in cell(5).output and "np.float64(9.0)" in cell(5).output
    assert "Signature: area(width, height=1)" in cell(6).output
    pip = cell(7).output
    assert "pip does not run here" in pip and "numpy: already here" in pip and "scipy: not available" in pip
    lines = [line for line in last.output.splitlines() if line and not line.startswith("Ran cells")]
    assert lines[0].startswith("%load_ext is not available in this page")
    assert lines[1:] == ["the rest of the cell runs"]


def test_an_edited_cell_with_ipython_syntax_runs(page, notebooks, cell):
    _, server = notebooks
    page.goto(server.url + "magics/")
    first = cell(1)
    first.set_code("%matplotlib widget\nimport numpy as np\nx = np.arange(3)\nx?\n!ls\nprint(x.sum())")
    first.run()
    assert first.status == "Done"
    assert "Type:      ndarray" in first.output
    assert "!ls: shell commands do not run here" in first.output
    assert first.output.rstrip().endswith("3")


def test_a_cell_after_one_tagged_raises_exception_runs(page, notebooks, cell):
    _, server = notebooks
    page.goto(server.url + "tags/")
    third = cell(3)
    third.run()
    assert cell(2).status == "Failed: IndexError"
    assert third.status == "Done"
    assert third.output.splitlines()[-1] == "6"
    toggle = cell(6).root.locator("summary")
    assert toggle.inner_text() == "Show code cell source"
    assert not cell(6).root.locator(".cl-cell__editor, .jp-InputArea-editor").first.is_visible()
    cell(6).run()
    assert cell(6).output.splitlines()[-1] == "the code is behind a toggle"
    toggle.click()
    assert toggle.inner_text() == "Hide code cell source"
    assert cell(6).editor.is_visible()
    assert not cell(4).root.is_visible()  # remove-cell: not on the page, yet it ran before cell 6


def test_a_cell_whose_prerequisite_failed_says_so_and_keeps_its_output(page, notebooks, cell):
    _, server = notebooks
    page.goto(server.url + "tags/")
    first, third = cell(1), cell(3)
    first.set_code("values = undefined_name")
    third.run()
    assert first.status == "Failed: NameError"
    assert third.status == "Not run: cell 1 raised NameError"
    lines = third.output.splitlines()
    assert lines[0] == "This cell builds on cell 1, which raised NameError. Fix cell 1, then run this one again."
    assert lines[-1] == "6"  # the build's output, until the cell really runs


def test_links_between_notebooks_and_images_work(page, notebooks):
    _, server = notebooks
    page.goto(server.url + "chapter/deeper/")
    image = page.get_by_role("img", name="A grey square")
    page.wait_for_function("image => image.complete && image.naturalWidth === 16", arg=image.element_handle())
    page.get_by_role("link", name="the math notebook").click()
    page.wait_for_url(server.url + "math-links/")
    page.get_by_role("link", name="timing section").click()
    page.wait_for_url(server.url + "magics/#timing")
    assert page.get_by_role("heading", name="Timing").is_visible()


def test_the_tagged_notebook_passes_axe(page, notebooks):
    """axe-core finds nothing on the page of tagged cells (toggles, removed cells), as on the site's pages."""
    from axe_playwright_python.sync_playwright import Axe

    _, server = notebooks
    page.goto(server.url + "tags/")
    page.get_by_role("group", name="Code cell 6", exact=True).locator("summary").wait_for()
    found = Axe().run(page).response["violations"]
    assert not found, [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in found]
