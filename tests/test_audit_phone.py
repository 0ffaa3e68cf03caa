"""Phone width: every page at 375 × 812 CSS pixels (a small phone, mobile emulation with touch).

The page itself never scrolls sideways; wide things (code, output, tables, formulas, wide
figures) scroll inside their own box instead of sticking out. Controls fit on the screen and
are big enough to tap (WCAG 2.2's 24 × 24 px minimum, or room around them as its spacing
exception allows); images fit the width; a cell runs when
its Run button is tapped. A full-page screenshot of each page is saved in
test-artifacts/phone/ for a person to look at.
"""

from __future__ import annotations

import pytest

from _audit import PAGES, RENDERED, cell_to_run, page_id, run, settle
from conftest import ROOT

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
ARTIFACTS = ROOT / "test-artifacts" / "phone"
MIN_TARGET = 24  # px, WCAG 2.2 success criterion 2.5.8 (target size, minimum)

# Elements that stick out of the screen sideways, unless a box around them that fits the screen
# scrolls or clips them, or they are off-screen on purpose (Material's drawer and search are
# fixed, outside the page flow).
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('') + ` (${Math.round(el.getBoundingClientRect().left)}…${Math.round(el.getBoundingClientRect().right)} px)`;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || (box.left >= -1 && box.right <= width + 1)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let contained = false;
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.position === 'fixed' || style.display === 'none') { contained = true; break; }
      if (up !== el && style.overflowX !== 'visible') {  // scrolls, or clips (e.g. text for screen readers only)
        const own = up.getBoundingClientRect();
        if (own.left >= -1 && own.right <= width + 1) { contained = true; break; }
      }
    }
    if (!contained) found.push(describe(el));
  }
  return found;
}"""

# The controls in the page's content, and where they are (page coordinates) after scrolling
# each into view; links too, as neighbours for the spacing rule (links in a sentence are exempt
# from the size minimum).
CONTROLS = """() => {
  const width = document.documentElement.clientWidth;
  const controls = document.querySelectorAll(
    '.md-content :is(button, select, input:not([type=hidden]), summary, [role=button], [role=slider], .md-content__button, a[href])');
  const out = [];
  for (const el of controls) {
    // Hidden: not rendered, or inside a closed <details> (Chromium still gives its content boxes).
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden' || el.closest('[hidden]')
        || el.parentElement.closest('details:not([open]) > :not(summary)')) continue;
    const target = (el.type === 'radio' || el.type === 'checkbox') && el.closest('label') || el;
    target.scrollIntoView({block: 'center', inline: 'nearest'});
    const box = target.getBoundingClientRect();
    out.push({what: (el.getAttribute('aria-label') || el.textContent || el.title || el.tagName).trim().slice(0, 40)
                      + ' <' + el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + '>',
              link: el.tagName === 'A' && !el.classList.contains('md-content__button'),
              left: box.left, right: box.right, width: box.width, height: box.height, viewport: width,
              x: box.left + scrollX, y: box.top + scrollY});
  }
  return out;
}"""


def too_small(controls: list[dict]) -> list[str]:
    """Controls under 24 × 24 px that also miss WCAG 2.5.8's spacing exception: a circle of 24 px
    diameter on the control's centre must not touch another control, nor another small one's circle."""
    def centre(c):
        return c["x"] + c["width"] / 2, c["y"] + c["height"] / 2

    def small(c):
        return c["width"] < MIN_TARGET or c["height"] < MIN_TARGET

    def distance_to_box(point, c):
        dx = max(c["x"] - point[0], 0, point[0] - (c["x"] + c["width"]))
        dy = max(c["y"] - point[1], 0, point[1] - (c["y"] + c["height"]))
        return (dx * dx + dy * dy) ** 0.5

    found = []
    for control in controls:
        if control["link"] or not small(control):
            continue
        here = centre(control)
        for other in controls:
            if other is control:
                continue
            if small(other) and not other["link"]:
                there = centre(other)
                crowded = ((here[0] - there[0]) ** 2 + (here[1] - there[1]) ** 2) ** 0.5 < MIN_TARGET
            else:
                crowded = distance_to_box(here, other) < MIN_TARGET / 2
            if crowded:
                found.append(f"{control['what']}: {control['width']:.0f} × {control['height']:.0f} px, "
                             f"too close to {other['what']}")
                break
    return found


IMAGES = """() => [...document.querySelectorAll('.md-content img')]
  .filter(img => img.getClientRects().length)
  .map(img => ({src: img.getAttribute('src').slice(0, 80), width: img.getBoundingClientRect().width,
                inScroller: !!img.closest('.cl-widget__scroll, .md-typeset__scrollwrap')}))"""


@pytest.fixture
def phone(browser, problems):
    """Like conftest's ``page`` (and failing on the same problems), on a phone-sized touch screen."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    problems.watch(page)
    yield page
    problems.recording = False
    context.close()
    assert not problems.unexpected(), "\n".join(problems.unexpected())
    assert not problems.foreign_requests, f"requests left 127.0.0.1: {problems.foreign_requests}"


def assert_no_sideways_scroll(page, when: str):
    scrolled = page.evaluate("() => { window.scrollTo(10000, window.scrollY); const x = window.scrollX; window.scrollTo(0, window.scrollY); return x; }")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scrolled == 0 and widths[0] <= widths[1], f"{when}: the page scrolls sideways ({widths[0]} px of content in {widths[1]} px)"
    sticking_out = page.evaluate(STICKING_OUT)
    assert not sticking_out, f"{when}: sticking out of the screen:\n" + "\n".join(sticking_out[:20])


@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_page_fits_a_phone(phone, server, url):
    """No sideways scrolling, before or after a cell runs; controls on screen and tappable;
    images no wider than the screen; a screenshot for the record."""
    phone.goto(server.url + url)
    phone.wait_for_load_state("load")
    phone.wait_for_function(RENDERED, timeout=30_000)
    settle(phone)
    assert_no_sideways_scroll(phone, "rendered page")

    controls = phone.evaluate(CONTROLS)
    off_screen = [f"{c['what']}: {c['left']:.0f}…{c['right']:.0f} px" for c in controls
                  if not c["link"] and (c["left"] < -1 or c["right"] > c["viewport"] + 1)]
    assert not off_screen, "controls partly off the screen:\n" + "\n".join(off_screen)
    small = too_small(controls)
    assert not small, f"controls smaller than {MIN_TARGET} × {MIN_TARGET} px, without room around them:\n" + "\n".join(small)

    too_wide = [f"{i['src']}: {i['width']:.0f} px" for i in phone.evaluate(IMAGES)
                if i["width"] > PHONE["viewport"]["width"] and not i["inScroller"]]
    assert not too_wide, "images wider than the screen:\n" + "\n".join(too_wide)

    cell = cell_to_run(phone)
    if cell is not None:
        run(phone, cell, tap=True)
        assert cell.locator(".cl-cell__output").inner_text().strip() or cell.locator(".cl-cell__output img").count(), \
            "the cell ran but shows no output"
        assert_no_sideways_scroll(phone, "after running a cell")

    # Lazy images load as they come into view: scroll through the page before the screenshot.
    phone.evaluate("""async () => {
      for (let y = 0; y < document.documentElement.scrollHeight; y += 600) {
        window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30));
      }
      window.scrollTo(0, 0);
    }""")
    phone.wait_for_function("() => [...document.images].every(image => image.complete || !image.getClientRects().length)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=ARTIFACTS / f"{page_id(url)}.png", full_page=True)
