"""The completion index's introspection (completions.py), run here in CPython on the build's
modules: the entries completion and hover show."""

import inspect
import keyword

import numpy as np

import convlesson
from mkdocs_cells import completions


def test_functions_have_their_signature_and_summary():
    made = completions.index({"cl": "convlesson"})
    entry = made["modules"]["convlesson"]["conv2d"]
    assert entry["type"] == "function"
    assert entry["sig"] == str(inspect.signature(convlesson.conv2d))
    assert entry["doc"] == inspect.getdoc(convlesson.conv2d).splitlines()[0]
    assert made["aliases"] == {"cl": "convlesson"}


def test_submodules_are_indexed_under_their_module():
    made = completions.index({"cl": "convlesson"})
    assert made["modules"]["convlesson"]["nn"]["type"] == "namespace"
    assert made["modules"]["convlesson.nn"]["Conv2d"]["type"] == "class"


def test_keywords_and_builtins():
    made = completions.index({})
    assert set(keyword.kwlist) <= set(made["keywords"])
    assert "match" in made["keywords"]  # a soft keyword
    assert made["builtins"]["print"]["sig"] == str(inspect.signature(print))
    assert made["builtins"]["ValueError"]["type"] == "class"


class Ufunc:
    """add(x1, x2, /, out=None, *, where=True)

    Add arguments element-wise.
    """

    def __call__(self, *args, **kwargs):
        pass


def test_a_function_without_a_signature_takes_its_docstrings():
    """numpy 2.0's ufuncs (the page's numpy) say only ``(*args, **kwargs)``: the index takes
    the signature their docstring starts with, and the summary after it."""
    assert str(inspect.signature(Ufunc())) == "(*args, **kwargs)"
    entry = completions.describe("add", Ufunc())
    assert entry == {"type": "function", "sig": "(x1, x2, /, out=None, *, where=True)", "doc": "Add arguments element-wise."}


def test_signatures_name_no_memory_address():
    """numpy's ``errstate(*, call=<... object at 0x...>)``: an address differs between builds,
    which would change the index, and the site's version, for nothing."""
    marker = object()

    def seterr(*, call=marker, divide=None):
        pass

    assert " at 0x" in str(inspect.signature(seterr))
    sig = completions.describe("seterr", seterr)["sig"]
    assert sig == "(*, call=<object object>, divide=None)"
    assert completions.describe("marker", marker)["sig"] == " = <object object>"


def test_summary_skips_the_signature_paragraph_and_cuts_long_lines():
    assert completions.summary("f(x)\n\nDo it.\nMore.", "f") == "Do it."
    long = completions.summary("x" * 500, "f")
    assert len(long) == completions.DOC_CHARS and long.endswith("…")
    assert completions.summary(None, "f") == ""


def test_constants_show_their_value():
    assert completions.describe("pi", np.pi) == {"type": "constant", "sig": f" = {np.pi!r}"}


def test_macro_attributes_are_not_indexed_as_modules(tmp_path):
    class Runtime:  # Pyodide from the CDN: the build's own modules are indexed
        dist = None

    made, how = completions.build({"cl": "convlesson", "conv": "convlesson:conv2d"}, Runtime(), tmp_path)
    assert set(made["aliases"]) == {"cl"}
    assert "the build's modules" in how
