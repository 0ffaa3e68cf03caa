// Keyboard and screen-reader fixes for elements that the theme, the build and the cells put in
// the page, kept up to date as the page changes (cell output streams in, figures mount, the
// window narrows). Checked by tests/test_audit_a11y.py (axe).
//
// - A region that scrolls and holds nothing focusable joins the tab order (tabindex 0), so a
//   keyboard user can scroll it: tables, formulas and cell output on a phone, long output
//   anywhere. Material does the same for its code blocks. It leaves the tab order again when
//   it stops scrolling. (The cells' editors are reached through their editable text.)
// - Material wraps each code block's Copy button in a <nav>: several unnamed navigation
//   landmarks that a screen reader cannot tell apart. They are not navigation: role "none".

const SCROLLERS = [
  ".md-typeset__scrollwrap", // Material's wrapper of a wide table
  ".md-typeset .arithmatex", // display math
  "pre.cl-out", // a cell's output (build-time and live)
  ".cl-widget__scroll", // a figure wider than the page
  ".jupyter-wrapper pre", // a notebook's output, or code in its text
].join(", ");
const MARK = "clScrollFocus";
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex], [contenteditable]";

let scheduled = false;
let observer = null;

document$.subscribe(() => {
  observer?.disconnect();
  const content = document.querySelector(".md-content");
  if (!content) return;
  observer = new MutationObserver(schedule);
  observer.observe(content, { childList: true, subtree: true, characterData: true });
  schedule();
});
window.addEventListener("resize", schedule);

// Measuring forces a layout: do it when the browser is idle, once for a burst of changes
// (the page's setup, or output streaming in), not on every change.
const whenIdle = window.requestIdleCallback ?? ((callback) => setTimeout(callback, 50));

function schedule() {
  if (scheduled) return;
  scheduled = true;
  whenIdle(() => {
    scheduled = false;
    update();
  }, { timeout: 1000 });
}

function update() {
  // Every region measured first, then changed: a change between two measurements would make
  // the browser lay the page out again for the next one.
  const regions = [...document.querySelectorAll(SCROLLERS)].map((region) => [region, scrolls(region)]);
  for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) nav.setAttribute("role", "none");
  for (const [region, scrollable] of regions) {
    const ours = MARK in region.dataset;
    if (ours && !scrollable) {
      region.removeAttribute("tabindex");
      delete region.dataset[MARK];
    } else if (!ours && scrollable && !region.hasAttribute("tabindex") && !region.querySelector(FOCUSABLE)) {
      region.tabIndex = 0;
      region.dataset[MARK] = "";
    }
  }
}

function scrolls(element) {
  const style = getComputedStyle(element);
  const x = /auto|scroll/.test(style.overflowX) && element.scrollWidth > element.clientWidth;
  const y = /auto|scroll/.test(style.overflowY) && element.scrollHeight > element.clientHeight;
  return x || y;
}
