"""Math rendered at build (mkdocs_cells/math.py) is what KaTeX's auto-render made in the browser.

The oracle is the path the build replaces: the vendored KaTeX and auto-render, run in Chromium
with maths.js's options on the TeX elements as arithmatex wrote them. A second build, without
node, gives those elements for every page; the build's rendering must give the same DOM,
formula by formula, and maths.js must still render the TeX of a build without node.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mkdocs_cells import maths as math_render
from mkdocs_cells.testing import pages as site_pages
from _audit import settle
from conftest import ROOT
from mkdocs_cells.testing.server import Server

VENDOR = ROOT / "mkdocs-cells" / "mkdocs_cells" / "assets" / "vendor" / "katex"
MATH_PAGE = "stride-padding/"  # the page with the most formulas


def math_pages(site) -> list[str]:
    return [url for url in site_pages.built(site) if 'class="arithmatex"' in site_pages.file(site, url).read_text()]


@pytest.fixture
def katex(tmp_path):
    katex = math_render.KaTeX(cache=tmp_path)
    yield katex
    katex.close()


class TestFormula:
    """An element's text is taken as a formula only where auto-render sees exactly one."""

    @pytest.mark.parametrize(("text", "expected"), [
        ("\\(a\\)", ("a", False)),
        ("\\[\nx^2\n\\]", ("\nx^2\n", True)),
        ("\\(\\text{\\)}\\)", ("\\text{\\)}", False)),  # inside braces \) does not close
        ("\\(a\\) and \\(b\\)", None),
        ("\\(\\frac{\\)", None),  # never closed: auto-render leaves it as text
        ("a", None),
    ])
    def test_formula_follows_auto_render_delimiters(self, text, expected):
        """Delimiters, display mode and the brace rule are auto-render's."""
        assert math_render.formula(text) == expected


class TestKaTeX:
    """The vendored KaTeX, in node, renders as maths.js asked KaTeX to: HTML and MathML."""

    def test_inline_formula_has_html_mathml_and_its_tex(self, katex):
        """An inline formula is a .katex with MathML annotated with its TeX, not a display."""
        (html,) = katex.render([("a < b_{i}", False)])
        assert html.startswith('<span class="katex">')
        assert '<span class="katex-html" aria-hidden="true">' in html
        assert '<math xmlns="http://www.w3.org/1998/Math/MathML">' in html
        assert '<annotation encoding="application/x-tex">a &lt; b_{i}</annotation>' in html
        assert "katex-display" not in html

    def test_display_formula_is_a_katex_display(self, katex):
        """A \\[...\\] formula is rendered in display mode."""
        (html,) = katex.render([("\\frac{W - K}{S}", True)])
        assert html.startswith('<span class="katex-display"><span class="katex">')
        assert 'display="block"' in html
        assert "\\frac{W - K}{S}</annotation>" in html

    def test_tex_error_is_rendered_not_raised(self, katex):
        """throwOnError is false: a TeX error becomes a .katex-error showing the TeX."""
        ok, error = katex.render([("x", False), ("\\frac{", False)])
        assert 'class="katex"' in ok
        assert error.startswith('<span class="katex-error"') and "ParseError" in error
        assert ">\\frac{</span>" in error

    def test_a_second_build_reads_the_cache_without_node(self, katex, tmp_path):
        """Cached formulas come back identical without starting node (there is none here)."""
        formulas = [("x^2", False), ("\\sum_i i", True)]
        first = katex.render(formulas)
        again = math_render.KaTeX(cache=tmp_path, node=str(tmp_path / "no-node"))
        assert again.render(formulas) == first
        assert (again.rendered, again.process) == (0, None)

    def test_render_page_fills_each_element_and_keeps_the_rest(self, katex):
        """Each formula element gets a <span> holding KaTeX; escaped TeX is unescaped; an
        element that is not one formula and the rest of the page are left as they were."""
        page = ('<p>Size <span class="arithmatex">\\(a &lt; b\\)</span>.</p>\n'
                '<div class="arithmatex">\\[\nx\n\\]</div><span class="arithmatex">\\(a\\) or \\(b\\)</span>')
        out = math_render.render_page(page, katex)
        inline, display = katex.render([("a < b", False), ("\nx\n", True)])
        assert out == (f'<p>Size <span class="arithmatex"><span>{inline}</span></span>.</p>\n'
                       f'<div class="arithmatex"><span>{display}</span></div>'
                       '<span class="arithmatex">\\(a\\) or \\(b\\)</span>')


