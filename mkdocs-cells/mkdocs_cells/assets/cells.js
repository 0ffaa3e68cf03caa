// The runnable cells of a page: set up on every page load (Material's document$, so also after
// instant navigation), sharing one Python namespace per page, in page order.
//
// Python starts early, so it is usually ready before the reader's first Run: once the page is
// set up (its editors and figures in place) and the browser is idle (prefetch; not where the
// reader saves data: data-plan.js), or at once on the first focus, edit or Run of a cell. Not
// sooner: a worker loading Python competes with the page's own start for the processor, and
// made it slower to respond (Lighthouse's total blocking time) with no gain to the first Run.
// A return visit that restores Python from a snapshot starts as the page loads (return-visit.js).
// The worker then loads numpy, convlesson and matplotlib, importing each ahead of time.
//
// Each cell's controls are built at once; the editor is imported after them (cell.js), so
// Run works from the moment the page shows, on the code the page shows.
//
// A share link (share.js) puts its code into its cell, where it waits for the reader's Run: a
// later cell's Run does not run it as one of its earlier cells.
import { Cell, loadEditor } from "./cell.js";
import { savesData } from "./data-plan.js";
import { notebookCells } from "./notebook.js";
import * as runtime from "./runtime.js";
import { afterPaint, nearestFirst, whenSettled } from "./schedule.js";
import { pageNote, sharedInLink } from "./share.js";

// How long a task may build editors here: a phone's CPU takes about four times as long, still
// under the 50 ms from which a task counts as long (Lighthouse's blocking time).
const EDITOR_TASK_MS = 5;

// namespace → {generation, cells: numbers of the cells that ran there, restarted: whether
// cells had run in an earlier Python that was restarted since}
const history = new Map();

document$.subscribe(() => {
  const cells = [...markdownCells(), ...notebookCells()];
  if (cells.length) setUpPage(cells);
});

/** The cells written by the ```python run``` fence (cell.py). */
function markdownCells() {
  return [...document.querySelectorAll(".cl-cell:not([data-live])")].map((root) => ({
    root,
    source: root.querySelector(".cl-cell__source").value,
    code: root.querySelector(".highlight"),
    output: root.querySelector(".cl-cell__output"),
  }));
}

function setUpPage(found) {
  const namespace = location.pathname;
  const page = { namespace, cells: [] };
  const actions = {
    run: (cell) => runWithPrerequisites(page, cell),
    check: (cell) => check(page, cell),
    stop: () => runtime.stop(),
    wake: () => runtime.start(),
    retry: () => runtime.retry(),
    earlierCode: (cell) => earlierCode(page, cell),
  };
  page.cells = found.map(({ root, ...parts }) => new Cell(root, parts, namespace, actions));
  receiveShared(page);
  const unsubscribe = runtime.onStatus((status) => {
    if (!page.cells[0].root.isConnected) return unsubscribe();
    for (const cell of page.cells) cell.showRuntime(status);
  });
  loadEditor().then((editor) => attachEditors(page.cells, editor), () => {
    for (const cell of page.cells) cell.setStatus("The editor could not be loaded: Run runs the code shown.");
  }).then(whenSettled).then(() => savesData() || runtime.start());
}

/** The code of the cells whose names `cell` can use: those before it in its namespace. */
function earlierCode(page, cell) {
  if (cell.isolated) return "";
  return page.cells.filter((c) => c.number < cell.number && !c.isolated).map((c) => c.code).join("\n");
}

/** A share link for one of the page's cells (share.js): its code goes in, unrun. */
function receiveShared(page) {
  const shared = sharedInLink();
  if (!shared || !shared.target.startsWith("cell-")) return;
  const cell = page.cells.find((c) => `cell-${c.number}` === shared.target && !c.hidden && !c.readOnly);
  if (!cell) return pageNote(`This share link is for ${shared.target.replace("-", " ")}, which this page has no editable cell for: the page shows the lesson's code.`);
  shared.read().then((code) => cell.receiveShared(code), (error) => cell.sharedLinkFailed(error.message));
}

/**
 * Give the cells their editors in short tasks, those nearest the screen first: each takes a
 * few milliseconds, and a page's twenty at once held a phone's main thread for over a second.
 * A task builds editors off the page for a few milliseconds, then places them together, so
 * the page is laid out once per task; a throwaway editor built first takes the cost of the
 * first one. A cell the pointer or the keyboard reaches before its turn gets its editor at once.
 */
async function attachEditors(cells, editor) {
  const shown = cells.filter((cell) => !cell.hidden);
  for (const cell of shown) {
    for (const type of ["pointerenter", "focusin"]) {
      cell.root.addEventListener(type, () => cell.attachEditor(editor), { once: true });
    }
  }
  await afterPaint();
  editor.warmUp();
  await afterPaint();
  const waiting = nearestFirst(shown, (cell) => cell.root);
  while (waiting.length) {
    const end = performance.now() + EDITOR_TASK_MS;
    const built = [];
    do built.push(waiting.shift().buildEditor(editor));
    while (waiting.length && performance.now() < end);
    for (const place of built) place?.();
    if (waiting.length) await afterPaint();
  }
}

