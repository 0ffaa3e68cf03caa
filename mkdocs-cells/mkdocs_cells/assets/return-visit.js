// A return visit whose Python the browser keeps as a snapshot (snapshot.js) starts it as the
// page loads, not once the page is set up (cells.js): restoring it fetches nothing and runs in
// the worker, beside the page's own start. Not where the reader saves data (data-plan.js), nor
// without a snapshot: then Python starts when cells.js says.
import { savesData } from "./data-plan.js";
import * as runtime from "./runtime.js";
import { keptSnapshot, snapshotKey } from "./snapshot.js";

const { offline, base } = runtime.settings();
if (offline && self.caches && navigator.serviceWorker?.controller && !savesData()) {
  const absolute = (url) => new URL(url, base).href;
  keptSnapshot(snapshotKey(offline, absolute)).then((kept) => kept && runtime.start(), () => {});
}
