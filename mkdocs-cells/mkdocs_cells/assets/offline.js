// Return visits without the network, and the course offline: the page's half (offline.py
// writes the service worker, offline-worker.js, at the site's root).
//
// - Registers the worker once the page has settled: registering at load competed with the
//   page's set-up (Lighthouse's blocking time rose by 200–350 ms on the heaviest pages). Under
//   `mkdocs serve` (the page's settings say so) it unregisters any worker instead (one left by
//   a build served earlier on the same address), so that an author sees the files just built.
// - Once the worker of the page's build controls the page, asks it to keep the page and the
//   files it loaded, and once Python has loaded, those and the files Python fetched: on a
//   first visit, or during a deploy, Python started while no worker of this build answered.
// - A page whose worker changed to another build's (a deploy, seen from another tab) reloads
//   before it runs Python or moves to another page: it never runs a mix of two versions.
// - The home page's control (offline.py) keeps every file of the site: the size first, then a
//   progress bar.
import * as runtime from "./runtime.js";
import { whenSettled } from "./schedule.js";

const offline = JSON.parse(document.getElementById("cells-runtime").textContent).offline;
const supported = "serviceWorker" in navigator;
let stale = false;
let fetchedByPython = []; // once Python is ready: the files its worker fetched

if (supported && offline) {
  const registered = whenSettled().then(() => navigator.serviceWorker
    .register(new URL(offline.worker, document.baseURI), { updateViaCache: "none" }));
  registered.then(() => {
    navigator.serviceWorker.addEventListener("controllerchange", checkVersion);
    if (navigator.serviceWorker.controller) checkVersion();
  }, () => {}); // no worker (a private window, storage off): pages use the network
  const unsubscribe = runtime.onStatus((status) => {
    if (status.state !== "ready") return;
    queueMicrotask(() => unsubscribe());
    fetchedByPython = status.fetched;
    whenSettled().then(checkVersion);
  });
} else if (supported) {
  // Once this page goes: until then the worker, which has stood down on seeing a page without
  // its build's mark, fetches this page's files afresh (a worker started by a page whose
  // registration is going would be nobody's, and get the browser's HTTP cache).
  const forget = () => navigator.serviceWorker.getRegistrations()
    .then((all) => all.forEach((registration) => registration.unregister()));
  if (navigator.serviceWorker.controller) addEventListener("pagehide", forget, { once: true });
  else forget();
}

document$.subscribe(() => {
  if (stale) return location.reload();
  const control = document.querySelector(".cl-offline");
  if (control) setUpControl(control);
});

/** Ask the active worker: resolves with its answer; `onProgress` gets the progress before it. */
async function ask(message, onProgress = () => {}) {
  const { active } = await navigator.serviceWorker.ready;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = ({ data }) => (data.type === "progress" ? onProgress(data) : resolve(data));
    active.postMessage(message, [channel.port2]);
  });
}

/** Keep what this page and its Python loaded if its build's worker is active; reload the page
 * if a newer build's is (an older one, seeing this page, has already stood down for this
 * page's, whose worker asks again once it takes over). */
async function checkVersion() {
  const { build, superseded } = await ask({ type: "hello" });
  if (build === offline.build) {
    // The icon is the browser's request, not the page's: it is not among the page's resources.
    // The page's resources include its Python worker's scripts.
    const icons = [...document.querySelectorAll("link[rel~=icon]")].map((link) => link.href);
    const resources = performance.getEntriesByType("resource").map((entry) => entry.name);
    return ask({ type: "keep", urls: [location.href, ...icons, ...resources, ...fetchedByPython] });
  }
  if (superseded) return;
  stale = true;
  if (runtime.status.state === "idle") location.reload();
}

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

async function setUpControl(root) {
  const button = root.querySelector("button");
  const status = root.querySelector(".cl-offline__status");
  const bar = root.querySelector("progress");
  if (!offline) return void (status.textContent = "Offline use is off under mkdocs serve.");
  if (!supported) return void (status.textContent = "This browser cannot keep the course offline.");
  const { missing, total, unknown, complete } = await ask({ type: "size" });
  if (complete) return void (status.textContent = `This course is available offline (${megabytes(total)}).`);
  const cdn = unknown ? ", plus Python from its CDN" : "";
  status.textContent = `The course is ${megabytes(total)}${cdn}; ${megabytes(missing)} of it still to download.`;
  button.disabled = false;
  button.onclick = async () => {
    button.disabled = true;
    navigator.storage?.persist?.(); // asks the browser not to evict the course when space runs low
    bar.hidden = false;
    const answer = await ask({ type: "keep" }, ({ done, total: bytes }) => {
      bar.value = bytes ? done / bytes : 0;
      status.textContent = `Downloading: ${megabytes(done)} of ${megabytes(bytes)}…`;
    });
    if (answer.type === "kept") {
      bar.value = 1;
      status.textContent = "This course is available offline: its pages and their Python work without the network.";
    } else {
      status.textContent = `The download stopped (${answer.message}). Press the button to try again.`;
      button.disabled = false;
    }
  };
}