function namespaceHistory(namespace) {
  const old = history.get(namespace);
  if (old?.generation === runtime.generation) return old;
  const entry = { generation: runtime.generation, cells: new Set(), restarted: Boolean(old?.cells.size) };
  history.set(namespace, entry);
  return entry;
}

/**
 * Run `cell`, first running the earlier cells of the page that have not run yet (exercises
 * excepted: they hold the reader's attempts). Resolves with the cell's reply, or null if it
 * did not run.
 */
async function runWithPrerequisites(page, cell) {
  if (page.cells.some((c) => c.running)) return null;
  cell.shared = false; // the reader ran it: code from a share link runs from now on
  runtime.start();
  const { cells: done, restarted } = namespaceHistory(page.namespace);
  // Isolated cells (under figures) have their own namespace: they need no earlier cell, and
  // no later cell needs them.
  const earlier = cell.isolated ? [] : page.cells.filter(
    (c) => c.number < cell.number && !done.has(c.number) && !c.exercise && !c.isolated);
  cell.begin({ keepOutput: true }); // the build's output stays until this cell really runs
  const shared = earlier.find((c) => c.shared);
  if (shared) {
    cell.end({}, `This cell builds on cell ${shared.number}, which holds code from a share link: it runs only ` +
      `when you run it. Run cell ${shared.number} (or Reset it), then this one.`);
    return null;
  }
  for (const prerequisite of earlier) {
    if (!prerequisite.hidden) prerequisite.begin();
    const reply = await execute(page, prerequisite);
    if (!prerequisite.hidden) prerequisite.end(reply);
    if (reply.stopped || reply.crashed || (reply.error && !prerequisite.raises)) {
      const why = reply.stopped ? "was stopped" : reply.crashed ? "ended Python" : `raised ${reply.error.type}`;
      const hint = prerequisite.hidden ? "" : ` Fix cell ${prerequisite.number}, then run this one again.`;
      cell.end({ blocked: `cell ${prerequisite.number} ${why}` },
        `This cell builds on cell ${prerequisite.number}, which ${why}.${hint}`);
      return null;
    }
  }
  cell.clearOutput();
  const reply = await execute(page, cell);
  cell.end(reply, remark(reply, earlier.filter((c) => !c.hidden), restarted));
  return reply;
}

/** Run an exercise's code, then its hidden check, and tell the reader what the check found. */
async function check(page, cell) {
  cell.showVerdict(null, "Checking…");
  const reply = await runWithPrerequisites(page, cell);
  if (!reply || reply.stopped || reply.crashed) return cell.showVerdict(false, "Not checked: the code did not run to the end.");
  if (reply.error) {
    return cell.showVerdict(false, `Not yet: your code raised ${reply.error.type}` +
      (reply.error.message ? ` (${reply.error.message})` : "") + ". Fix it, then check again.");
  }
  const verdict = await runtime.run({ code: cell.checkCode, namespace: page.namespace, cell: "check", onOutput: () => {} });
  if (verdict.crashed) return cell.showVerdict(false, `Not checked: ${verdict.crashed.message}`);
  if (!verdict.error) return cell.showVerdict(true, "Correct! Your code passes the check.");
  const { type, message } = verdict.error;
  if (type === "AssertionError" && message) return cell.showVerdict(false, `Not yet: ${message}`);
  if (type === "NameError") return cell.showVerdict(false, `Not yet: ${message}; your code should define it.`);
  cell.showVerdict(false, `Not yet: checking your result raised ${type}: ${message}`);
}

async function execute(page, cell) {
  const reply = await runtime.run({
    code: cell.code,
    namespace: cell.isolated ? `${page.namespace}#${cell.number}` : page.namespace,
    cell: cell.number,
    onOutput: (kind, payload) => cell.hidden || cell.append(kind, payload),
  });
  if (!reply.stopped && reply.generation === runtime.generation) namespaceHistory(page.namespace).cells.add(cell.number);
  return reply;
}

function remark(reply, earlier, restarted) {
  if (reply.crashed) {
    return `${reply.crashed.message} A new Python has started, so the earlier cells will run again ` +
      "before the next run. Your code is kept.";
  }
  if (reply.interrupted) {
    const where = reply.interrupted.line ? ` at line ${reply.interrupted.line}` : "";
    return `Stopped (KeyboardInterrupt${where}); Python kept its variables.`;
  }
  if (reply.restarted) {
    return "Stopped. Python was restarted, so the earlier cells will run again before the next run.";
  }
  if (reply.stopped) return "Stopped before it began; Python kept its variables.";
  if (!earlier.length) return "";
  const numbers = earlier.map((c) => c.number);
  const list = numbers.length === 1 ? `cell ${numbers[0]}` : `cells ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
  const them = numbers.length === 1 ? "it" : "them";
  if (restarted) return `Python had been restarted, so ${list} ran again first: this cell builds on ${them}.`;
  return `Ran ${list} first: this cell builds on ${them}.`;
}
