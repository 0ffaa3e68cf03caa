// A memory snapshot of the worker's Python once its packages are imported, so that a return
// visit starts from there instead of starting Python and importing numpy and matplotlib again
// (runner.js). Built on Pyodide 0.27's private `_makeSnapshot` / `_loadSnapshot`, which keep
// Python's memory but nothing else, so this file keeps the rest:
//
// - the files (site-packages, the runner): the file system lives in JavaScript;
// - the packages' compiled libraries (numpy's .so files are WebAssembly modules of their own,
//   which Python's memory calls into): each is loaded again, in the same order, at the same
//   memory and function-table addresses as when the snapshot was made, before Python's memory
//   is put back over them. Pyodide 0.27 cannot do this itself (pyodide#5195, #4720).
//
// A snapshot is one blob: "CSNP", the length of a JSON header, the header (the libraries, the
// files' paths and sizes, what Pyodide had loaded), Pyodide's snapshot, then the files' bytes.
// Whoever loads one must be ready for it to fail and start Python the usual way instead.
//
// Snapshots are kept in Cache Storage, one per build, under a key made from the build's mark.

const SNAPSHOTS = "cells-snapshot"; // the Cache Storage cache of the snapshots
const MAGIC = 0x504e5343; // "CSNP"
const HANDLE_SIZE = 40; // Emscripten's `struct dso` header: flags, then memory and table bases
const SKIPPED = ["/dev", "/proc", "/sys"];

/** This build's snapshot's key: from `offline`, the page's offline settings (offline.py),
 * whose URLs `absolute` resolves. */
export function snapshotKey(offline, absolute) {
  return new URL(`python-snapshot?build=${offline.build}`, absolute(offline.worker)).href;
}

/** The snapshot kept under `key` (a Response), or undefined. */
export function keptSnapshot(key) {
  return caches.match(key, { cacheName: SNAPSHOTS });
}

/** Keep `blob` as the snapshot under `key`, in place of other builds' snapshots. */
export async function keepSnapshot(key, blob) {
  const cache = await caches.open(SNAPSHOTS);
  const { pathname } = new URL(key);
  for (const old of await cache.keys()) if (new URL(old.url).pathname === pathname) await cache.delete(old);
  await cache.put(key, new Response(blob));
}

/** Delete the snapshot under `key`, if there is one. */
export async function forgetSnapshot(key) {
  await caches.open(SNAPSHOTS).then((cache) => cache.delete(key));
}

/**
 * `loadPyodide` of `pyodide.mjs` with `options`, recording which libraries the interpreter
 * loads and where, for `makeSnapshot`. Pyodide is told to allow snapshots.
 */
export async function startRecording(loadPyodide, options) {
  const libraries = [];
  const pyodide = await withModule(options.indexURL, (module) => record(module, libraries), () =>
    loadPyodide({ ...options, _makeSnapshot: true }));
  return { pyodide, libraries };
}

/** The snapshot of `pyodide` (started by `startRecording`) as it is now, as a Blob. Throws if
 * Python holds JavaScript objects a snapshot cannot keep, or a library escaped the record. */
export function makeSnapshot(pyodide, libraries) {
  const module = pyodide._module;
  const names = Object.keys(module.LDSO.loadedLibsByName).filter((name) => name !== "__main__");
  const recorded = new Set(libraries.filter(({ name }) => name).flatMap(({ name }) => [name, name.split("/").pop()]));
  const stray = names.find((name) => !recorded.has(name));
  if (stray) throw new Error(`the library ${stray} was loaded where no snapshot can replay it`);
  // Python's memory holds file descriptors, whose files are open in JavaScript only.
  const open = module.FS.streams.filter((stream) => stream && stream.fd > 2);
  if (open.length) throw new Error(`${open[0].path} is open`);
  const files = [];
  const blobs = [];
  walk(module.FS, "/", (path, data) => {
    files.push(data ? [path, data.length] : [path]);
    if (data) blobs.push(data);
  });
  // Pyodide checks that its list of loaded packages (an object Python holds) is still empty.
  const loadedPackages = { ...pyodide.loadedPackages };
  for (const name in loadedPackages) delete pyodide.loadedPackages[name];
  let memory;
  try {
    memory = pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(pyodide.loadedPackages, loadedPackages);
  }
  const handles = Object.entries(module.LDSO.loadedLibsByHandle).map(([handle, dso]) => [Number(handle), dso.name]);
  const header = new TextEncoder().encode(JSON.stringify({
    libraries, handles, slots: laterSlots(module, libraries), loadedPackages, files, memory: memory.length,
  }));
  const padding = new Uint8Array(memoryStart(header.length) - 8 - header.length); // Pyodide reads it as 32-bit words
  return new Blob([new Uint32Array([MAGIC, header.length]), header, padding, memory, ...blobs]);
}

