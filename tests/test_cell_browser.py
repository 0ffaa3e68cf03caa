"""A runnable cell in real Chromium, with the self-hosted Pyodide, on 127.0.0.1."""

import json
import re
import zipfile

import numpy as np
import pytest
from scipy.signal import correlate2d

import convlesson
from mkdocs_cells.testing.server import Server

pytestmark = pytest.mark.browser

# The example of the "Try it" page's first cell: a dark-to-bright edge and a difference kernel.
IMAGE = np.array([[0, 0, 9, 9]] * 3)
KERNEL = np.array([[-1, 1], [-1, 1]])


def test_page_loads_with_a_runnable_cell(page, server, cell):
    """The page shows the lesson's code in an editor, with a Run button."""
    page.goto(server.url + "first-cell/")
    first = cell(1)
    assert "image = np.array([[0, 0, 9, 9]," in first.code
    assert first.root.get_by_role("button", name="Run").is_visible()


def test_run_prints_the_feature_map(page, server, cell):
    """Run shows the 2×2 feature map of the page's example, as numpy prints it."""
    page.goto(server.url + "first-cell/")
    first = cell(1)
    first.run()
    expected = correlate2d(IMAGE, KERNEL, mode="valid")
    assert first.output.strip() == str(expected)


def test_edit_and_run_again(page, server, cell):
    """The reader's edited code runs, in the same namespace as before."""
    page.goto(server.url + "first-cell/")
    first = cell(1)
    first.run()
    first.set_code("print(feature_map.T * 10)\nint(feature_map.sum())")
    first.run()
    expected = correlate2d(IMAGE, KERNEL, mode="valid")
    lines = [line for line in first.output.splitlines() if line.strip()]
    assert lines == [*str(expected.T * 10).splitlines(), repr(int(expected.sum()))]


def test_convlesson_imports_in_the_browser(page, server, cell):
    """`import convlesson` works in a cell and is the version this site was built with."""
    page.goto(server.url + "first-cell/")
    first = cell(1)
    first.set_code("import convlesson, sys\nprint(convlesson.__version__, sys.version_info[:2])")
    first.run()
    assert first.output.strip() == f"{convlesson.__version__} (3, 12)"


def test_exception_shows_its_message(page, server, cell):
    """A cell that raises shows the exception type, its message and the reader's line."""
    page.goto(server.url + "first-cell/")
    first = cell(1)
    first.set_code("x = 1\ny = x / 0")
    first.run()
    output = first.output
    assert "ZeroDivisionError: division by zero" in output
    assert "y = x / 0" in output
    assert "runner.py" not in output


def test_no_request_leaves_loopback(page, server, cell, problems):
    """Loading the page and running Python requests nothing outside 127.0.0.1."""
    seen = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto(server.url + "first-cell/")
    cell(1).run()
    assert any(url.endswith("pyodide.asm.wasm") for url in seen)
    assert any("numpy" in url for url in seen)
    assert all(url.startswith("http://127.0.0.1:") for url in seen if url.startswith("http"))


def test_site_works_under_a_sub_path(page, site, cell):
    """Served under /convlesson/ (as on GitHub Pages), the cell still loads Python and runs."""
    prefixed = Server(site, prefix="/convlesson/")
    try:
        page.goto(prefixed.url + "first-cell/")
        first = cell(1)
        first.set_code("import numpy as np\nprint(np.ones((2, 2)).sum())")
        first.run()
        assert first.output.strip() == str(np.ones((2, 2)).sum())
    finally:
        prefixed.close()


PYC_MAGIC_312 = (3531).to_bytes(2, "little") + b"\r\n"  # the .pyc magic of every Python 3.12


def test_build_adds_precompiled_bytecode(site):
    """site/pyodide/bytecode holds 3.12 .pyc beside the official standard library, an overlay per
    step, and a font list for the matplotlib the site serves; the verified files stay as they are."""
    dist = site / "pyodide"
    with zipfile.ZipFile(dist / "python_stdlib.zip") as official, zipfile.ZipFile(dist / "bytecode" / "stdlib.zip") as ours:
        names = set(ours.namelist())
        assert set(official.namelist()) <= names
        assert all(ours.read(name) == official.read(name) for name in official.namelist())
        added = names - set(official.namelist())
        assert {"json/__init__.pyc", "asyncio/__init__.pyc", "ast.pyc", "traceback.pyc"} <= added
        for name in added:
            assert name.endswith(".pyc") and name[:-1] in names  # beside its .py, which stays
            header = ours.read(name)[:8]
            assert header[:4] == PYC_MAGIC_312 and header[4:8] == b"\x01\0\0\0", name  # unchecked hash
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    for step, package in (("numpy", "numpy"), ("matplotlib", "matplotlib")):
        with zipfile.ZipFile(dist / lock["packages"][package]["file_name"]) as wheel:
            sources = set(wheel.namelist())
        with zipfile.ZipFile(dist / "bytecode" / f"{step}.zip") as overlay:
            pycs = [n for n in overlay.namelist() if n.endswith(".pyc")]
            assert any(n.startswith(f"{package}/__pycache__/__init__.") for n in pycs)
            for name in pycs:
                folder, _, file = name.rpartition("/__pycache__/")
                assert file.endswith(".cpython-312.pyc") and overlay.read(name)[:4] == PYC_MAGIC_312
                if name.startswith(package + "/"):
                    assert f"{folder}/{file.split('.')[0]}.py" in sources, name
            if step == "matplotlib":
                fonts = json.loads(overlay.read("matplotlib/fontlist.json"))
                shipped = json.loads(wheel_member(dist / lock["packages"]["matplotlib"]["file_name"],
                                                  "matplotlib/fontlist.json"))
                version = re.search(r"__version__ = (\d+)", wheel_member(
                    dist / lock["packages"]["matplotlib"]["file_name"], "matplotlib/font_manager.py").decode())
                assert fonts["_version"] == int(version[1]) != shipped["_version"]
                assert {f["fname"].split("/")[0] for f in fonts["ttflist"]} == {"fonts"}


def wheel_member(wheel, name):
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name)


def test_cells_use_the_precompiled_bytecode(page, server, cell):
    """In the browser the standard library, numpy and matplotlib load from the build's .pyc,
    and a traceback through the standard library still quotes its source lines."""
    page.goto(server.url + "first-cell/")
    first = cell(1)
    first.set_code(
        "import json, os, zipfile, numpy, matplotlib.pyplot\n"
        "print('json/__init__.pyc' in zipfile.ZipFile('/lib/python312.zip').namelist(),\n"
        "      os.path.isfile(numpy.__cached__), os.path.isfile(matplotlib.pyplot.__cached__))\n"
        "json.loads('{')"
    )
    first.run()
    assert first.output.splitlines()[0] == "True True True"
    assert "return _default_decoder.decode(s)" in first.output
    assert "JSONDecodeError" in first.output
