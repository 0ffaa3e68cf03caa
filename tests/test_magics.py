"""IPython syntax in cells (mkdocs_cells/magics.py), run by the cells' runner as at build.

The browser runs the same two files in Pyodide (tests/test_notebook_site.py runs them there).
"""

from __future__ import annotations

import re

import pytest

from mkdocs_cells import magics, runner

PACKAGES = ["convlesson", "matplotlib", "numpy"]


@pytest.fixture
def run():
    """Run cells in one namespace; each call gives (outputs by kind, reply)."""
    cells = runner.install()
    cells.packages = PACKAGES
    count = iter(range(1, 1000))

    def run(code):
        outputs = []
        reply = cells.run(code, "test", next(count), lambda kind, payload: outputs.append((kind, payload)))
        text = {kind: "".join(p for k, p in outputs if k == kind) for kind in ("stdout", "stderr")}
        text["images"] = [p for k, p in outputs if k == "image"]
        return text, reply

    yield run
    cells.reset("test")


def test_plain_python_is_left_alone():
    code = 'x = (3\n% 2)\ns = """\n%not a magic\n!nor this\n"""\nprint(x % 2)  # 50%?\n'
    assert magics.transform(code) == code


def test_lines_stay_where_they_were():
    code = "a = 1\n%timeit -n 1 \\\n  a + 1\nb = 2\n%%time\n"
    python = magics.transform(code)
    assert python.count("\n") == code.count("\n")
    assert python.splitlines()[3] == "b = 2"


def test_matplotlib_inline_then_a_figure(run):
    out, reply = run('%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.title("Up")')
    assert "error" not in reply and out["stderr"] == ""
    assert [image["alt"] for image in out["images"]] == ["Figure: Up"]


@pytest.mark.parametrize("variant", ["notebook", "widget", "ipympl", ""])
def test_interactive_matplotlib_variants_show_inline_figures(run, variant):
    out, reply = run(f"%matplotlib {variant}\nimport matplotlib.pyplot as plt\nplt.plot([1])\nplt.show()")
    assert "error" not in reply and out["stderr"] == "" and len(out["images"]) == 1


def test_timeit_line_and_cell(run):
    run("import math\nx = 2.0")
    out, reply = run("%timeit -n 10 -r 3 math.sqrt(x)")
    assert re.fullmatch(r"\S+ [nµm]?s ± \S+ [nµm]?s per loop \(mean ± std\. dev\. of 3 runs, 10 loops each\)\n",
                        out["stdout"]), out
    out, reply = run("%%timeit -n 4 -r 2 y = 3\nmath.sqrt(x * y)")
    assert "of 2 runs, 4 loops each" in out["stdout"]
    out, reply = run("result = %timeit -o -q -n 2 -r 2 math.sqrt(x)\nresult.loops, len(result.timings)")
    assert out["stdout"] == "" and reply == {"result": "(2, 2)"}


def test_time_shows_times_and_the_value(run):
    out, reply = run("%time total = sum(range(10))\ntotal")
    assert re.fullmatch(r"CPU times: total: .+\nWall time: .+\n", out["stdout"]) and reply == {"result": "45"}
    out, reply = run("%%time\nn = 4\nn * total")
    assert "Wall time:" in out["stdout"] and reply == {"result": "180"}


def test_help(run):
    run('def area(width, height=1):\n    """The area of a rectangle."""\n    return width * height')
    for code in ("area?", "?area"):
        out, _ = run(code)
        assert "Signature: area(width, height=1)" in out["stdout"]
        assert "Docstring: The area of a rectangle." in out["stdout"]
    out, _ = run("area??")
    assert "return width * height" in out["stdout"]
    out, _ = run("missing?")
    assert out["stdout"] == "Object `missing` not found.\n"


@pytest.mark.parametrize("line", ["!pip install numpy scipy", "%pip install numpy scipy",
                                  "!python -m pip install -q numpy scipy"])
def test_pip_says_what_is_available(run, line):
    out, reply = run(line + "\nprint('next line runs')")
    assert "error" not in reply and out["stdout"] == "next line runs\n"
    assert out["stderr"].count("\n") == 1  # one line
    assert "pip does not run here" in out["stderr"]
    assert "convlesson, matplotlib, numpy" in out["stderr"]
    assert "numpy: already here" in out["stderr"] and "scipy: not available in this page" in out["stderr"]


@pytest.mark.parametrize("line, named", [("%load_ext autoreload", "%load_ext"), ("!ls -l", "!ls -l"),
                                         ("files = !ls", "!ls"), ("%who", "%who")])
def test_anything_else_is_one_line_and_the_cell_goes_on(run, line, named):
    out, reply = run(f"a = 1\n{line}\nprint(a + 1)")
    assert "error" not in reply and out["stdout"] == "2\n"
    assert out["stderr"].count("\n") == 1 and named in out["stderr"]


def test_an_unsupported_cell_magic_skips_its_cell_in_one_line(run):
    out, reply = run("%%bash\necho hi\nls")
    assert "error" not in reply and out["stdout"] == ""
    assert out["stderr"].count("\n") == 1 and "%%bash is not available" in out["stderr"]


def test_writefile_then_import(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    out, reply = run("%%writefile helper_for_test.py\nVALUE = 7\n")
    assert out["stdout"] == "Writing helper_for_test.py\n"
    out, reply = run("import helper_for_test\nhelper_for_test.VALUE")
    assert reply == {"result": "7"}


def test_errors_point_at_the_readers_line(run):
    out, reply = run("%matplotlib inline\nx = 1\n1 / 0")
    assert reply["error"]["type"] == "ZeroDivisionError" and reply["error"]["line"] == 3
    assert "1 / 0" in reply["error"]["traceback"]


def test_imports_include_what_magics_need():
    cells = runner.Runner()
    assert cells.imports("%matplotlib inline\nimport numpy as np") == ["matplotlib", "numpy"]
    assert cells.imports("def broken(:") == []
