// The site's service worker: written to the site's root by the build (offline.py), which puts
// this build's VERSION above this line. It keeps the site's files in the cache of its version,
// so that a return visit needs no network for them, and so that a page, its cells' code and
// the Python runtime always come from one build:
//
// - A page is fetched from the network first (the next visit after a deploy gets the new
//   one), kept, and served from the cache when the network fails. A page with another build's
//   mark, or any other file that the network has in another version than this one's, means a
//   newer deploy: this worker then stands down and asks the browser for the new worker.
// - A worker that stood down fetches every file from the network (never from the browser's
//   HTTP cache, which may hold another version of a file that kept its name), also after the
//   browser stopped and restarted it (a mark in its cache says it stood down). Once its
//   successor is installing it answers nothing: the browser fetches by itself. It must have no
//   work left when its successor takes over: Chromium puts off the change while the old
//   worker handles requests, and a navigation that the old worker was answering at the moment
//   of the change never completes.
// - Any other file of the manifest comes from the cache, or else from the network, and is
//   kept if its sha256 is this version's.
// - A new version copies the files it shares with the old caches, fetches those that the
//   reader had and that changed (every file, if the reader made the course available offline),
//   takes over at once and deletes the old caches.
//
// Messages from pages, each with a port for the answers:
//   {type: "hello"} → {build, version, superseded: whether it has stood down for a newer one}
//   {type: "size"} → {missing, total, unknown, complete}: the whole course, in bytes (unknown:
//     CDN files of unknown size still missing; complete: every file is kept)
//   {type: "keep"} (the whole course) or {type: "keep", urls} → {type: "progress", done,
//     total} while it fetches what is missing, then {type: "kept"} or {type: "failed", message}
importScripts(`offline-manifest.${VERSION}.js`);

const PREFIX = "cells-offline-";
const CACHE = PREFIX + VERSION;
const ROOT = new URL("./", location.href).href;
const HASH = "x-cells-sha256";
// A page's build mark, in its runtime settings (offline.py); none ("offline":null) in a page
// of `mkdocs serve`, which must never get files from this cache.
const MARK = /"offline":(?:null|\{"worker":"[^"]*","build":"(\w+)"\})/;
// Kept in a cache whose files the reader asked for all of: its next versions keep them all too.
const EVERYTHING = ROOT + "offline-worker-keeps-everything";
const { files, remote } = self.manifest;
let keeping = null; // {promise, listeners} of the whole course's download, while under way

let newer = false; // a newer deploy was seen
// Also kept in the cache: the browser stops idle workers and starts them again, which forgets
// what they had seen.
const STOOD_DOWN = ROOT + "offline-worker-stood-down";
const remembered = caches.open(CACHE)
  .then((cache) => cache.match(STOOD_DOWN))
  .then((mark) => (newer ||= Boolean(mark)), () => {});

self.addEventListener("install", (event) => {
  event.waitUntil(carryOver().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || successor()) return;
  const key = keyOf(request.url);
  if (request.mode !== "navigate" && !key) return;
  event.respondWith(remembered.then(() => (request.mode === "navigate" ? page(event, key) : file(event, key))));
});

self.addEventListener("message", (event) => {
  const { data } = event;
  const [port] = event.ports;
  if (!port) return;
  const hello = () => ({ build: self.manifest.build, version: VERSION, superseded: superseded() });
  if (data?.type === "hello") event.waitUntil(remembered.then(() => port.postMessage(hello())));
  else if (data?.type === "size") event.waitUntil(size().then((answer) => port.postMessage(answer)));
  else if (data?.type === "keep") event.waitUntil(keep(data, (message) => port.postMessage(message)));
});

/** The manifest's name for a URL: a site path ("first-cell/index.html") or a CDN URL; null
 * for anything else, which this worker leaves to the browser. */
function keyOf(href) {
  const url = new URL(href);
  url.hash = "";
  url.search = "";
  if (url.href in remote) return url.href;
  if (!url.href.startsWith(ROOT)) return null;
  let path = decodeURIComponent(url.href.slice(ROOT.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  return path in files ? path : null;
}

function urlOf(key) {
  return key in remote ? key : new URL(key, ROOT).href;
}

function expected(key) {
  return (files[key] || remote[key])[0];
}

function everyKey() {
  return [...Object.keys(files), ...Object.keys(remote)];
}

/** A newer version of this worker is installing or waiting to take over. */
function successor() {
  return Boolean(self.registration.installing || self.registration.waiting);
}

function superseded() {
  return newer || successor();
}

function standDown() {
  if (newer) return;
  newer = true;
  caches.open(CACHE).then((cache) => cache.put(STOOD_DOWN, new Response(""))).catch(() => {});
  self.registration.update().catch(() => {});
}

/** A page: from the network, checked against this version; from the cache when offline. */
async function page(event, key) {
  let response;
  try {
    response = await fetch(event.request, { cache: "no-cache" });
  } catch (error) {
    const cache = await caches.open(CACHE);
    const kept = (key && await cache.match(urlOf(key))) || await cache.match(urlOf("404.html"));
    if (kept) return kept;
    throw error;
  }
  const type = response.headers.get("content-type") || "";
  if (response.status !== 200 || response.type !== "basic" || !type.startsWith("text/html")) return response;
  // Read whole before the browser sees it: whether this worker may serve the page's files
  // must be settled before the page asks for them. A page with another build's mark uses
  // other files than this version's.
  const body = await response.arrayBuffer();
  const copy = stored(body, response, key && expected(key));
  const mark = MARK.exec(new TextDecoder().decode(body));
  if (mark && mark[1] !== self.manifest.build) standDown();
  else if (key && await sha256(body) === expected(key)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(urlOf(key), copy.clone())));
  }
  return copy;
}

/** Any other file of the manifest. */
async function file(event, key) {
  // From the network, never a copy the browser's HTTP cache still deems fresh: a deploy that
  // kept a file's name (a local wheel) would otherwise get the old one.
  const { url, integrity } = event.request;
  const network = () => fetch(url, { cache: "no-cache", integrity, mode: key in remote ? "cors" : "same-origin" });
  if (superseded()) return network();
  const cache = await caches.open(CACHE);
  const kept = await cache.match(urlOf(key));
  if (kept) return kept;
  const response = await network();
  if (response.status === 200 && (response.type === "basic" || response.type === "cors")) {
    // A site file the network has in another version means a newer deploy (a CDN's are versioned).
    event.waitUntil(store(cache, key, response.clone()).then((ok) => ok || key in remote || standDown()));
  }
  return response;
}

/** Keep `response` as the file `key` if it is this version's; says whether it was. */
async function store(cache, key, response) {
  const body = await response.arrayBuffer();
  if (await sha256(body) !== expected(key)) return false;
  await cache.put(urlOf(key), stored(body, response, expected(key)));
  return true;
}

/** A response to keep: the body read (decoded), the response's headers (its type; those of
 * cross-origin isolation, without which a worker's script is blocked), less those about its
 * encoding on the wire, and its hash for the next version. */
function stored(body, response, hash) {
  const headers = new Headers(response.headers);
  for (const name of ["content-encoding", "content-length", "transfer-encoding"]) headers.delete(name);
  if (hash) headers.set(HASH, hash);
  return new Response(body, { status: 200, headers });
}

async function sha256(body) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Install: copy the unchanged files from the old caches; fetch the changed ones the reader
 * had (or, after "keep all", every file), each checked against this version's hash. */
async function carryOver() {
  const cache = await caches.open(CACHE);
  const changed = new Set();
  let everything = false;
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      if (request.url === EVERYTHING) everything = true;
      const key = keyOf(request.url);
      if (!key || await cache.match(request)) continue;
      const response = await old.match(request);
      if (response.headers.get(HASH) === expected(key)) await cache.put(request, response);
      else changed.add(key);
    }
  }
  const wanted = everything ? everyKey() : [...changed];
  await fetchMissing(cache, wanted, () => {});
  if (everything) await cache.put(EVERYTHING, new Response("1"));
}

