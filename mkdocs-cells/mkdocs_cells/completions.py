"""The editor's completion index: the names the reader's code can use, with each callable's
signature and the first line of its docstring, for completion and help on hover
(assets/completions.js). Built at build time, written as ``assets/cells/completions.json``
and fetched by the page on the first use of an editor, so it works before Python has loaded.

Indexed: the modules of the plugin's ``macros`` setting under their names there (``np`` →
numpy, ``cl`` → convlesson), each with its public submodules (``cl.nn``, ``np.linalg``), the
built-in functions and the keywords. One source of truth: the prose's macros and the editor
know the same modules by the same names.

The index is introspected in the Pyodide the pages run, in node (``node/completions.mjs``),
so it lists the numpy (2.0.2) and convlesson the reader's code gets, not the build's
(numpy 2.4 here, whose extra names would be offered to code that cannot use them). Without
node, or with Pyodide from the CDN, the build's own modules are indexed and the build says so.

This file is also the program run inside Pyodide: `index` needs nothing beyond the standard
library.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import inspect
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import types
import warnings
from pathlib import Path

HERE = Path(__file__).parent
SCRIPT = HERE / "node" / "completions.mjs"
DOC_CHARS = 200  # a summary line longer than this is cut


def index(aliases: dict[str, str]) -> dict:
    """The index of the modules ``aliases`` (name → module) name: ``{"aliases", "modules":
    {module name: {member: entry}}, "builtins", "keywords", "versions"}``; an entry is
    ``{"type": CodeMirror completion type, "sig"?, "doc"?}``."""
    modules, versions = {}, {}
    for alias, name in aliases.items():
        module = importlib.import_module(name)
        versions[name] = getattr(module, "__version__", "")
        modules[name] = members(module)
        for member, entry in modules[name].items():
            if entry["type"] == "namespace":
                sub = quietly(getattr, module, member)
                if isinstance(sub, types.ModuleType) and sub.__name__.startswith(name + "."):
                    modules[f"{name}.{member}"] = members(sub)
    return {
        "aliases": dict(aliases),
        "modules": modules,
        "builtins": {name: describe(name, getattr(builtins, name)) for name in dir(builtins)
                     if not name.startswith("_") and callable(getattr(builtins, name))},
        "keywords": sorted(set(keyword.kwlist) | set(keyword.softkwlist) - {"_"}),
        "versions": {**versions, "python": sys.version.split()[0]},
    }


def quietly(function, *args):
    """``function(*args)``, or None if it warns (a deprecated submodule) or raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return function(*args)
        except Exception:  # noqa: BLE001 -- whatever a module does on access, it is left out
            return None


def members(module) -> dict:
    """The public members of ``module``: its ``__all__``, or its names without an underscore."""
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    found = {}
    for name in sorted(set(names)):
        value = quietly(getattr, module, name)
        if value is not None:
            found[name] = describe(name, value)
    return found


# A default's repr may name its memory address, which differs from one build to the next:
# the index, and so the site's version (offline.py), would change for nothing.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def describe(name: str, value) -> dict:
    """What completion and hover show of ``value``, found under ``name``."""
    if isinstance(value, types.ModuleType):
        return {"type": "namespace", "doc": summary(value.__doc__, name)}
    if inspect.isclass(value):
        kind = "class"
    elif callable(value):
        kind = "function"
    else:
        text = ADDRESS.sub(">", repr(value))
        return {"type": "constant", "sig": f" = {text}" if len(text) <= 40 else f": {type(value).__name__}"}
    entry = {"type": kind, "doc": summary(inspect.getdoc(value), name)}
    signature = text_signature(value, name)
    if signature:
        entry["sig"] = signature
    return entry


def text_signature(value, name: str) -> str:
    """``value``'s signature, ``(x, weight, bias=None, ...)``; for C functions without one
    (numpy's ufuncs say ``(*args, **kwargs)``), the one their docstring starts with."""
    try:
        found = ADDRESS.sub(">", str(inspect.signature(value)))
        if found != "(*args, **kwargs)":
            return found
    except (TypeError, ValueError):
        pass
    first = (inspect.getdoc(value) or "").split("\n\n")[0].replace("\n", " ")
    return first[len(name):] if first.startswith(name + "(") and first.endswith(")") else ""


def summary(doc: str | None, name: str) -> str:
    """The first line of a docstring's summary: after the signature lines C functions start
    with (``arange([start,] stop[, step,], ...)``)."""
    paragraphs = [p.strip() for p in (doc or "").split("\n\n") if p.strip()]
    while paragraphs and paragraphs[0].startswith(name + "(") and len(paragraphs) > 1:
        paragraphs.pop(0)
    line = paragraphs[0].splitlines()[0].strip() if paragraphs else ""
    return line if len(line) <= DOC_CHARS else line[: DOC_CHARS - 1] + "…"


# The build half: run `index` in Pyodide (node), or in the build's Python.


def build(aliases: dict[str, str], runtime, cache: Path) -> tuple[dict, str]:
    """The index of ``aliases`` for the pages' Python (``runtime``, a `runtime.Runtime`), from
    ``cache`` when nothing it depends on changed; and how it was made, for the build's log."""
    modules = {alias: target for alias, target in aliases.items() if ":" not in target}
    if runtime.dist is None or shutil.which("node") is None:
        why = "Pyodide from the CDN" if runtime.dist is None else "no node"
        made = index(modules)
        return made, f"completion index: the build's modules ({why}: {versions(made)}), which may differ from the page's"
    digest = hashlib.sha256(Path(__file__).read_bytes() + SCRIPT.read_bytes())
    digest.update(json.dumps([modules, runtime.source_hash()]).encode())
    digest.update((runtime.dist / "pyodide-lock.json").read_bytes())
    path = cache / "completions" / f"{digest.hexdigest()[:16]}.json"
    if not path.is_file():
        wheels = [str(wheel) for wheel in runtime.wheels]
        # The indexed modules and what the pages preload (a module may import those lazily),
        # from Pyodide's packages; the local ones come as wheels.
        wanted = {name.split(".")[0] for name in [*modules.values(), *runtime.preload]}
        packages = sorted(wanted - {Path(w).name.split("-")[0] for w in wheels})
        env = {**os.environ, "PYODIDE_INDEX_URL": str(runtime.dist.resolve()) + "/",
               "COMPLETIONS_PY": str(Path(__file__)), "PACKAGES": json.dumps(packages),
               "WHEELS": json.dumps(wheels), "ALIASES": json.dumps(modules)}
        made = subprocess.run([shutil.which("node"), str(SCRIPT)], env=env, capture_output=True, text=True,
                              timeout=600)
        if made.returncode:
            raise RuntimeError(f"building the completion index in Pyodide (node) failed:\n{made.stdout}{made.stderr}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(made.stdout)
    made = json.loads(path.read_text())
    return made, f"completion index: the page's modules, introspected in Pyodide ({versions(made)})"


def versions(made: dict) -> str:
    return ", ".join(f"{name} {version}" for name, version in made["versions"].items())


def write(folder: Path, made: dict) -> None:
    """Write the index as ``completions.json`` in ``folder`` (the site's assets)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "completions.json").write_text(json.dumps(made, separators=(",", ":")), encoding="utf-8")
