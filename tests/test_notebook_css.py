"""The notebook pages' style sheets keep exactly the rules that can match (mkdocs_cells/notebook_css.py).

Unit tests of the pruner on small sheets, then two checks in Chromium on the built ConvNet page:
every element has the same computed style with mkdocs-jupyter's whole style sheets as with the
pruned ones, and the page's scripts add no class, inside the notebook, whose rules were pruned.
"""

from __future__ import annotations

import re

import pytest
import tinycss2
from bs4 import BeautifulSoup

from mkdocs_cells import notebook as notebook_page
from mkdocs_cells import notebook_css
from conftest import ROOT

NOTEBOOK = ROOT / "docs" / "convnet.ipynb"


def kept(css: str, *classes: str) -> str:
    return notebook_css.prune(css, set(classes))


def test_a_rule_for_an_absent_class_goes_and_one_for_a_present_class_stays():
    css = ".w .present{color:red}.w .absent{color:blue}"
    assert kept(css, "w", "present") == ".w .present{color:red}"


@pytest.mark.parametrize("selector", [".a.b", ".a .b", ".a>.b", ".a + .b", ".a~.b", "p.b:hover", ".b::before"])
def test_every_class_of_a_selector_is_needed(selector):
    css = selector + "{color:red}"
    assert kept(css, "a", "b") == css
    assert kept(css, "a") == ""


def test_a_selector_list_keeps_the_selectors_that_can_match():
    assert kept(".w .a, .w .gone,.w .b{margin:0}", "w", "a", "b") == ".w .a,.w .b{margin:0}"


@pytest.mark.parametrize("css", [
    ".w .cell:not(.absent){color:red}",
    ".w :not(.absent, .also-absent) > p{color:red}",
    ".w li:nth-child(2 of .absent){color:red}",
])
def test_classes_inside_not_and_other_functions_are_not_needed(css):
    assert kept(css, "w", "cell") == css


def test_a_class_outside_not_is_still_needed():
    assert kept(".absent:not(.w){color:red}", "w") == ""


@pytest.mark.parametrize("css", [
    ".w :is(.absent, .gone) p{color:red}",
    ":where(.absent) p{color:red}",
    ".absent:has(> .gone){color:red}",
])
def test_selectors_with_is_where_or_has_are_kept_whole(css):
    assert kept(css, "w") == css


@pytest.mark.parametrize("css", [
    "pre{line-height:125%}",
    ".w pre{margin:0}",
    ".w [data-jp-theme-light=true] img{background:white}",
    ":root{--page:1}",
    "table{width:max-content}",
])
def test_selectors_naming_no_absent_class_stay(css):
    assert kept(css, "w") == css


def test_root_after_a_combinator_matches_nothing():
    """mkdocs-jupyter scoped JupyterLab's :root rules as `.jupyter-wrapper :root`: dead, 80 KB."""
    assert kept(".jupyter-wrapper :root{--jp-icon:url(x.svg)}", "jupyter-wrapper") == ""
    assert kept(".jupyter-wrapper>:root{--a:1}", "jupyter-wrapper") == ""
    assert kept(":root.w{--a:1}", "w") == ":root.w{--a:1}"


def test_a_list_with_a_vendor_prefixed_pseudo_is_kept_or_dropped_whole():
    """Chromium ignores a whole rule naming ::-moz-placeholder; cutting that selector off would
    make the rest of the list apply."""
    css = ".gone::-moz-placeholder,.w input::placeholder{color:red}"
    assert kept(css, "w") == css
    assert kept(".gone::-moz-placeholder,.also-gone::placeholder{color:red}", "w") == ""


def test_media_and_supports_are_pruned_inside_and_go_when_empty():
    css = "@media print{.a{color:red}.gone{color:blue}}@supports (display:grid){.gone{display:grid}}"
    assert kept(css, "a") == "@media print{.a{color:red}}"
    nested = "@media screen{@supports (display:grid){.a{display:grid}.gone{color:red}}}"
    assert kept(nested, "a") == "@media screen{@supports (display:grid){.a{display:grid}}}"


def test_custom_properties_stay():
    """The notebook's theme is custom properties on .jupyter-wrapper, dark ones under Material's
    slate scheme (an attribute of <body>, outside the notebook's HTML)."""
    css = (
        ".jupyter-wrapper{--jp-ui-font-size1:13px;--jp-cell-padding:var(--jp-ui-font-size1)}"
        "[data-md-color-scheme=slate] .jupyter-wrapper{--jp-layout-color0:#111}"
    )
    assert kept(css, "jupyter-wrapper") == css