/** Fetch into `cache` the files of `keys` it lacks, reporting bytes as they arrive. A file the
 * network has in another version stops it: the site was deployed again meanwhile. */
async function fetchMissing(cache, keys, report) {
  const missing = [];
  for (const key of keys) if (!(await cache.match(urlOf(key)))) missing.push(key);
  const total = missing.reduce((sum, key) => sum + (files[key]?.[1] ?? 0), 0);
  let done = 0;
  report({ type: "progress", done, total });
  for (const key of missing) {
    const response = await fetch(urlOf(key), { cache: "no-cache", mode: key in remote ? "cors" : "same-origin" });
    if (!response.ok) throw new Error(`${urlOf(key)} answered ${response.status}`);
    if (!(await store(cache, key, response))) {
      standDown();
      throw new Error("the site was updated meanwhile: reload the page, then try again");
    }
    done += files[key]?.[1] ?? 0;
    report({ type: "progress", done, total });
  }
}

async function size() {
  const cache = await caches.open(CACHE);
  let missing = 0;
  let total = 0;
  let unknown = 0;
  for (const key of everyKey()) {
    const bytes = files[key]?.[1];
    total += bytes ?? 0;
    if (await cache.match(urlOf(key))) continue;
    if (bytes === undefined) unknown += 1;
    else missing += bytes;
  }
  const complete = !missing && !unknown && Boolean(await cache.match(EVERYTHING));
  return { missing, total, unknown, complete };
}

/** Keep the files of `urls` (those of the manifest), or else the whole course (one download
 * at a time, whoever asked). */
function keep({ urls }, listener) {
  if (urls) return download(urls.map(keyOf).filter(Boolean), false, listener);
  keeping ??= { listeners: new Set() };
  const run = keeping;
  run.listeners.add(listener);
  run.promise ??= download(everyKey(), true, (message) => run.listeners.forEach((send) => send(message)))
    .finally(() => (keeping = null));
  return run.promise;
}

async function download(keys, everything, report) {
  try {
    const cache = await caches.open(CACHE);
    await fetchMissing(cache, keys, report);
    if (everything) await cache.put(EVERYTHING, new Response("1"));
    report({ type: "kept" });
  } catch (error) {
    report({ type: "failed", message: String(error?.message || error) });
  }
}
