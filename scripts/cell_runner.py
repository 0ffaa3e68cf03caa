"""Run a cell's code as a notebook does, the same way at build time and in the browser.

The site build imports this module in CPython to write each cell's output into the page;
the page's worker runs the same file in Pyodide (the build copies it to
``assets/convlesson/runner.py``), and its last line hands ``run`` to the worker.

- Each page has one namespace, shared by its cells in page order.
- stdout and stderr go to ``emit`` as they are written, up to :data:`MAX_LINES` lines; past
  that only a count is kept, so a flood of prints cannot drown the page.
- The value of a last bare expression is shown (unless the line ends with ``;``).
- matplotlib figures are captured as PNG at ``plt.show()`` and for figures left open, then
  closed, so memory stays flat.
- Errors come back as data: the traceback trimmed to the reader's code, and the cell line
  that failed.
"""

import ast
import base64
import importlib.abc
import importlib.util
import io
import linecache
import os
import sys
import traceback

MAX_LINES = 1000
MAX_CHARS = 100_000
BACKEND = "_convlesson_cell_backend"

namespaces = {}


class Output:
    """Streams text and figures to ``emit``, capped at MAX_LINES lines / MAX_CHARS characters."""

    def __init__(self, emit):
        self.emit = emit
        self.lines = 0
        self.chars = 0
        self.full = False
        self.dropped = 0  # complete lines not shown
        self.partial = False  # a started line not shown

    def write(self, name, text):
        if not self.full:
            kept = text[: MAX_CHARS - self.chars]
            room = MAX_LINES - self.lines
            if kept.count("\n") >= room:
                kept = "".join(kept.splitlines(True)[:room])
            if kept:
                self.emit(name, kept)
                self.lines += kept.count("\n")
                self.chars += len(kept)
            text = text[len(kept):]
            self.full = bool(text)
        if text:
            self.dropped += text.count("\n")
            self.partial = not text.endswith("\n")

    def figure(self, fig):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        titles = [t for t in [fig.get_suptitle()]
                  + [ax.get_title() for ax in fig.axes] if t]
        self.emit("image", {
            "png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "alt": "Figure: " + ("; ".join(titles) if titles else f"{len(fig.axes)} plot(s)"),
        })

    def finish(self):
        if self.full:
            self.emit("truncated", self.dropped + self.partial)


class Stream(io.TextIOBase):
    """sys.stdout / sys.stderr for a running cell."""

    def __init__(self, name, output):
        self.name, self.output = name, output

    def write(self, text):
        self.output.write(self.name, text)
        return len(text)

    def writable(self):
        return True


class Backend(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """A matplotlib backend (Agg) whose ``show()`` hands every open figure to ``capture``.

    Built when matplotlib first imports it, so matplotlib is loaded only by cells that use it.
    """

    def __init__(self, capture):
        self.capture = capture

    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == BACKEND else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        module.FigureCanvas = FigureCanvasAgg
        module.show = lambda *args, **kwargs: self.capture()


def install_backend(capture):
    sys.meta_path.append(Backend(capture))
    os.environ["MPLBACKEND"] = "module://" + BACKEND
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("module://" + BACKEND)


current = None


def capture_figures():
    """Send every open figure to the running cell's output, then close them."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None or current is None:
        return
    for number in plt.get_fignums():
        current.figure(plt.figure(number))
    plt.close("all")


install_backend(capture_figures)


def run(code, namespace, cell, emit):
    """Run ``code`` as cell number ``cell`` of the page whose namespace is ``namespace``.

    ``emit(kind, payload)`` receives ``("stdout" | "stderr", text)``, ``("image", {png, alt})``
    and ``("truncated", lines_dropped)``. Returns ``{"result": repr-or-None}`` or
    ``{"error": {type, message, traceback, line}}``.
    """
    global current
    globals_ = namespaces.setdefault(namespace, {"__name__": "__main__"})
    output = current = Output(emit)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Stream("stdout", output), Stream("stderr", output)
    try:
        value = execute(code, globals_, f"<cell {cell}>")
        capture_figures()
        return {"result": None if value is None else repr(value)}
    except BaseException as error:  # the reader's code may raise anything, even SystemExit
        capture_figures()
        return {"error": describe(error, f"<cell {cell}>")}
    finally:
        sys.stdout, sys.stderr = saved
        output.finish()
        current = None


def reset(namespace):
    """Forget a page's namespace (the reader restarts from the top)."""
    namespaces.pop(namespace, None)


def execute(code, globals_, filename):
    # Tracebacks quote the reader's lines from here, also from functions defined in earlier cells.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    tree = ast.parse(code, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, "exec"), globals_)
    if last is not None:
        return eval(compile(last, filename, "eval"), globals_)


def describe(error, filename):
    """The traceback from the reader's first line on, and the line of this cell that failed."""
    frames = traceback.extract_tb(error.__traceback__)
    start = next((i for i, f in enumerate(frames) if f.filename.startswith("<cell ")), len(frames))
    shown = traceback.StackSummary.from_list(frames[start:])
    text = "".join(
        (["Traceback (most recent call last):\n", *shown.format()] if shown else [])
        + traceback.format_exception_only(type(error), error)
    )
    lines = [f.lineno for f in shown if f.filename == filename]
    if isinstance(error, SyntaxError) and error.filename == filename:
        lines.append(error.lineno)
    return {
        "type": type(error).__name__,
        "message": str(error),
        "traceback": text,
        "line": lines[-1] if lines else None,
    }


run
