// What the editor knows of Python without Python: the completion index the build wrote
// (completions.py: numpy as np, convlesson as cl, the built-ins and keywords, each callable's
// signature and docstring's first line), fetched once per tab on an editor's first use, and
// the names the page's earlier cells define. Completion (CodeMirror's autocompletion) and
// help (help.js) both read it.
import { syntaxTree } from "./vendor/codemirror.js";

const INDEX_URL = new URL("./completions.json", import.meta.url);
let index = null; // the promise of the index
let loaded = null; // the index, once it has arrived

/** The index (fetched on the first call). Null if it could not be loaded. */
export function loadIndex() {
  index ??= fetch(INDEX_URL)
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null)
    .then((data) => (loaded = data && prepare(data)));
  return index;
}

/** The index with each module's options built once (the lists are what completion shows). */
function prepare(data) {
  const options = (members) => Object.entries(members).map(([label, entry]) => option(label, entry));
  const modules = new Map(Object.entries(data.modules).map(([name, members]) => [name, { members, options: options(members) }]));
  const words = [
    ...data.keywords.map((label) => ({ label, type: "keyword" })),
    ...options(data.builtins),
  ];
  return { aliases: data.aliases, modules, builtins: data.builtins, words };
}

function option(label, entry) {
  return {
    label,
    type: entry.type,
    detail: entry.type === "constant" ? entry.sig : short(entry.sig ?? ""),
    info: entry.doc || undefined,
  };
}

/** A long signature cut to fit the list (the help tooltip shows it whole). */
const short = (sig) => (sig.length > 48 ? `${sig.slice(0, 46)}…)` : sig);

const DEFINITION = /^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_][\w\s,]*?)\s*(?:[-+*/%&|^@]|\/\/|\*\*|>>|<<)?=(?!=)|^for\s+([\w\s,]+?)\s+in\b|^with\b.*\bas\s+([A-Za-z_]\w*)/;
const IMPORT = /^import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/;
const FROM = /^from\s+([\w.]+)\s+import\s+\(?([\w\s,]+?)\)?\s*$/;

/**
 * The top-level names `code` defines ({label, type}) and the modules it imports as a name
 * (name → module): what a cell adds to the page's namespace.
 */
function definitions(code) {
  const names = new Map();
  const modules = new Map();
  for (const line of code.split("\n")) {
    if (/^\s/.test(line) || line.startsWith("#")) continue; // indented: not the namespace's
    let match = IMPORT.exec(line);
    if (match) {
      const [, module, alias] = match;
      const name = alias ?? module.split(".")[0];
      modules.set(name, alias ? module : name);
      names.set(name, "namespace");
      continue;
    }
    match = FROM.exec(line);
    if (match) {
      for (const part of match[2].split(",")) {
        const [member, alias] = part.trim().split(/\s+as\s+/);
        if (!member) continue;
        modules.set(alias ?? member, `${match[1]}.${member}`); // a submodule, if it is one
        names.set(alias ?? member, "variable");
      }
      continue;
    }
    match = DEFINITION.exec(line);
    if (!match) continue;
    const [, definition, targets, loop, withAs] = match;
    const type = definition ? (line.startsWith("class") ? "class" : "function") : "variable";
    for (const name of (definition ?? targets ?? loop ?? withAs).split(",")) {
      if (/^[A-Za-z_]\w*$/.test(name.trim())) names.set(name.trim(), type);
    }
  }
  return { names, modules };
}

/** name → module for `code` read after the index's aliases (np, cl). */
function scope(data, code) {
  return new Map([...Object.entries(data.aliases), ...definitions(code).modules]);
}

/** The index entry for the dotted name `path` ("cl.conv2d", "np.linalg.norm"), or null. */
export function lookup(data, path, code = "") {
  const parts = path.split(".");
  const module = resolve(data, scope(data, code), parts.slice(0, -1));
  const last = parts.at(-1);
  if (module) return entry(module.members[last], `${module.name}.${last}`);
  if (parts.length === 1) return entry(data.builtins[last], last);
  return null;
}

const entry = (found, name) => (found ? { name, ...found } : null);

/** The index's module that the names `parts` (["np", "linalg"]) lead to, with its name. */
function resolve(data, modules, parts) {
  if (!parts.length) return null;
  const name = [modules.get(parts[0]) ?? parts[0], ...parts.slice(1)].join(".");
  const module = data.modules.get(name);
  return module && modules.has(parts[0]) ? { name, ...module } : null;
}

/**
 * A completion source: after `np.` the members of numpy, after a plain word the keywords,
 * built-ins, the imported modules and the names the page's earlier cells define
 * (`earlierCode()` gives their code). Names in the cell itself come from lang-python.
 */
export function completionSource(earlierCode) {
  return async (context) => {
    const inner = syntaxTree(context.state).resolveInner(context.pos, -1);
    if (/String|Comment/.test(inner.name)) return null;
    const word = context.matchBefore(/(?:[A-Za-z_]\w*\s*\.\s*)*\w*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const data = loaded ?? (await loadIndex());
    if (!data) return null;
    const earlier = earlierCode();
    const parts = word.text.split(/\s*\.\s*/);
    if (parts.length > 1) {
      const module = resolve(data, scope(data, `${earlier}\n${context.state.doc}`), parts.slice(0, -1));
      if (!module) return null;
      return { from: word.to - parts.at(-1).length, options: module.options, validFor: /^\w*$/ };
    }
    const { names, modules } = definitions(earlier);
    const defined = [...names].map(([label, type]) => ({ label, type, detail: "earlier cell" }));
    const aliases = Object.keys(data.aliases).filter((name) => !modules.has(name))
      .map((label) => ({ label, type: "namespace", detail: data.aliases[label] }));
    return { from: word.from, options: [...defined, ...aliases, ...data.words], validFor: /^\w*$/ };
  };
}
