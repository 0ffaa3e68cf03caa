"""The Python runtime of the pages: Pyodide (unless loaded from the CDN), the local wheels, the
precompiled bytecode, and the settings the page's worker (runtime.js, runner.js) starts with.

``site/pyodide/`` gets the verified Pyodide distribution (see ``pyodide_dist``), a wheel of
each local project of the ``wheels`` setting and a ``pyodide-lock.json`` that lists them, so
``import convlesson`` in a cell loads it together with numpy.

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
  Pyodide's start, the cell runner, the local wheels and the ``preload`` steps import; the
  worker passes it as ``stdLibURL``. The ``.py`` files stay, so tracebacks still quote their lines.
- ``STEP.zip`` for each ``preload`` step that Pyodide provides (``numpy.zip``,
  ``matplotlib.zip``): ``__pycache__/*.pyc`` for the site-packages modules that step imports
  (for pyplot: a first figure), unpacked over the installed packages. ``matplotlib.zip`` also holds matplotlib's font list: the one in
  Pyodide's matplotlib wheel is from another matplotlib version, so without it matplotlib
  rebuilds it at every first import.

The ``.pyc`` files are "unchecked-hash" pycs: Python uses them without comparing them with
the sources, which never change (they come from the verified wheels). Without node the build
still works: ``stdlib.zip`` is then the official one and the overlays are empty.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from functools import cached_property
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

from . import pyodide_dist

HERE = Path(__file__).parent
NODE = HERE / "node"
# The setting `pyodide` → where pages load Pyodide from (relative to the site root).
SOURCES = {"self": "pyodide/", "cdn": pyodide_dist.CDN_URL}


class Project:
    """A local project of the ``wheels`` setting: a folder with a pyproject.toml."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        meta = tomllib.loads((self.folder / "pyproject.toml").read_text())
        self.name = meta["project"]["name"]
        module = meta.get("tool", {}).get("flit", {}).get("module", {}).get("name")
        self.package = self.folder / (module or self.name.replace("-", "_"))
        self.readme = meta["project"].get("readme")

    def files(self) -> list[Path]:
        """What goes into its wheel: pyproject.toml, the readme and the package's files."""
        extra = [self.folder / self.readme] if isinstance(self.readme, str) else []
        found = [p for p in self.package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        return sorted([self.folder / "pyproject.toml", *extra, *found])

    def source_hash(self) -> str:
        """A hash of everything that goes into the wheel, to rebuild it only when that changes."""
        digest = hashlib.sha256()
        for path in self.files():
            digest.update(str(path.relative_to(self.folder)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    def stdlib_imports(self) -> set[str]:
        """The standard-library modules its Python files import (their bytecode is precompiled)."""
        return stdlib_imports(p for p in self.files() if p.suffix == ".py")

    def build_wheel(self, cache: Path) -> Path:
        """Build (or reuse) the wheel for the current sources."""
        out = cache / "wheel" / f"{self.name}-{self.source_hash()}"
        wheels = list(out.glob("*.whl"))
        if not wheels:
            # A fixed timestamp makes the wheel's bytes, and so its sha256 in the lock, reproducible.
            env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
            built = subprocess.run(
                [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(self.folder)],
                env=env, capture_output=True, text=True,
            )
            if built.returncode:
                raise RuntimeError(f"building the {self.name} wheel failed:\n{built.stdout}{built.stderr}")
            wheels = list(out.glob("*.whl"))
        (wheel,) = wheels
        return wheel


def stdlib_imports(files) -> set[str]:
    """The standard-library modules that the Python ``files`` import, at any depth of the code."""
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(Path(path).read_bytes())):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return {name for name in found if name.split(".")[0] in sys.stdlib_module_names
            and not name.startswith(("tkinter", "_"))}


def bytecode_key(dist: Path, preload: list[str], extra: list[str]) -> str:
    """A hash of what the bytecode depends on: the programs, the steps and the verified files
    (``dist`` holds only those: the local wheels are added to the site's copy)."""
    digest = hashlib.sha256((NODE / "bytecode.py").read_bytes() + (NODE / "bytecode.mjs").read_bytes())
    digest.update(json.dumps([preload, extra]).encode())
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    digest.update(json.dumps(sorted(pyodide_dist.CORE.items())).encode())
    digest.update(json.dumps(sorted((name, p["sha256"]) for name, p in lock["packages"].items())).encode())
    return digest.hexdigest()[:16]


def build_bytecode(dist: Path, cache: Path, preload: list[str], extra: list[str]) -> tuple[Path, list[str], str]:
    """Compile (or reuse) the bytecode for the distribution in ``dist``: its folder, the files in
    it, and how it was made. ``preload`` are the steps Pyodide provides, ``extra`` the standard
    library modules the runner and the local wheels import."""
    files = ["stdlib.zip", *(f"{name.split('.')[0]}.zip" for name in preload)]
    out = cache / "bytecode" / bytecode_key(dist, preload, extra)
    if all((out / name).is_file() for name in files):
        return out, files, "precompiled"
    node = shutil.which("node")
    if node is None:
        return fallback_bytecode(dist, out.with_name(out.name + "-none"), files), files, "none (no node to compile it)"
    with tempfile.TemporaryDirectory() as tmp:
        packages = sorted({name.split(".")[0] for name in preload})
        env = {**os.environ, "PYODIDE_INDEX_URL": str(dist.resolve()) + "/", "BYTECODE_PY": str(NODE / "bytecode.py"),
               "PACKAGES": " ".join(packages), "PRELOAD": " ".join(preload), "STDLIB_EXTRA": " ".join(extra),
               "OUT_DIR": tmp, "OUT_FILES": " ".join(files)}
        made = subprocess.run([node, str(NODE / "bytecode.mjs")], env=env, capture_output=True, text=True, timeout=600)
        if made.returncode:
            raise RuntimeError(f"compiling the cells' bytecode in Pyodide (node) failed:\n{made.stdout}{made.stderr}")
        out.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copy2(Path(tmp) / name, out / name)
    return out, files, "precompiled"


def fallback_bytecode(dist: Path, out: Path, files: list[str]) -> Path:
    """No bytecode: the official standard library and empty overlays, so pages work the same."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(dist / "python_stdlib.zip", out / "stdlib.zip")
    for name in files[1:]:
        zipfile.ZipFile(out / name, "w").close()
    return out


class Runtime:
    """One build's runtime: its settings, the local wheels built for it, what the pages get."""

    def __init__(self, config, config_dir: Path, cache: Path):
        self.source = config.pyodide
        self.preload = list(config.preload)
        self.implies_matplotlib = list(config.implies_matplotlib)
        self.cache = cache
        self.projects = [Project(config_dir / folder) for folder in config.wheels]
        self.wheels = [project.build_wheel(cache) for project in self.projects]
        self.steps: list[dict] = []
        self.overlays: list[str] = []
        self.dist = self.bytecode = self.lock = None

    def source_hash(self) -> str:
        """A hash of the local projects' sources: what cell outputs depend on besides the runner."""
        return "".join(project.source_hash() for project in self.projects)

    def watched(self) -> list[Path]:
        """The local projects' package folders, for `mkdocs serve` to watch."""
        return [project.package for project in self.projects]

    def local(self, name: str) -> Path | None:
        """The wheel of the local project whose import or distribution name is ``name``."""
        for project, wheel in zip(self.projects, self.wheels):
            if name in (project.name, project.package.name):
                return wheel
        return None

    def prepare(self) -> str:
        """Assemble what the site will serve (before the pages, whose settings depend on it):
        the verified Pyodide with the local wheels in its lock, its bytecode, the background
        steps. Says what it made."""
        if self.source == "cdn":
            self.steps = self.plan(pyodide_dist.official_lock()["packages"], None)
            return "pyodide: the official CDN; the site serves only its local wheels"
        dist = self.cache / "pyodide"
        pyodide_dist.assemble(dist)
        provided = [name for name in self.preload if self.local(name.split(".")[0]) is None]
        runner = stdlib_imports([HERE / "runner.py", HERE / "magics.py"])
        extra = sorted(runner.union(*(project.stdlib_imports() for project in self.projects)))
        self.bytecode, files, how = build_bytecode(dist, self.cache, provided, extra)
        self.overlays = [name.removesuffix(".zip") for name in files[1:]]
        self.lock = PyodideLockSpec.from_json(dist / "pyodide-lock.json")
        for wheel in self.wheels:  # each listed by its file name: the site serves it beside the lock
            self.lock = add_wheels_to_spec(self.lock, [wheel], base_path=wheel.parent)
        self.dist = dist
        packages = {name: {"file_name": p.file_name, "depends": p.depends} for name, p in self.lock.packages.items()}
        self.steps = self.plan(packages, dist)
        return f"pyodide: self-hosted; bytecode: {how}"

    @cached_property
    def packages(self) -> list[str]:
        """The packages a cell can import (besides the standard library): those the site serves,
        or with the CDN all of Pyodide's. Read after `prepare`, once: every page's settings
        carry it."""
        if self.source == "cdn":
            names = list(pyodide_dist.official_lock()["packages"])
        else:
            names = [name for name, p in self.lock.packages.items() if (self.dist / p.file_name).is_file()]
        return sorted({*names, *(project.name for project in self.projects)})

    def write(self, site: Path) -> str:
        """Write ``site/pyodide/`` for this build; say what it holds."""
        target = site / "pyodide"
        target.mkdir(parents=True, exist_ok=True)
        for wheel in self.wheels:
            shutil.copy2(wheel, target)
        if self.source == "self":
            for path in self.dist.iterdir():
                if path.name != "pyodide-lock.json" and not (target / path.name).is_file():
                    shutil.copy2(path, target)
            self.lock.to_json(target / "pyodide-lock.json")
            (target / "bytecode").mkdir(exist_ok=True)
            for name in ["stdlib", *self.overlays]:
                shutil.copy2(self.bytecode / f"{name}.zip", target / "bytecode" / f"{name}.zip")
        files = [f for f in target.rglob("*") if f.is_file()]
        size = sum(f.stat().st_size for f in files)
        return f"site/pyodide: {len(files)} files, {size / 1e6:.1f} MB ({self.source})"

    def plan(self, lock: dict, target: Path) -> list[dict]:
        """The worker's background steps, from ``preload``: for each, what it installs, the
        Python that warms it up, the earlier steps it builds on, and its share of the download
        (in MB; the first step's packages load while Python starts, and count with Python)."""
        steps, counted = [], set()

        def closure(name):
            entry = lock.get(name)
            if entry is None:
                return set()
            return {name}.union(*(closure(d) for d in entry["depends"]))

        def megabytes(names):
            if target is None:
                return 1.0  # files on the CDN: every step counts the same
            paths = [target / lock[n]["file_name"] for n in names]
            paths = [self.local(n) if not p.is_file() else p for n, p in zip(names, paths)]
            return round(sum(p.stat().st_size for p in paths if p) / 1e6, 2)

        for i, module in enumerate(self.preload):
            name = module.split(".")[0]
            wheel = self.local(name)
            package = wheel.name.split("-")[0].replace("_", "-") if wheel else name
            needs = closure(package)
            steps.append({
                "name": name,
                "packages": [package] if self.source == "self" or wheel is None else [f"pyodide/{wheel.name}"],
                # a path (a wheel the site serves, with the CDN) is made relative to each page
                "import": f"import {module}",
                "requires": [s["name"] for s in steps if s["name"] in needs],
                "mb": megabytes(sorted(needs - counted)),
            })
            counted |= needs
        core = [target / name for name in pyodide_dist.CORE if name != "pyodide-lock.json"] if target else []
        if core and all(path.is_file() for path in core):
            steps[0]["mb"] = round(steps[0]["mb"] + sum(p.stat().st_size for p in core) / 1e6, 2)
        return steps

    def settings(self, relative) -> dict:
        """The runtime settings of a page (runtime.js); ``relative(path)`` is the page's URL of
        the site's file at ``path``."""
        index = SOURCES[self.source]
        steps = [{**step, "packages": [relative(p) if p.endswith(".whl") else p for p in step["packages"]]}
                 for step in self.steps]
        return {
            "indexURL": relative(index.rstrip("/")) + "/" if self.source == "self" else index,
            "bytecode": relative("pyodide/bytecode") + "/" if self.source == "self" else None,
            "overlays": self.overlays,
            "steps": steps,
            "impliesMatplotlib": self.implies_matplotlib,
            "packages": self.packages,
        }