def test_without_node_the_tex_stays_and_one_line_says_so(monkeypatch, tmp_path):
    """Without node the pages are left as they are, and the build's summary says why."""
    monkeypatch.setattr(math_render.shutil, "which", lambda name: None)
    build = math_render.Build(tmp_path)
    page = '<span class="arithmatex">\\(a\\)</span><div class="arithmatex">\\[b\\]</div>'
    assert build.page(page) == page
    assert build.close() == "math: no node to run KaTeX at build; the browser renders the 2 formulas"


def test_katex_style_sheet_is_in_the_head_of_math_pages_only(site):
    """Pages with math link KaTeX's CSS from their head, and only those."""
    assert math_pages(site)
    for url in site_pages.built(site):
        html = site_pages.file(site, url).read_text()
        linked = "vendor/katex/katex.min.css" in html.partition("</head>")[0]
        assert linked == ('class="arithmatex"' in html), url


def test_search_index_keeps_the_tex(site):
    """The search index takes the page's text before its math is rendered."""
    index = (site / "search" / "search_index.json").read_text()
    assert "\\\\lfloor" in index
    assert 'class=\\"katex' not in index


# The built site without node: its math is the TeX elements that arithmatex wrote.
NO_NODE_BUILD = """
import shutil, sys
which = shutil.which
shutil.which = lambda name, *args, **kwargs: None if name == "node" else which(name, *args, **kwargs)
from mkdocs.__main__ import cli
cli()
"""


