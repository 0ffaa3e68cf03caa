// Setting up a page's figures and editors, one short task at a time, so that a tap, a key or
// the next frame never waits long behind it: each task starts just after the browser has
// painted, when style and layout are up to date, so whatever it measures costs nothing to
// compute. Work the reader sees first comes first.

let queue = Promise.resolve();
let waiting = 0; // callers of afterPaint whose turn has not come yet, and pending() promises

/**
 * Resolves in a task of its own just after a paint, once every earlier caller has had its
 * turn: one piece of work per frame, so that each finds the page laid out, not changed by
 * the one before.
 */
export function afterPaint() {
  waiting += 1;
  queue = queue.then(nextPaint).then(() => {
    waiting -= 1;
  });
  return queue;
}

/** Counts `promise` (a figure's module, say) as set-up work until it settles: see whenSettled. */
export function pending(promise) {
  waiting += 1;
  const done = () => {
    waiting -= 1;
  };
  promise.then(done, done);
  return promise;
}

/**
 * Resolves once the page has loaded and the browser is idle with no set-up work waiting (for a
 * paint or a module): the page is set up, and what starts now no longer competes with it for
 * the processor.
 */
export function whenSettled() {
  return new Promise((resolve) => {
    const check = () => (waiting || document.readyState !== "complete" ? idle(check) : resolve());
    idle(check);
  });
}

function idle(callback) {
  if (window.requestIdleCallback) requestIdleCallback(callback, { timeout: 2000 });
  else setTimeout(callback, 100); // Safari has no idle callbacks
}

function nextPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 250); // a hidden tab does not paint
  });
}

/** `items` sorted by how far `elementOf(item)` is from the screen, nearest first. */
export function nearestFirst(items, elementOf) {
  const height = window.innerHeight;
  const distance = (item) => {
    const { top, bottom } = elementOf(item).getBoundingClientRect();
    return Math.max(0, top - height, -bottom);
  };
  return items.map((item) => ({ item, distance: distance(item) }))
    .sort((a, b) => a.distance - b.distance)
    .map(({ item }) => item);
}
