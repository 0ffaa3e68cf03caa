"""The site builds strictly and carries its own verified Python runtime."""

import hashlib
import json

import convlesson
from conftest import ROOT


def test_strict_build_passes(build):
    """`mkdocs build --strict` succeeds: no broken links, no warnings."""
    assert build.returncode == 0, build.log


def test_pyodide_is_self_hosted_and_matches_the_lock(site):
    """Every package the site's lock lists is in site/pyodide/ with the lock's sha256."""
    dist = site / "pyodide"
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    for name, package in lock["packages"].items():
        data = (dist / package["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == package["sha256"], name
    for core in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (dist / core).stat().st_size > 0


def test_distribution_holds_only_what_cells_need(site):
    """The lock lists numpy, matplotlib with its dependencies, and convlesson: nothing else."""
    lock = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())
    assert set(lock["packages"]) == {
        "numpy", "matplotlib", "matplotlib-pyodide", "contourpy", "cycler", "fonttools",
        "kiwisolver", "packaging", "pillow", "pyparsing", "python-dateutil", "pytz", "six",
        "convlesson",
    }
    wheels = {p.name for p in (site / "pyodide").glob("*.whl")}
    assert wheels == {p["file_name"] for p in lock["packages"].values()}


def test_convlesson_wheel_is_in_the_lock_with_numpy(site):
    """convlesson is listed in the lock, importable as `convlesson`, depending on numpy."""
    lock = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["convlesson"]
    assert entry["imports"] == ["convlesson"]
    assert entry["depends"] == ["numpy"]
    assert entry["version"] == convlesson.__version__
    wheel = (site / "pyodide" / entry["file_name"]).read_bytes()
    assert hashlib.sha256(wheel).hexdigest() == entry["sha256"]


def test_pages_reference_no_third_party_host(site):
    """No built HTML page links a script, style or font from another host."""
    for page in site.rglob("*.html"):
        html = page.read_text()
        for attribute in ('src="http', 'href="https://fonts', "fonts.googleapis", "cdn.jsdelivr"):
            assert attribute not in html, f"{page.relative_to(site)} references {attribute}"


def test_editor_bundle_carries_the_compile_hint_its_recipe_adds(site):
    """The served CodeMirror bundle opens with V8's compile hint (Chrome compiles it while it
    downloads, so the first editor does not wait for compilation), as `make vendor` writes it."""
    hint = "//# allFunctionsCalledOnLoad"
    recipe = json.loads((ROOT / "mkdocs-cells" / "vendor" / "package.json").read_text())["scripts"]["editor"]
    assert f"--banner:js='{hint}'" in recipe
    served = (site / "assets" / "cells" / "vendor" / "codemirror.js").read_text()
    assert served.split("\n", 1)[0] == hint
