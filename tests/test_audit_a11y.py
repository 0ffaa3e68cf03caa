"""Accessibility, measured: axe-core on every page, in light and dark mode, before and after a
cell runs; focus that shows; alt text that describes; a declared language.

axe-core is the copy bundled in the pinned ``axe-playwright-python`` package (injected into the
page from disk, never from a CDN); it runs its default rule set (WCAG 2 A and AA, and best
practices), and a page passes with zero violations.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from axe_playwright_python.sync_playwright import Axe

from mkdocs_cells.testing import pages as site_pages

from _audit import PAGES, cell_to_run, open_page, page_id, run

pytestmark = pytest.mark.browser

AXE = Axe()


def violations(page) -> list[str]:
    """axe's violations on the page as it is now, a line per element with the reason."""
    found = AXE.run(page).response["violations"]
    return [f"{violation['id']} ({violation['impact']}): {node['html'][:200]}\n    "
            + "; ".join(c["message"] for c in node["any"] + node["all"] + node["none"])
            for violation in found for node in violation["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_axe_finds_no_violation(page, server, url, scheme):
    """axe finds nothing on the rendered page, nor after one of its cells has run."""
    open_page(page, server, url, scheme)
    found = violations(page)
    assert not found, f"axe, {scheme} mode, rendered page:\n" + "\n".join(found)
    cell = cell_to_run(page)
    if cell is not None:
        run(page, cell)
        after = violations(page)
        assert not after, f"axe, {scheme} mode, after running a cell:\n" + "\n".join(after)
        for alt in cell.locator("img").evaluate_all("images => images.map(i => i.alt)"):
            assert describes(alt), f"a figure drawn by the cell has the alt text {alt!r}"


# Focus --------------------------------------------------------------------------------------

# Everything that may take keyboard focus in the page, in document order (Material's header
# and footer included); one of each kind (tag, type, classes) is checked, so the test stays quick.
FOCUS_CANDIDATES = """() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]')]
  .filter(el => el.tabIndex >= 0 && !el.disabled && !el.closest('[hidden], [inert]'))"""
KIND = """el => [el.tagName, el.type || '',
  [...el.classList].filter(c => !/^ͼ|focus-visible|--(active|current)$/.test(c)).sort().join('.')].join(' ')"""
# Where focus on the element shows: its own box, or for a control drawn elsewhere (Material's
# palette switch is a 0 × 0 radio button whose label shows the focus) its nearest visible
# ancestor's; 6 px around it, for outlines drawn outside.
FOCUS_AREA = """el => {
  let shown = el;
  while (shown && !(shown.getBoundingClientRect().width && shown.getBoundingClientRect().height)) shown = shown.parentElement;
  if (!shown) return null;
  const r = shown.getBoundingClientRect();
  const x = Math.max(r.left - 6, 0), y = Math.max(r.top - 6, 0);
  const right = Math.min(r.right + 6, innerWidth), bottom = Math.min(r.bottom + 6, innerHeight);
  return right - x > 1 && bottom - y > 1 ? {x, y, width: right - x, height: bottom - y} : null;
}"""


def shows_focus(page, element) -> bool | None:
    """Whether the element's pixels (or its label's) change when it takes keyboard focus;
    None if it cannot take focus after all (e.g. display: none)."""
    page.evaluate("() => document.activeElement?.blur()")
    if element.evaluate("el => !!el.closest('.md-search__output')"):
        page.locator(".md-search__input").focus()  # search results show once the search is open
    element.evaluate("el => el.scrollIntoView({block: 'center'})")
    area = element.evaluate(FOCUS_AREA)
    before = area and page.screenshot(clip=area, animations="disabled")
    element.evaluate("el => el.focus({focusVisible: true})")  # as when tabbed to
    if not element.evaluate("el => el === document.activeElement"):
        return None
    area = area or element.evaluate(FOCUS_AREA)
    changed = False
    for _ in range(3):  # a busy machine may paint the focus a frame or two late
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if area and page.screenshot(clip=area, animations="disabled") != before:
            changed = True
            break
    if page.evaluate("() => document.getElementById('__search')?.checked"):
        page.keyboard.press("Escape")  # focusing the search field opened the search: close it
    return changed


@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_focus_is_visible(page, server, url):
    """Each kind of control shows where the keyboard focus is: its pixels change when it takes focus."""
    open_page(page, server, url)
    page.keyboard.press("Tab")  # the page now counts as keyboard-driven (:focus-visible)
    candidates = page.evaluate_handle(FOCUS_CANDIDATES)
    kinds, invisible = set(), []
    for index in range(page.evaluate("list => list.length", candidates)):
        element = page.evaluate_handle("([list, i]) => list[i]", [candidates, index]).as_element()
        kind = element.evaluate(KIND)
        if kind in kinds:
            continue
        shown = shows_focus(page, element)
        if shown is None:
            continue
        kinds.add(kind)
        # Measured twice before it counts: a page still settling can repaint the spot meanwhile.
        if not shown and not shows_focus(page, element):
            invisible.append(f"{kind}: {element.evaluate('el => el.outerHTML.slice(0, 160)')}")
    assert len(kinds) > 3, f"only {sorted(kinds)} found to focus"
    assert not invisible, "focus not visible on:\n" + "\n".join(invisible)


# Built HTML ---------------------------------------------------------------------------------

GENERIC_ALT = re.compile(r"^(figure|image|img|picture|photo|plot|chart|graph|output|png|svg)\b[\s:.\d]*$", re.I)


def describes(alt: str, src: str = "") -> bool:
    """Whether an alt text could say what an image shows: a few words, not a file name or 'figure'."""
    alt = alt.strip()
    name = "" if src.startswith("data:") else src.rsplit("/", 1)[-1].split("#")[0]
    return len(alt.split()) >= 3 and not GENERIC_ALT.match(alt) and not (name and name in alt)


class Images(HTMLParser):
    """The ``<img>`` elements of a page and the ``lang`` of its ``<html>``."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "img":
            self.images.append(dict(attrs))


def parsed(site, url: str) -> Images:
    parser = Images()
    parser.feed(site_pages.file(site, url).read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_page_language_is_set(site, url):
    """Every page declares its language (English), so screen readers pronounce it right."""
    assert parsed(site, url).lang == "en"


@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_images_have_descriptive_alt_text(site, url):
    """Every image says what it shows: an alt text of a few words, not a file name or 'figure'.

    The light and dark renderings of one figure carry the same description.
    """
    bad = []
    for image in parsed(site, url).images:
        src, alt = image.get("src", ""), (image.get("alt") or "").strip()
        if image.get("role") == "presentation" or image.get("aria-hidden") == "true":
            continue
        if not describes(alt, src):
            bad.append(f"{src[:80]!r}: alt={alt!r}")
    assert not bad, "images without a description of what they show:\n" + "\n".join(bad)


def test_light_and_dark_renderings_share_their_description(site):
    """A figure drawn in light and dark is one figure: both images have the same alt text."""
    pairs = 0
    for url in PAGES:
        images = parsed(site, url).images
        for light in (i for i in images if i.get("src", "").endswith("#only-light")):
            dark = [i for i in images if i.get("src", "").endswith("#only-dark") and i.get("alt") == light.get("alt")]
            assert dark, f"{url}: the light image {light['src']} has no dark twin with the same alt text"
            pairs += 1
    assert pairs, "no figure drawn in light and dark found in the site"