@pytest.fixture(scope="module")
def tex_site(tmp_path_factory):
    """``mkdocs build --strict`` with node hidden from the build."""
    site = tmp_path_factory.mktemp("tex-site")
    built = subprocess.run(
        [sys.executable, "-c", NO_NODE_BUILD, "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "math: no node to run KaTeX at build" in built.stderr
    return site


# In Chromium with KaTeX and auto-render: the .arithmatex elements of the page `raw`, rendered
# by auto-render, and those of the page `built`, each as maths.js leaves it (it renders those the
# build did not), as comparable trees: namespaces compared, attributes sorted, style attributes
# normalised. What KaTeX's markup (toMarkup, in renderToString) and its DOM (toNode, in
# auto-render) write differently is made alike: an empty class is dropped (toNode gives every
# span one), so is an <svg>'s xmlns (toMarkup writes it; toNode gives the namespace alone, as
# the HTML parser does); and a MathML space such as \, is a bare text node in toNode but an
# <mtext> in toMarkup (valid MathML, which a screen reader gets from the build).
ORACLE = """([raw, built]) => {
  const options = {
    delimiters: [
      { left: "\\\\(", right: "\\\\)", display: false },
      { left: "\\\\[", right: "\\\\]", display: true },
    ],
    throwOnError: false,
  };
  const style = (value) => Object.assign(document.createElement("span"), { style: value }).style.cssText;
  const space = (node) => node.localName === "mtext" && node.childNodes.length === 1
    && /^[\u200a\u2009\u2005\u205f\u2063]+$/.test(node.textContent);
  const kept = ({ name, value, ownerElement }) =>
    !(name === "class" && !value) && !(name === "xmlns" && value === ownerElement.namespaceURI);
  const tree = (node) => node.nodeType === Node.TEXT_NODE || space(node) ? node.textContent : [
    node.namespaceURI, node.localName,
    [...node.attributes].filter(kept).map(({ name, value }) => [name, name === "style" ? style(value) : value]).sort(),
    [...node.childNodes].filter((child) => child.nodeType !== Node.COMMENT_NODE).map(tree)
      .reduce((all, child) => typeof child === "string" && typeof all.at(-1) === "string"
        ? [...all.slice(0, -1), all.at(-1) + child] : [...all, child], []),
  ];
  const math = (html) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    const holder = document.body.appendChild(document.createElement("div"));
    const elements = [...page.querySelectorAll(".arithmatex")];
    return elements.map((element) => holder.appendChild(document.importNode(element, true)));
  };
  const [tex, rendered] = [math(raw), math(built)];
  if (tex.length !== rendered.length) return `${tex.length} formulas as TeX but ${rendered.length} in the build`;
  return tex.map((element, i) => {
    const source = element.textContent;
    const byBuild = Boolean(rendered[i].querySelector(".katex, .katex-error"));
    renderMathInElement(element, options);
    if (!byBuild) renderMathInElement(rendered[i], options);
    element.normalize();
    rendered[i].normalize();
    const [browser, build] = [element, rendered[i]].map((node) => JSON.stringify(tree(node)));
    return { source, byBuild, browser, build };
  });
}"""


def oracle(page, raw: str, built: str) -> list[dict]:
    page.set_content("<!doctype html><meta charset=utf-8><body></body>")
    page.add_script_tag(path=VENDOR / "katex.min.js")
    page.add_script_tag(path=VENDOR / "auto-render.min.js")
    results = page.evaluate(ORACLE, [raw, built])
    assert isinstance(results, list), results
    return results


def differing(results: list[dict]) -> list[str]:
    """Each formula whose two trees differ, with both around their first difference."""
    out = []
    for r in results:
        if r["browser"] != r["build"]:
            at = next((i for i, (a, b) in enumerate(zip(r["browser"], r["build"])) if a != b), 0)
            around = slice(max(at - 200, 0), at + 200)
            out.append(f"{r['source']!r}:\n  browser …{r['browser'][around]}\n  build   …{r['build'][around]}")
    return out


# Elements as arithmatex writes them (TeX escaped), with the cases auto-render treats apart.
EDGE_CASES = """<p><span class="arithmatex">\\(a &lt; b &amp; c &gt; d\\)</span>
<div class="arithmatex">\\[
\\sqrt{x^2} \\xrightarrow{f} \\begin{aligned} a &amp;= b \\\\ c &amp;= \\overbrace{d + e}^{2} \\end{aligned}
\\]</div>
<span class="arithmatex">\\(x^\\)</span> <span class="arithmatex">\\(\\frac{1}\\)</span>
<span class="arithmatex">\\(\\text{\\)}\\)</span> <span class="arithmatex">\\(é \\unknownmacro\\)</span>
<span class="arithmatex">\\(\\frac{\\)</span> <span class="arithmatex">\\(a\\) or \\(b\\)</span></p>"""
LEFT_TO_THE_BROWSER = {"\\(\\frac{\\)", "\\(a\\) or \\(b\\)"}


@pytest.mark.browser
class TestOracle:
    """The build's rendering is auto-render's, in Chromium, formula by formula."""

    def test_edge_cases_render_as_auto_render_does(self, page, katex):
        """Escaped TeX, TeX errors, SVG, braces around a delimiter: the same DOM as auto-render;
        what the build leaves (not one formula) maths.js renders as before."""
        results = oracle(page, EDGE_CASES, math_render.render_page(EDGE_CASES, katex))
        assert len(results) == 8
        assert {r["source"] for r in results if not r["byBuild"]} == LEFT_TO_THE_BROWSER
        assert not differing(results), "\n".join(differing(results))

    def test_every_formula_of_the_site_renders_as_auto_render_does(self, page, site, tex_site):
        """Each page's formulas, as the build without node left them, rendered by auto-render
        equal the build's rendering; and the build rendered them all."""
        pages = math_pages(site)
        assert pages == math_pages(tex_site)
        count = 0
        for url in pages:
            results = oracle(page, site_pages.file(tex_site, url).read_text(), site_pages.file(site, url).read_text())
            assert results and all(r["byBuild"] for r in results), url
            assert not differing(results), f"{url}\n" + "\n".join(differing(results))
            count += len(results)
        assert count >= 40  # 48 when written


# A page's math as the reader sees it, once its fonts are in.
SHOWN = """async () => {
  await document.fonts.ready;
  const math = [...document.querySelectorAll(".arithmatex")];
  const tex = (element) => element.querySelector("annotation")?.textContent ?? element.textContent;
  const shown = (element) => {
    const box = element.querySelector(".katex-html")?.getBoundingClientRect();
    return box && box.width > 0 && box.height > 0;
  };
  // KaTeX's CSS hides the MathML (kept for screen readers) off screen.
  const hidden = (element) => {
    const mathml = element.querySelector(".katex-mathml");
    return mathml && getComputedStyle(mathml).position === "absolute";
  };
  const katexFont = (font) => font.family.replaceAll('"', "") === "KaTeX_Main" && font.status === "loaded";
  return {
    formulas: math.length,
    notRendered: math.filter((element) => !element.querySelector(".katex")).map(tex),
    // A formula in a closed <details> (an exercise's hint) has no size until it is opened.
    noSize: math.filter((element) => !shown(element) && !element.closest("details:not([open]) > :not(summary)"))
      .map(tex),
    mathmlShown: math.filter((element) => !hidden(element)).map(tex),
    fontLoaded: [...document.fonts].some(katexFont),
  };
}"""
KATEX_SCRIPTS = ("vendor/katex/katex.min.js", "vendor/katex/auto-render.min.js")


def record(page) -> list[str]:
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def assert_shown(state: dict):
    assert state["formulas"] >= 20
    assert not state["notRendered"] and not state["noSize"] and not state["mathmlShown"], state
    assert state["fontLoaded"]


@pytest.mark.browser
class TestInTheBrowser:
    """A reader's page: formulas shown with KaTeX's CSS and fonts, without KaTeX's script."""

    def test_math_page_shows_its_formulas_without_katex_script(self, page, server):
        """Every formula arrives rendered and styled; KaTeX's scripts are never requested."""
        requests = record(page)
        page.goto(server.url + MATH_PAGE)
        page.wait_for_load_state("load")
        settle(page)
        assert_shown(page.evaluate(SHOWN))
        assert any(url.endswith("vendor/katex/katex.min.css") for url in requests)
        assert not [url for url in requests if url.endswith(KATEX_SCRIPTS)]

    def test_instant_navigation_to_a_math_page_brings_the_style_sheet(self, page, server):
        """Arriving by instant navigation from a page without math, the formulas are styled
        (Material adds the new page's head links) and no KaTeX script is loaded."""
        requests = record(page)
        page.goto(server.url)
        page.wait_for_load_state("load")
        assert page.locator(".arithmatex").count() == 0
        page.evaluate("window.sameDocument = true")
        page.locator(f'.md-sidebar--primary a[href$="/{MATH_PAGE}"]').first.click()  # made absolute by Material
        page.wait_for_url(server.url + MATH_PAGE)
        page.wait_for_function("() => document.querySelector('.arithmatex')")
        assert page.evaluate("window.sameDocument"), "the navigation was not instant"
        settle(page)
        assert_shown(page.evaluate(SHOWN))
        assert not [url for url in requests if url.endswith(KATEX_SCRIPTS)]

    def test_without_node_math_js_renders_the_tex(self, page, tex_site):
        """The site built without node still shows its formulas: maths.js loads KaTeX for them."""
        server = Server(tex_site)
        try:
            requests = record(page)
            page.goto(server.url + MATH_PAGE)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.arithmatex')].every(m => m.querySelector('.katex'))",
                timeout=30_000,
            )
            assert_shown(page.evaluate(SHOWN))
            assert {"vendor/katex/katex.min.js"} <= {url.partition("assets/cells/")[2] for url in requests}
        finally:
            server.close()
