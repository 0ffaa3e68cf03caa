"""What the site-quality audits (tests/test_audit_*.py) share: the pages, and how a reader's
page is brought to a given state (rendered, palette switched, a cell run).

The pages come from MkDocs itself (:func:`site_pages.configured`), so a page added to docs/ is
audited without being named here; ``test_audit_links.py`` checks that list against the build.
"""

from __future__ import annotations

from mkdocs_cells.testing import pages as site_pages

from conftest import PYTHON_TIMEOUT_MS, ROOT

PAGES = site_pages.configured(ROOT / "mkdocs.yml")

# Resolves once the page's scripts have turned it into what a reader works with: every visible
# cell (notebook cells included) has its editor and controls, every figure its controls, every
# formula its KaTeX.
RENDERED = """() => {
  const notebook = [...document.querySelectorAll('.jupyter-wrapper .jp-CodeCell')].filter(c => !c.querySelector('.jp-CodeCell'));
  const cells = [...document.querySelectorAll('.cl-cell:not([hidden])'), ...notebook];
  const figures = [...document.querySelectorAll('figure.cl-widget')];
  const math = [...document.querySelectorAll('.arithmatex')];
  return cells.every(c => c.hasAttribute('data-live') && c.querySelector('.cl-cell__toolbar') && c.querySelector('.cm-editor'))
    && figures.every(f => f.hasAttribute('data-ready'))
    && math.every(m => m.querySelector('.katex'));
}"""


def page_id(url: str) -> str:
    """A readable test id for a page URL: ``home``, ``convolution``, ``404``."""
    return url.strip("/").removesuffix(".html").replace("/", "-") or "home"


def open_page(page, server, url: str, scheme: str = "light"):
    """Open ``url`` as a reader whose system is set to ``scheme``, and wait until it is rendered.

    Material picks the palette whose media query matches (``prefers-color-scheme``), as it does
    for a reader on a first visit.
    """
    page.emulate_media(color_scheme=scheme)
    page.goto(server.url + url)
    page.wait_for_load_state("load")
    page.wait_for_function(RENDERED, timeout=30_000)
    settle(page)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected


def settle(page):
    """Wait until work the page put off until the browser is idle has run (a11y.js does so)."""
    for _ in range(2):
        page.evaluate("() => new Promise(done => requestIdleCallback(() => done(), {timeout: 2000}))")


def switch_palette(page, to: str, hover: bool = True):
    """Click Material's palette toggle in the header, as a reader does; with ``hover=False``
    the click comes without the pointer moving onto the toggle (and its hover fade)."""
    name = "Switch to dark mode" if to == "dark" else "Switch to light mode"
    toggle = page.locator(f'label.md-header__button[title="{name}"]')
    toggle.click() if hover else toggle.dispatch_event("click")
    expected = "slate" if to == "dark" else "default"
    page.wait_for_function(f"() => document.body.dataset.mdColorScheme === '{expected}'")


def cell_to_run(page):
    """The cell an audit runs on this page, or None: the first visible cell whose lesson output
    has a figure (so that live figures are audited too), else the first visible cell."""
    cells = page.locator(".cl-cell[data-live]:not([hidden])")
    if not cells.count():
        return None
    with_image = cells.filter(has=page.locator("img.cl-out--image, .jp-RenderedImage img"))
    chosen = with_image.first if with_image.count() else cells.first
    # By number: a locator filtered on the output would move on once Run clears that output.
    return page.locator(f'.cl-cell[data-cell="{chosen.get_attribute("data-cell")}"]')


def run(page, cell, tap: bool = False):
    """Click (or on a touch screen, tap) the cell's Run button and wait until it has finished,
    without an error unless the cell is meant to raise."""
    button = cell.get_by_role("button", name="Run", exact=True)
    if tap:
        button.tap()
    else:
        button.click()
    page.wait_for_function("c => c.dataset.state === 'done'", arg=cell.element_handle(),
                           timeout=PYTHON_TIMEOUT_MS)
    settle(page)
    errors = cell.locator(".cl-out--error")
    assert errors.count() == 0 or cell.get_attribute("data-raises") is not None, errors.first.inner_text()


def parsed_pages(site) -> dict[str, str]:
    """The HTML of every audited page of the built ``site``, by URL."""
    return {url: site_pages.file(site, url).read_text(encoding="utf-8") for url in PAGES}