/**
 * `loadPyodide` with `options`, started from `snapshot` (an ArrayBuffer from `makeSnapshot`):
 * its files written, its libraries loaded where they were, then Python's memory put back.
 * Throws if it cannot be; the caller then starts Python the usual way.
 */
export async function startFromSnapshot(loadPyodide, options, snapshot) {
  const view = new Uint32Array(snapshot, 0, 2);
  if (view[0] !== MAGIC) throw new Error("not a snapshot");
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(snapshot, 8, view[1])));
  const memory = new Uint8Array(snapshot, memoryStart(view[1]), header.memory);
  let offset = memory.byteOffset + header.memory;
  const files = header.files.map(([path, size]) => {
    if (size === undefined) return [path, null];
    const data = new Uint8Array(snapshot, offset, size);
    offset += size;
    return [path, data];
  });
  if (offset !== snapshot.byteLength) throw new Error("the snapshot is truncated");
  const pyodide = await withModule(options.indexURL, (module) => replay(module, header, files), () =>
    loadPyodide({ ...options, _loadSnapshot: memory }));
  Object.assign(pyodide.loadedPackages, header.loadedPackages);
  return pyodide;
}

function memoryStart(headerLength) {
  return Math.ceil((8 + headerLength) / 16) * 16;
}

/** Run `load` (a `loadPyodide`) with `prepare(module)` called on the Emscripten module it
 * creates, before Python starts or its memory is restored. */
async function withModule(indexURL, prepare, load) {
  // pyodide.mjs skips loading this script when its function is already there.
  await import(new URL("pyodide.asm.js", new URL(indexURL, import.meta.url)));
  const create = globalThis._createPyodideModule;
  globalThis._createPyodideModule = async (settings) => {
    const module = await create(settings);
    await prepare(module);
    return module;
  };
  try {
    return await load();
  } finally {
    globalThis._createPyodideModule = create;
  }
}

/**
 * Have every library Pyodide loads write where it went into a handle of its own, and note
 * when Pyodide resolves the symbols a library left undefined (which takes table slots).
 */
function record(module, libraries) {
  const resolve = module.reportUndefinedSymbols;
  module.reportUndefinedSymbols = function () {
    const tableBefore = module.wasmTable.length;
    const result = resolve.apply(this, arguments);
    libraries.push({ resolve: true, tableBefore, tableAfter: module.wasmTable.length });
    return result;
  };
  const load = module.loadDynamicLibrary;
  module.loadDynamicLibrary = function (name, flags, localScope, handle) {
    if (handle || module.LDSO.loadedLibsByName[name]) return load.apply(this, arguments);
    const own = module._calloc(1, HANDLE_SIZE);
    const tableBefore = module.wasmTable.length;
    const noted = () => libraries.push({
      name, global: !!flags.global, local: !!localScope, tableBefore,
      memoryBase: module.HEAPU32[(own + 12) >> 2], tableBase: module.HEAPU32[(own + 20) >> 2],
      tableAfter: module.wasmTable.length,
    });
    const result = load.call(this, name, flags, localScope, own);
    return flags.loadAsync ? Promise.resolve(result).then((value) => (noted(), value)) : (noted(), result);
  };
}

