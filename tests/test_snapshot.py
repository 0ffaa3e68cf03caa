"""Return visits that start Python from a memory snapshot (assets/snapshot.js, runner.js), in
Chromium against the built site served on 127.0.0.1.

A first visit starts Python the usual way; on the first return visit a second worker keeps a
snapshot of a Python with every preload step imported in Cache Storage; the next visit starts
from it. A damaged
snapshot must not cost the reader anything but time: Python starts the usual way, and a new
snapshot replaces it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import PYTHON_TIMEOUT_MS, Cell
from test_data_plan import CONNECTION

pytestmark = pytest.mark.browser

# A numpy + matplotlib cell: a 3×3 mean filter over random pixels, its sum, and the figure.
CODE = """import numpy as np
import matplotlib.pyplot as plt
image = np.random.default_rng(0).random((64, 64))
kernel = np.ones((3, 3)) / 9
out = sum(kernel[i, j] * image[i:i + 62, j:j + 62] for i in range(3) for j in range(3))
print(f"{out.sum():.6f}")
plt.imshow(out, cmap="gray")
plt.show()"""

# Resolves once the site's snapshot is in Cache Storage (not one this test damaged); rejects
# after `ms`.
SNAPSHOT_KEPT = """async (ms) => {
  const cache = await caches.open("cells-snapshot");
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    for (const request of await cache.keys()) {
      if (!(await cache.match(request)).headers.has("x-damaged")) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("no snapshot was kept");
}"""

# Replace the kept snapshot with a damaged one: bytes that are no snapshot, the real one cut
# short, or the real one with another Pyodide build's id (Pyodide's header follows ours, 16-byte
# aligned: magic, offsets, then the build id).
DAMAGE = """async (how) => {
  const cache = await caches.open("cells-snapshot");
  const [request] = await cache.keys();
  const real = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  let bytes = real.slice(0, real.length >> 1);
  if (how === "garbage") bytes = real.map((_, i) => i % 251);
  if (how === "another Pyodide") {
    bytes = real;
    const pyodideHeader = Math.ceil((8 + new Uint32Array(real.buffer, 0, 2)[1]) / 16) * 16;
    bytes[pyodideHeader + 16] ^= 0xff;
  }
  await cache.put(request, new Response(bytes, { headers: { "x-damaged": how } }));
}"""


# Material's document$ made one that never emits: the page's cells are never set up (cells.js),
# so nothing but return-visit.js can start Python.
NO_SET_UP = """Object.defineProperty(window, "document$", { get: () => ({ subscribe() {} }), set() {} });"""


def expected_sum() -> str:
    image = np.random.default_rng(0).random((64, 64))
    out = sum(image[i:i + 62, j:j + 62] / 9 for i in range(3) for j in range(3))
    return f"{out.sum():.6f}"


def python_marks(page) -> list[str]:
    """The runner worker's marks ("cells:…"): how its Python started."""
    runner = next(worker for worker in page.workers if worker.url.endswith("/runner.js"))  # the page's, not a snapshot maker
    return runner.evaluate("performance.getEntriesByType('mark').map(mark => mark.name)")


def visit_and_run(context, server) -> tuple[Cell, object]:
    """A visit of the first cell's page that runs the numpy + matplotlib cell."""
    page = context.new_page()
    page.goto(server.url + "first-cell/")
    first = Cell(page, 1)
    first.set_code(CODE)
    first.run()
    return first, page


def first_visits(page, server):
    """The first visit, which makes no snapshot (a reader who comes once pays nothing for it),
    then the first return visit, which keeps one."""
    page.goto(server.url + "first-cell/")
    first = Cell(page, 1)
    first.set_code(CODE)
    first.run()
    assert first.output.splitlines()[0] == expected_sum()
    assert "cells:snapshot" not in python_marks(page)
    wait_for_mark(page, "cells:warm-up")  # when a snapshot maker would start
    page.wait_for_timeout(1000)
    assert not [worker for worker in page.workers if worker.url.endswith("/snapshot-maker.js")]
    assert page.evaluate("caches.open('cells-snapshot').then(cache => cache.keys()).then(keys => keys.length)") == 0

    returning, returning_page = visit_and_run(page.context, server)
    assert returning.output.splitlines()[0] == expected_sum()
    returning_page.evaluate(SNAPSHOT_KEPT, 3 * PYTHON_TIMEOUT_MS)


def wait_for_mark(page, name):
    runner = next(worker for worker in page.workers if worker.url.endswith("/runner.js"))
    assert runner.evaluate("""async ([name, ms]) => {
      for (const deadline = performance.now() + ms; performance.now() < deadline;) {
        if (performance.getEntriesByName(name).length) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    }""", [name, PYTHON_TIMEOUT_MS]), f"no {name} mark"


def test_a_return_visit_starts_from_the_snapshot_and_the_cell_shows_its_output(page, server):
    first_visits(page, server)

    again, again_page = visit_and_run(page.context, server)
    assert again.status == "Done"
    assert again.output.splitlines()[0] == expected_sum()
    assert again.root.locator(".cl-cell__output img").count() == 1  # the figure
    marks = python_marks(again_page)
    assert "cells:snapshot" in marks and "cells:snapshot failed" not in marks
    # Each visit its own random numbers, though every one starts from the same memory.
    again.set_code("import numpy as np, random\nprint(np.random.random(), random.random())")
    again.run()
    numbers = again.output.strip()
    third, _ = visit_and_run(page.context, server)
    third.set_code("import numpy as np, random\nprint(np.random.random(), random.random())")
    third.run()
    assert third.output.strip() != numbers


def python_worker(page, ms):
    """The page's Python worker, once it has started (within ``ms``), or None."""
    for _ in range(ms // 100):
        found = [worker for worker in page.workers if worker.url.endswith("/runner.js")]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    return None


def test_a_return_visit_with_a_snapshot_starts_python_as_the_page_loads(page, server):
    """From the snapshot, Python starts without waiting for the page's cells to be set up, and
    no sooner than before where the reader saves data."""
    first_visits(page, server)

    saving = page.context.new_page()
    saving.add_init_script(NO_SET_UP + CONNECTION % json.dumps({"saveData": True, "effectiveType": "4g"}))
    saving.goto(server.url + "first-cell/", wait_until="load")
    assert python_worker(saving, 3000) is None
    saving.close()

    early = page.context.new_page()
    early.add_init_script(NO_SET_UP)
    early.goto(server.url + "first-cell/")
    assert early.locator('.cl-cell[data-cell="1"] .cl-cell__button--run').count() == 0  # not set up
    assert python_worker(early, PYTHON_TIMEOUT_MS) is not None
    wait_for_mark(early, "cells:snapshot")
    assert "cells:snapshot failed" not in python_marks(early)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "another Pyodide"])
def test_a_damaged_snapshot_falls_back_to_the_usual_start_and_is_replaced(page, server, damage):
    first_visits(page, server)
    page.evaluate(DAMAGE, damage)

    again, again_page = visit_and_run(page.context, server)
    assert again.status == "Done"
    assert again.output.splitlines()[0] == expected_sum()
    assert again.root.locator(".cl-cell__output img").count() == 1
    marks = python_marks(again_page)
    assert "cells:snapshot failed" in marks and "cells:snapshot" not in marks

    # A new snapshot replaces the damaged one, and the next visit starts from it.
    again_page.evaluate(SNAPSHOT_KEPT, 3 * PYTHON_TIMEOUT_MS)
    third, third_page = visit_and_run(page.context, server)
    assert third.output.splitlines()[0] == expected_sum()
    assert "cells:snapshot" in python_marks(third_page)