def test_unused_keyframes_go_and_used_ones_stay():
    css = (
        "@keyframes spin{to{transform:rotate(1turn)}}@-webkit-keyframes spin{to{opacity:1}}"
        "@keyframes unused{to{opacity:0}}@keyframes only-pruned{to{opacity:0}}"
        ".a{animation:spin 1s}.gone{animation-name:only-pruned}"
    )
    assert kept(css, "a") == (
        "@keyframes spin{to{transform:rotate(1turn)}}@-webkit-keyframes spin{to{opacity:1}}.a{animation:spin 1s}"
    )


def test_keyframes_named_in_a_custom_property_or_inside_media_stay():
    css = "@media screen{@keyframes pulse{to{opacity:0}}}.a{--motion:pulse 2s}"
    assert kept(css, "a") == css


def test_font_faces_stay_only_when_used():
    face = '@font-face{font-family:"Fira Code";src:url(fira.woff2)}'
    assert kept(face + '.a{font:12px/1.5 "Fira Code",monospace}', "a") == face + '.a{font:12px/1.5 "Fira Code",monospace}'
    assert kept(face + '.gone{font-family:"Fira Code"}.a{color:red}', "a") == ".a{color:red}"


def test_charset_comments_and_parse_errors_go():
    """mkdocs-jupyter also writes a Python list's repr as a style sheet: one parse error."""
    assert kept('@charset "UTF-8";/* note */.a{color:red}', "a") == ".a{color:red}"
    assert kept("['pre { line-height: 125%; }\\ntd.linenos .normal { color: inherit; }']", "a") == ""


def test_other_at_rules_stay():
    css = "@import url(x.css);@page{margin:1cm}@layer base{.gone{color:red}}"
    assert kept(css) == css


# --- In Chromium, on the built ConvNet page ---------------------------------------------------

# Per element of the page's body (and its ::before and ::after, when they exist), a hash of every
# computed property, and of every custom property that a style sheet or style attribute of the
# pruned page reads with var() (`read`): the pruned sheets leave out JupyterLab's unread ones,
# which change nothing a reader sees; the properties themselves for the elements asked for.
STYLES = """([details, read]) => {
  const reads = new Set(read);
  const styles = (el) => [null, '::before', '::after'].map((pseudo) => {
    const style = getComputedStyle(el, pseudo);
    if (pseudo && ['none', 'normal'].includes(style.content)) return 'content: ' + style.content;
    // Sorted: Chromium lists custom properties in no fixed order.
    return Array.from(style).filter((name) => !name.startsWith('--') || reads.has(name))
      .map((name) => name + ': ' + style.getPropertyValue(name)).sort().join('\\n');
  });
  const hash = (text) => {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
  };
  const path = (el) => el.tagName.toLowerCase() + [...el.classList].map((c) => '.' + c).join('');
  // Style elements left out: the pruned page has fewer of them.
  const all = [document.body, ...document.body.querySelectorAll('*:not(style)')];
  if (details) return details.map((i) => [path(all[i]), styles(all[i])]);
  return all.map((el) => [path(el), styles(el).map(hash)]);
}"""


def original_styles() -> list[str]:
    """The style sheets mkdocs-jupyter writes into the page, unpruned (they do not depend on
    the notebook's outputs, so a conversion without running it gives them)."""
    from mkdocs_jupyter.convert import nb2html

    html = nb2html(str(NOTEBOOK), execute=False, theme="", no_prompt=True, custom_mathjax_url="")
    return [style.string for style in BeautifulSoup(html, "html.parser").find_all("style")]


def static_page(site, scheme: str, styles: list[str] | None = None) -> str:
    """The built ConvNet page without its scripts, in Material's colour ``scheme``, and with the
    notebook's style sheets replaced by ``styles`` if given."""
    soup = BeautifulSoup((site / "convnet" / "index.html").read_text(), "html.parser")
    soup.head.insert(0, soup.new_tag("base", href=(site / "convnet").as_uri() + "/"))
    soup.body["data-md-color-scheme"] = scheme
    for script in soup.find_all("script"):
        script.decompose()
    if styles is not None:
        built = soup.select(".md-content style")
        for css in styles:
            tag = soup.new_tag("style")
            tag.string = css
            built[0].insert_before(tag)
        for tag in built:
            tag.decompose()
    return str(soup)