/**
 * The function-table slots filled after the libraries loaded, or between their loads (the
 * address of a module's init function when Python imports it): [slot, library, export]. A
 * slot that holds anything else cannot be put back: no snapshot.
 */
function laterSlots(module, libraries) {
  const table = module.wasmTable;
  const names = new Map();
  for (const [library, dso] of Object.entries(module.LDSO.loadedLibsByName)) {
    for (const [name, value] of Object.entries(dso.exports ?? {})) {
      if (typeof value === "function" && !names.has(value)) names.set(value, [library, name]);
    }
  }
  const replayed = (slot) => libraries.some(({ tableBefore, tableAfter }) => slot >= tableBefore && slot < tableAfter);
  const slots = [];
  for (let slot = libraries[0]?.tableBefore ?? table.length; slot < table.length; slot++) {
    const value = table.get(slot);
    if (!value || replayed(slot)) continue;
    if (!names.has(value)) throw new Error(`the function-table slot ${slot} holds a function no library exports`);
    slots.push([slot, ...names.get(value)]);
  }
  return slots;
}

/** Write the files and load the libraries of a snapshot where they were when it was made. */
async function replay(module, { libraries, handles, slots }, files) {
  for (const [path, data] of files) {
    if (data) module.FS.writeFile(path, data);
    else module.FS.mkdirTree(path);
  }
  const fs = { findObject: (path) => module.FS.analyzePath(path).exists, readFile: (path) => module.FS.readFile(path) };
  // A handle marked "loaded before" makes Emscripten place the library at its recorded bases.
  const handle = module._calloc(1, HANDLE_SIZE);
  for (const library of libraries) {
    const { name, tableBefore, tableAfter } = library;
    const table = module.wasmTable;
    if (table.length > tableBefore) throw new Error(`the function table (${table.length}) is past ${name ?? "a resolve"}'s place (${tableBefore})`);
    if (table.length < tableBefore) table.grow(tableBefore - table.length);
    if (library.resolve) {
      module.reportUndefinedSymbols();
      if (table.length !== tableAfter) throw new Error("the libraries' symbols did not resolve as they did");
      continue;
    }
    module.HEAPU8.fill(0, handle, handle + HANDLE_SIZE);
    module.HEAP8[handle + 8] = 1;
    module.HEAPU32[(handle + 12) >> 2] = library.memoryBase;
    module.HEAPU32[(handle + 20) >> 2] = library.tableBase;
    const flags = { loadAsync: true, global: library.global, nodelete: true, allowUndefined: true, fs };
    await module.loadDynamicLibrary(name, flags, library.local ? {} : null, handle);
    delete module.LDSO.loadedLibsByHandle[handle];
    if (table.length !== tableAfter) throw new Error(`${name} did not land where it was`);
    module.LDSO.loadedLibsByName[name.split("/").pop()] ??= module.LDSO.loadedLibsByName[name];
  }
  const table = module.wasmTable;
  const end = Math.max(table.length, ...slots.map(([slot]) => slot + 1));
  if (end > table.length) table.grow(end - table.length);
  for (const [slot, library, name] of slots) table.set(slot, module.LDSO.loadedLibsByName[library].exports[name]);
  // The handles Python's own dlopen got, which its memory still holds.
  for (const [address, name] of handles) module.LDSO.loadedLibsByHandle[address] = module.LDSO.loadedLibsByName[name];
}

/** Every directory and file under `dir` but the system's and the standard library (which
 * Pyodide writes at each start), as `found(path)` / `found(path, bytes)`, parents first. */
function walk(FS, dir, found) {
  for (const entry of FS.readdir(dir)) {
    if (entry === "." || entry === "..") continue;
    const path = dir === "/" ? `/${entry}` : `${dir}/${entry}`;
    if (SKIPPED.includes(path) || /^\/lib\/python\d+\.zip$/.test(path)) continue;
    const { mode } = FS.stat(path);
    if (FS.isDir(mode)) {
      found(path);
      walk(FS, path, found);
    } else if (FS.isFile(mode)) found(path, FS.readFile(path));
  }
}
