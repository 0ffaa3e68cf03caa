"""Every page of the site loads, and runs its first cell, without a console error."""

import pytest

from conftest import PYTHON_TIMEOUT_MS, ROOT

pytestmark = pytest.mark.browser


def page_urls():
    """The URL path of every Markdown and notebook page in docs/ (MkDocs' directory URLs)."""
    docs = ROOT / "docs"
    for path in sorted(docs.rglob("*")):
        if path.suffix in (".md", ".ipynb"):
            parts = path.relative_to(docs).with_suffix("").parts
            if parts[-1] == "index":
                parts = parts[:-1]
            yield "".join(f"{part}/" for part in parts)


@pytest.mark.parametrize("url", list(page_urls()))
def test_page_has_no_console_errors(page, server, url):
    """The page loads cleanly; if it has cells, its first visible cell runs cleanly too."""
    page.goto(server.url + url)
    page.wait_for_load_state("load")
    cells = page.locator(".cl-cell[data-live]:not([hidden])")
    if cells.count():
        first = cells.first
        first.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_function("c => c.dataset.state === 'done'", arg=first.element_handle(),
                               timeout=PYTHON_TIMEOUT_MS)
        assert first.locator(".cl-out--error").count() == 0 or first.get_attribute("data-raises") is not None
