// The worker that keeps a snapshot of Python for later visits: runner.js itself, started by
// runner.js with {snapshotMaker: true}, under a name of its own so that it is not taken for
// the page's Python worker.
import "./runner.js";