# The custom properties the page's style sheets and style attributes read with var().
READ = """() => {
  const read = new Set();
  const add = (text) => { for (const m of text.matchAll(/var\\(\\s*(--[\\w-]+)/g)) read.add(m[1]); };
  for (const sheet of document.styleSheets) {
    try { for (const rule of sheet.cssRules) add(rule.cssText); } catch { /* another origin's */ }
  }
  document.querySelectorAll('[style]').forEach((el) => add(el.getAttribute('style')));
  return [...read];
}"""


def computed_styles(browser, path, media: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.emulate_media(media=media)
    page.goto(path.as_uri())
    page.evaluate("""() => Promise.all([...document.images].map((image) => {
      image.loading = 'eager';
      return image.decode().catch(() => {});
    }))""")
    return page


@pytest.mark.browser
@pytest.mark.parametrize("scheme, media", [("default", "screen"), ("slate", "screen"), ("default", "print")])
def test_pruned_page_has_the_computed_styles_of_the_whole_one(site, browser, tmp_path, scheme, media):
    """Every element of the page, notebook and Material around it, with ::before and ::after:
    all computed properties (custom ones where something reads them) are the same with the
    pruned style sheets as with the whole ones."""
    originals = original_styles()
    assert sum(map(len, originals)) > 500_000  # JupyterLab's whole sheet, not the pruned one
    pruned_file, whole_file = tmp_path / "pruned.html", tmp_path / "whole.html"
    pruned_file.write_text(static_page(site, scheme))
    whole_file.write_text(static_page(site, scheme, originals))
    pruned_page = computed_styles(browser, pruned_file, media)
    whole_page = computed_styles(browser, whole_file, media)
    read = pruned_page.evaluate(READ)
    pruned, whole = pruned_page.evaluate(STYLES, [None, read]), whole_page.evaluate(STYLES, [None, read])
    try:
        assert [path for path, _ in pruned] == [path for path, _ in whole]
        assert pruned_page.evaluate("document.querySelectorAll('.jupyter-wrapper *').length") > 1000
        differing = [index for index, (a, b) in enumerate(zip(pruned, whole)) if a != b]
        if differing:
            shown = differing[:5]
            report = []
            for (path, mine), (_, theirs) in zip(pruned_page.evaluate(STYLES, [shown, read]),
                                            whole_page.evaluate(STYLES, [shown, read])):
                for pseudo, a, b in zip(("", "::before", "::after"), mine, theirs):
                    lines = set(a.split("\n")) ^ set(b.split("\n"))
                    if lines:
                        report.append(f"{path}{pseudo}: {sorted(lines)[:6]}")
            pytest.fail(f"{len(differing)} elements styled differently, e.g.:\n" + "\n".join(report))
    finally:
        pruned_page.close()
        whole_page.close()


def class_names(css: str) -> set[str]:
    """Every class a style sheet's selectors name, in at-rules too."""
    names = set()
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "qualified-rule":
            names |= set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", tinycss2.serialize(rule.prelude)))
        elif rule.type == "at-rule" and rule.content is not None:
            names |= class_names(tinycss2.serialize(rule.content))
    return names


@pytest.mark.browser
def test_scripts_add_no_class_whose_rules_were_pruned(site, server, browser):
    """Once the page's scripts have run (notebook cells made runnable, editors in place), every
    class inside the notebook that JupyterLab's sheet styles was in the build's HTML or is one
    of notebook_page.SCRIPT_CLASSES: the pruner judged by those."""
    soup = BeautifulSoup((site / "convnet" / "index.html").read_text(), "html.parser")
    built = {name for element in soup.select(".md-content [class]") for name in element["class"]}
    styled = set().union(*map(class_names, original_styles()))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/runner.js", lambda route: route.abort())  # the editors need no Python
    page = context.new_page()
    try:
        page.goto(server.url + "convnet/")
        page.wait_for_function(
            "n => document.querySelectorAll('.jupyter-wrapper .cl-cell .cm-editor').length === n",
            # one editor per code cell (nbconvert nests each code cell in another of the class)
            arg=sum(not cell.select(".jp-CodeCell") for cell in soup.select(".jupyter-wrapper .jp-CodeCell")),
            timeout=30_000,
        )
        live = set(page.evaluate(
            "() => [...document.querySelectorAll('.jupyter-wrapper, .jupyter-wrapper *')].flatMap((el) => [...el.classList])"
        ))
    finally:
        context.close()
    assert {"cl-cell", "cm-editor", "cm-content"} <= live  # the scripts did run
    assert (live - built) & styled <= notebook_page.SCRIPT_CLASSES
