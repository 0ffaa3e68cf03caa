"""Put the Python runtime into the built site: Pyodide (unless loaded from the CDN) and convlesson.

``site/pyodide/`` gets the verified Pyodide distribution (see ``pyodide_dist``), the convlesson
wheel and a ``pyodide-lock.json`` that lists it, so ``import convlesson`` in a cell loads it
together with numpy.

The wheel is a standard pure-Python wheel built by ``python -m build`` with the flit_core
backend. pyodide-build is the usual tool for Pyodide packages, but it downloads a
cross-build environment before doing anything (impossible offline) and exists only to compile
extension modules: a pure-Python wheel loads in Pyodide as it is.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

import pyodide_dist

ROOT = Path(__file__).resolve().parent.parent
WHEEL_CACHE = ROOT / "build" / "wheel"

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


def write(config) -> str:
    """Write ``site/pyodide/`` and the worker's cell runner for this build; say what they hold."""
    shutil.copy2(ROOT / "scripts" / "cell_runner.py", Path(config.site_dir) / "assets" / "convlesson" / "runner.py")
    target = Path(config.site_dir) / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    wheel = Path(shutil.copy2(build_wheel(), target))
    if config.extra["pyodide"] == "self":
        pyodide_dist.assemble(target)
        lock_path = target / "pyodide-lock.json"
        spec = add_wheels_to_spec(PyodideLockSpec.from_json(lock_path), [wheel], base_path=target)
        spec.to_json(lock_path)
    size = sum(f.stat().st_size for f in target.iterdir())
    return f"site/pyodide: {len(list(target.iterdir()))} files, {size / 1e6:.1f} MB ({config.extra['pyodide']})"
