"""Run a cell's code as a notebook does.

The page's worker runs this file in Pyodide (the build copies it to
``assets/convlesson/runner.py``); its last line hands ``run`` to the worker.

Each page has its own namespace. The value of a last bare expression is shown, and errors
come back as data: the traceback trimmed to the reader's code, with the failing line.
"""

import ast
import linecache
import sys
import traceback

CELL = "<cell>"
namespaces = {}


class Stream:
    """A text stream that hands each write to the page as it happens."""

    def __init__(self, name, emit):
        self.name, self.emit = name, emit

    def write(self, text):
        if text:
            self.emit(self.name, text)
        return len(text)

    def flush(self):
        pass


def run(code, namespace, emit):
    """Run ``code`` in the namespace called ``namespace``; return ``{"result"}`` or ``{"error"}``."""
    globals_ = namespaces.setdefault(namespace, {"__name__": "__main__"})
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Stream("stdout", emit), Stream("stderr", emit)
    try:
        value = execute(code, globals_)
        return {"result": None if value is None else repr(value)}
    except BaseException as error:
        return {"error": describe(error)}
    finally:
        sys.stdout, sys.stderr = saved


def execute(code, globals_):
    # Tracebacks quote the reader's lines from here.
    linecache.cache[CELL] = (len(code), None, code.splitlines(True), CELL)
    tree = ast.parse(code, CELL)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, CELL, "exec"), globals_)
    if last is not None:
        return eval(compile(ast.Expression(last.value), CELL, "eval"), globals_)


def describe(error):
    """The traceback from the reader's first line on, and the cell line that failed."""
    frames = traceback.extract_tb(error.__traceback__)
    start = next((i for i, f in enumerate(frames) if f.filename == CELL), len(frames))
    shown = traceback.StackSummary.from_list(frames[start:])
    text = "".join(
        (["Traceback (most recent call last):\n", *shown.format()] if shown else [])
        + traceback.format_exception_only(error)
    )
    cell_lines = [f.lineno for f in shown if f.filename == CELL]
    if isinstance(error, SyntaxError) and error.filename == CELL:
        cell_lines.append(error.lineno)
    return {
        "type": type(error).__name__,
        "message": str(error),
        "traceback": text,
        "line": cell_lines[-1] if cell_lines else None,
    }


run
