"""Put the Python runtime into the built site: Pyodide (unless loaded from the CDN) and convlesson.

``site/pyodide/`` gets the verified Pyodide distribution (see ``pyodide_dist``), the convlesson
wheel and a ``pyodide-lock.json`` that lists it, so ``import convlesson`` in a cell loads it
together with numpy.

The wheel is a standard pure-Python wheel built by ``python -m build`` with the flit_core
backend. pyodide-build is the usual tool for Pyodide packages, but it downloads a
cross-build environment before doing anything (impossible offline) and exists only to compile
extension modules: a pure-Python wheel loads in Pyodide as it is.

``site/pyodide/bytecode/`` holds Python bytecode (``.pyc``) for the modules a page's first
cells import, so the browser does not compile them from source at every visit (Pyodide's
standard library and wheels ship only ``.py`` files; compiling them was about half of the
time to a first figure). It is compiled by the same Pyodide, run in node at build time, from
the verified files, and is derived data: the verified files themselves are served unchanged.

- ``stdlib.zip``: the official ``python_stdlib.zip`` plus a ``.pyc`` beside each module that
  Pyodide's start, numpy, the cell runner and matplotlib import; the worker passes it as
  ``stdLibURL``. The ``.py`` files stay, so tracebacks still quote their lines.
- ``numpy.zip``, ``matplotlib.zip``: ``__pycache__/*.pyc`` for the site-packages modules
  that ``import numpy`` and a first ``matplotlib.pyplot`` figure import, unpacked over the
  installed packages. ``matplotlib.zip`` also holds matplotlib's font list: the one in
  Pyodide's matplotlib wheel is from another matplotlib version, so without it matplotlib
  rebuilds it at every first import.

The ``.pyc`` files are "unchecked-hash" pycs: Python uses them without comparing them with
the sources, which never change (they come from the verified wheels). Without node the build
still works: ``stdlib.zip`` is then the official one and the overlays are empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

import pyodide_dist

ROOT = Path(__file__).resolve().parent.parent
WHEEL_CACHE = ROOT / "build" / "wheel"
BYTECODE_CACHE = ROOT / "build" / "bytecode"
BYTECODE_FILES = ("stdlib.zip", "numpy.zip", "matplotlib.zip")

# extra.pyodide in mkdocs.yml → where pages load Pyodide from (relative to the site root).
SOURCES = {"self": "pyodide/", "cdn": pyodide_dist.CDN_URL}


def source_hash() -> str:
    """A hash of everything that goes into the wheel, to rebuild it only when that changes."""
    digest = hashlib.sha256()
    for path in sorted([ROOT / "pyproject.toml", ROOT / "README.md", *(ROOT / "convlesson").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_wheel() -> Path:
    """Build (or reuse) the convlesson wheel for the current sources."""
    out = WHEEL_CACHE / source_hash()
    wheels = list(out.glob("convlesson-*.whl"))
    if not wheels:
        # A fixed timestamp makes the wheel's bytes, and so its sha256 in the lock, reproducible.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
        built = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
            env=env, capture_output=True, text=True,
        )
        if built.returncode:
            raise RuntimeError(f"building the convlesson wheel failed:\n{built.stdout}{built.stderr}")
        wheels = list(out.glob("convlesson-*.whl"))
    (wheel,) = wheels
    return wheel


# Run in Pyodide (in node): import what a page's first cells import, step by step, and write
# the .pyc of every module each step imported. Python's own importer would compile exactly
# this: same interpreter, same file names.
BYTECODE_PY = r"""
import importlib._bootstrap_external as bootstrap
import importlib.util
import io
import os
import sys
import zipfile

STDLIB = "/lib/python312.zip"
SITE = "/lib/python3.12/site-packages"


def imported():
    return {getattr(module, "__file__", None) for module in list(sys.modules.values())} - {None}


started = imported()
import numpy  # noqa: E402
import numpy.lib.stride_tricks  # noqa: E402

with_numpy = imported()
# The cell runner's imports and convlesson's (it is not installed here).
import ast, base64, dataclasses, difflib, functools, importlib.abc, linecache, math, traceback, typing  # noqa: E401, E402
import matplotlib.pyplot as plt  # noqa: E402

plt.plot([1, 3, 2])
plt.title("warm-up")
plt.gcf().savefig(io.BytesIO(), format="png", dpi=96, bbox_inches="tight")
plt.close("all")
with_matplotlib = imported()


def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def add(archive, name, data):
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))  # fixed dates: the same bytes each build
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


os.makedirs("/out")
# zipimport looks for NAME.pyc beside NAME.py inside the archive.
wanted = {f for f in with_matplotlib if f.startswith(STDLIB + "/") and f.endswith(".py")}
with zipfile.ZipFile(STDLIB) as official, zipfile.ZipFile("/out/stdlib.zip", "w") as out:
    for info in official.infolist():
        data = official.read(info)
        out.writestr(info, data)
        if STDLIB + "/" + info.filename in wanted:
            add(out, info.filename[:-3] + ".pyc", pyc(data, STDLIB + "/" + info.filename))


