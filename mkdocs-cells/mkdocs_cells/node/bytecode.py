"""Run in Pyodide (in node, by bytecode.mjs): import what a page's first cells import, step by
step, and write the .pyc of every module each step imported. Python's own importer would compile
exactly this: same interpreter, same file names.

PRELOAD (space-separated imports, the worker's background steps in order) and STDLIB_EXTRA
(standard-library modules that the cell runner and the local wheels import) come from the
environment. Writes /out/stdlib.zip (the official standard library with .pyc beside the modules
imported) and one overlay /out/STEP.zip per step, of __pycache__ files for site-packages.
"""

import importlib
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


def warm_up(name):
    """Import ``name``; for pyplot, also draw and save a figure as a cell's figure is."""
    module = importlib.import_module(name)
    if name == "matplotlib.pyplot":
        module.plot([1, 3, 2])
        module.title("warm-up")
        module.gcf().savefig(io.BytesIO(), format="png", dpi=96, bbox_inches="tight")
        module.close("all")


steps = []  # (step name, files it imported)
before = imported()
for name in os.environ["STDLIB_EXTRA"].split():
    importlib.import_module(name)
for name in os.environ["PRELOAD"].split():
    warm_up(name)
    now = imported()
    steps.append((name.split(".")[0], now - before))
    before = now


def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def add(archive, name, data):
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))  # fixed dates: the same bytes each build
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


os.makedirs("/out")
# zipimport looks for NAME.pyc beside NAME.py inside the archive.
wanted = {f for f in imported() if f.startswith(STDLIB + "/") and f.endswith(".py")}
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


for step, files in steps:
    # matplotlib's font list is built by its first import above, for this matplotlib and this
    # file system; the one in Pyodide's wheel is from another version, rebuilt at every visit.
    overlay(f"{step}.zip", files, extra=["matplotlib/fontlist.json"] if step == "matplotlib" else [])
