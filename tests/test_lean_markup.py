"""What the build leaves out so that pages start faster, and proof that readers see the same.

- Code blocks carry no Pygments span that Material colours as plain code (mkdocs_cells/code_spans.py).
- Material's palette style sheet has no rule on ``data-md-color-switching``
  (mkdocs_cells/palette.py); palette.js stops transitions during the reader's switch instead.
- A figure's data in the page holds no binary array: those are files beside the page
  (mkdocs_cells/widgets/fence.py), fetched by widgets.js after the first paint.
"""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from _audit import open_page, parsed_pages, switch_palette
from mkdocs_cells import code_spans
from mkdocs_cells import palette as palette_css

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def text(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def test_unwrapping_keeps_the_code_and_every_coloured_token():
    source = "def conv1d(x, kernel, stride=1):\n    return x[::stride] * kernel  # why\n"
    html = highlight(source, PythonLexer(), HtmlFormatter())
    unwrapped = code_spans.unwrap(html)
    assert text(unwrapped) == text(html)
    assert 'class="n"' in html and 'class="w"' in html
    assert 'class="n"' not in unwrapped and 'class="w"' not in unwrapped
    coloured = lambda h: re.findall(r'<span class="(?![nw]")([^"]+)">([^<]*)</span>', h)
    assert coloured(unwrapped) == coloured(html)
    assert ("k", "def") in coloured(unwrapped) and ("nf", "conv1d") in coloured(unwrapped)


def test_figure_data_in_the_pages_is_small(site):
    """Each figure's JSON stays under 4 KB: the kernel explorer's photo (32 KB of float64,
    incompressible) would have tripled the compressed page the reader waits for."""
    sizes = {}
    for url, html in parsed_pages(site).items():
        for name, data in re.findall(r'data-widget="(\w+)".*?<template class="cl-widget__data">(.*?)</template>', html, re.S):
            sizes[f"{url} {name}"] = len(data)
    assert any("kernel_explorer" in key for key in sizes)
    assert max(sizes.values()) < 4000, sizes


def test_built_pages_have_code_without_plain_spans(site):
    pages = parsed_pages(site)
    code_pages = [url for url, html in pages.items() if '<div class="highlight">' in html]
    assert len(code_pages) >= 10
    for url in code_pages:
        html = pages[url]
        if "jupyter-wrapper" in html:  # notebook pages keep mkdocs-jupyter's own highlighting
            continue
        assert not re.search(r'<span class="[nw]">', html), url
        assert '<span class="k">' in html or '<span class="kn">' in html, url


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_name_in_code_has_the_colour_of_the_code_around_it(page, server, scheme):
    """Why the spans can go: Material colours a name span exactly as the code it sits in.
    Should a theme update give names their own colour, this fails."""
    open_page(page, server, "convolution/", scheme)
    colours = page.evaluate("""() => {
        const block = document.createElement('div');
        block.className = 'highlight';
        block.innerHTML = '<pre><code><span class="k">def</span> <span class="n">kernel</span></code></pre>';
        document.querySelector('.md-content .md-typeset').append(block);
        const [keyword, name] = block.querySelectorAll('span');
        return {code: getComputedStyle(block.querySelector('code')).color,
                name: getComputedStyle(name).color, keyword: getComputedStyle(keyword).color};
    }""")
    assert colours["name"] == colours["code"]
    assert colours["keyword"] != colours["code"]  # the test can tell colours apart


def test_the_palette_sheet_loses_only_the_switching_rule(site):
    (theirs,) = MATERIAL_CSS.glob("palette.*.min.css")
    ours = site / "assets" / "stylesheets" / theirs.name
    original, built = theirs.read_text(), ours.read_text()
    assert "data-md-color-switching" in original
    assert "data-md-color-switching" not in built
    assert len(original) - len(built) == len(palette_css.SWITCHING)


def test_a_changed_palette_sheet_is_an_error_that_says_what_to_do():
    with pytest.raises(ValueError, match=r"update SWITCHING there"):
        palette_css.without_switching("[data-md-color-switching] *{transition:none}")


@pytest.mark.browser
def test_no_style_rule_depends_on_materials_switching_attribute(page, server):
    """Material sets data-md-color-switching on <body> on every load: with no rule naming it,
    setting it restyles nothing."""
    open_page(page, server, "stride-padding/")
    selectors = page.evaluate("""() => {
        const all = [];
        const walk = rules => { for (const rule of rules) {
            if (rule.selectorText) all.push(rule.selectorText);
            if (rule.cssRules) walk(rule.cssRules);
        } };
        for (const sheet of document.styleSheets) walk(sheet.cssRules);
        return all;
    }""")
    assert len(selectors) > 500
    assert not [s for s in selectors if "data-md-color-switching" in s]
    assert [s for s in selectors if "data-cl-switching" in s]


@pytest.mark.browser
@pytest.mark.parametrize("to", ["dark", "light"])
def test_switching_the_palette_recolours_at_once(page, server, to):
    """The reader's switch starts no colour transition: links, header and buttons change
    together, as Material means them to."""
    open_page(page, server, "convolution/", "light" if to == "dark" else "dark")
    page.evaluate("""() => {
        window.transitions = [];
        document.addEventListener('transitionrun', e => transitions.push(
            `${e.target.tagName}.${e.target.className} ${e.propertyName}`));
    }""")
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    switch_palette(page, to, hover=False)  # the hover's own fade is not the switch's
    page.wait_for_timeout(400)
    assert page.evaluate("transitions") == []
    after = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert after != before
    assert page.locator("body").get_attribute("data-cl-switching") is None