def overlay(name, files, extra=()):
    with zipfile.ZipFile(f"/out/{name}", "w") as out:
        for path in sorted(files):
            if path.startswith(SITE + "/") and path.endswith(".py"):
                with open(path, "rb") as source:
                    data = pyc(source.read(), path)
                add(out, os.path.relpath(importlib.util.cache_from_source(path), SITE), data)
        for path in extra:
            with open(f"{SITE}/{path}", "rb") as file:
                add(out, path, file.read())


overlay("numpy.zip", with_numpy - started)
# Built by matplotlib's first import above, for this matplotlib and this file system.
overlay("matplotlib.zip", with_matplotlib - with_numpy, extra=["matplotlib/fontlist.json"])
"""

BYTECODE_JS = """
const { loadPyodide } = await import(process.env.PYODIDE_INDEX_URL + "pyodide.mjs");
const fs = await import("node:fs");
const pyodide = await loadPyodide({
  indexURL: process.env.PYODIDE_INDEX_URL, packages: ["numpy", "matplotlib"],
  env: { MPLBACKEND: "Agg" }, stdout: () => {}, stderr: () => {},
});
pyodide.runPython(fs.readFileSync(process.env.BYTECODE_PY, "utf8"));
for (const name of process.env.BYTECODE_FILES.split(" ")) {
  fs.writeFileSync(process.env.BYTECODE_OUT + "/" + name, pyodide.FS.readFile("/out/" + name));
}
"""


def bytecode_key(dist: Path) -> str:
    """A hash of what the bytecode depends on: the generator and the verified files it reads."""
    digest = hashlib.sha256((BYTECODE_PY + BYTECODE_JS).encode())
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    digest.update(json.dumps(sorted(pyodide_dist.CORE.items())).encode())
    digest.update(json.dumps(sorted((name, p["sha256"]) for name, p in lock["packages"].items()
                                    if name != "convlesson")).encode())
    return digest.hexdigest()[:16]


def build_bytecode(dist: Path) -> tuple[Path, str]:
    """Compile (or reuse) the bytecode for the distribution in ``dist``; say how it was made."""
    out = BYTECODE_CACHE / bytecode_key(dist)
    if all((out / name).is_file() for name in BYTECODE_FILES):
        return out, "precompiled"
    node = shutil.which("node")
    if node is None:
        return fallback_bytecode(dist, out.with_name(out.name + "-none")), "none (no node to compile it)"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bytecode.py").write_text(BYTECODE_PY)
        env = {**os.environ, "PYODIDE_INDEX_URL": str(dist.resolve()) + "/", "BYTECODE_PY": str(Path(tmp) / "bytecode.py"),
               "BYTECODE_OUT": tmp, "BYTECODE_FILES": " ".join(BYTECODE_FILES)}
        made = subprocess.run([node, "--input-type=module", "-e", BYTECODE_JS], env=env, capture_output=True,
                              text=True, timeout=600)
        if made.returncode:
            raise RuntimeError(f"compiling the cells' bytecode in Pyodide (node) failed:\n{made.stdout}{made.stderr}")
        out.mkdir(parents=True, exist_ok=True)
        for name in BYTECODE_FILES:
            shutil.copy2(Path(tmp) / name, out / name)
    return out, "precompiled"


def fallback_bytecode(dist: Path, out: Path) -> Path:
    """No bytecode: the official standard library and empty overlays, so pages work the same."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(dist / "python_stdlib.zip", out / "stdlib.zip")
    for name in BYTECODE_FILES[1:]:
        zipfile.ZipFile(out / name, "w").close()
    return out


def write(config) -> str:
    """Write ``site/pyodide/`` and the worker's cell runner for this build; say what they hold."""
    shutil.copy2(ROOT / "scripts" / "cell_runner.py", Path(config.site_dir) / "assets" / "convlesson" / "runner.py")
    target = Path(config.site_dir) / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    wheel = Path(shutil.copy2(build_wheel(), target))
    made = ""
    if config.extra["pyodide"] == "self":
        pyodide_dist.assemble(target)
        lock_path = target / "pyodide-lock.json"
        spec = add_wheels_to_spec(PyodideLockSpec.from_json(lock_path), [wheel], base_path=target)
        spec.to_json(lock_path)
        source, made = build_bytecode(target)
        (target / "bytecode").mkdir(exist_ok=True)
        for name in BYTECODE_FILES:
            shutil.copy2(source / name, target / "bytecode" / name)
        made = f"; bytecode: {made}"
    files = [f for f in target.rglob("*") if f.is_file()]
    size = sum(f.stat().st_size for f in files)
    return f"site/pyodide: {len(files)} files, {size / 1e6:.1f} MB ({config.extra['pyodide']}){made}"
