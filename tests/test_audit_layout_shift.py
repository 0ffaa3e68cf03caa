"""The page does not jump while it loads: what the scripts add (the cells' toolbars and editors,
the figures' controls, the runtime's progress) takes the room the built page kept for it.

Chromium's Layout Instability API reports each shift of something on screen, with the nodes
that moved; Lighthouse's Cumulative Layout Shift is their sum. Every page, at phone and
laptop width, from navigation until the page is rendered and Python has loaded.
"""

from __future__ import annotations

import pytest

from _audit import PAGES, open_page, page_id
from conftest import PYTHON_TIMEOUT_MS

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 412, "height": 823}, "laptop": {"width": 1280, "height": 720}}

# Shifts not caused by the reader, each with the elements that moved.
SHIFTS = """() => new Promise(done => {
  const describe = node => !node ? '?' : node.nodeType !== 1 ? node.nodeName
    : node.tagName.toLowerCase() + [...node.classList].map(c => '.' + c).join('');
  new PerformanceObserver((list, observer) => {
    observer.disconnect();
    done(list.getEntries().filter(e => !e.hadRecentInput)
      .map(e => ({ value: e.value, moved: e.sources.map(s => describe(s.node)) })));
  }).observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => done([]), 1000);  // the observer reports nothing when there was no shift
})"""

PYTHON_LOADED = "() => [...document.querySelectorAll('.cl-cell__status')].every(s => !s.textContent.startsWith('Loading'))"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_page_does_not_jump_while_loading(browser, server, url, size):
    context = browser.new_context(viewport=SIZES[size])
    try:
        page = context.new_page()
        open_page(page, server, url)
        page.wait_for_function(PYTHON_LOADED, timeout=PYTHON_TIMEOUT_MS)
        shifts = page.evaluate(SHIFTS)
        total = sum(shift["value"] for shift in shifts)
        assert total < 0.01, f"{url} at {size} width shifted by {total:.3f} in all: {shifts}"
    finally:
        context.close()
