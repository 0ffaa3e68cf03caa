"""Run a cell's code as a notebook does, the same way at build time and in the browser.

The site build imports this module in CPython to write each cell's output into the page;
the page's worker (runner.js, its browser twin) runs the same file in Pyodide and calls
`install`, which returns the `Runner` whose ``run`` it calls for each cell.

- Each page has one namespace, shared by its cells in page order.
- stdout and stderr go to ``emit`` as they are written, up to :data:`MAX_LINES` lines and
  :data:`MAX_CHARS` characters; past that only a count is kept, and a note says what was
  left out, so a flood of prints (or one enormous line) cannot drown the page.
- ANSI escape codes (terminal colours, cursor moves) are removed: a page would show them as
  junk such as ``\x1b[31m``.
- ``input()`` has no keyboard to read from (at build, or in the page's worker): it raises
  EOFError with a message that says to put the value in the code instead.
- The value of a last bare expression is shown (unless the line ends with ``;``).
- matplotlib figures are captured as PNG at ``plt.show()``, for figures left open and for a
  figure that is the last expression, then closed, so memory stays flat.
- Where IPython is missing (Pyodide), ``IPython.display`` is provided with ``display``,
  ``update_display``, ``clear_output`` and display handles, so notebook code that redraws a
  figure in place while it runs (training curves) works in the page as in Jupyter.
- IPython syntax that published notebooks use (``%matplotlib inline``, ``%timeit``, ``obj?``,
  ``!pip install``) is turned into Python first (`magics`), line for line; ``get_ipython()`` in a
  cell is the shell that runs it.
- Errors come back as data: the traceback trimmed to the reader's code, and the cell line
  that failed.
"""

import ast
import base64
import contextlib
import importlib.abc
import importlib.util
import io
import linecache
import os
import re
import sys
import traceback
import types
import uuid

try:
    from . import magics
except ImportError:  # in the page's worker, runner.py and magics.py are top-level modules
    import cells_magics as magics

MAX_LINES = 1000
MAX_CHARS = 100_000
BACKEND = "_cells_backend"
# How a figure's PNG is packed (the pixels are the same either way). The build's pages carry
# theirs, so they get PIL's default (zlib level 6); in the page's worker a PNG only goes to the
# page next door, and packing it at level 6 took a third of a plot's re-run.
PNG_OPTIONS = {"compress_level": 1} if sys.platform == "emscripten" else {}

# Terminal control sequences: CSI (colours: ESC [ 31 m), OSC (titles, links: ESC ] … BEL) and
# the two-character ones; and the start of one that a later write will finish.
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
ANSI_UNFINISHED = re.compile(r"\x1b(\[[0-?]*[ -/]*|\][^\x07\x1b]*)?$")

# A plot like the cells' (random data as an image, a line, text), for `Runner.warm_up`. The image
# is big enough for matplotlib to smooth it (under 3 screen pixels per image pixel): the code
# the cells' photos and feature maps run, slow the first time.
WARM_UP = """import numpy as np
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.imshow(np.random.default_rng(0).random((128, 128)), cmap="gray")
ax.plot([0, 1], label="warm-up")
ax.set_title("warm-up")
ax.legend()
plt.show()"""

NO_INPUT = (
    "input() cannot read anything here: a cell has no keyboard to type into. "
    "Put the value in the code instead, e.g. name = \"Ada\" in place of name = input()."
)


class Output:
    """Streams text and figures to ``emit``, capped at MAX_LINES lines / MAX_CHARS characters."""

    def __init__(self, emit):
        self.emit = emit
        self.lines = 0
        self.chars = 0
        self.full = None  # once capped: "lines" or "characters", the limit that was reached
        self.dropped = 0  # complete lines not shown
        self.dropped_chars = 0
        self.partial = False  # a started line not shown
        self.pending_clear = False  # clear_output(wait=True) was called
        self.unfinished = {}  # stream → the start of an escape code split across writes

    def write(self, name, text):
        self.clear_if_pending()
        text = self.without_ansi(name, text)
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
            if text:
                self.full = "characters" if self.chars >= MAX_CHARS else "lines"
        if text:
            self.dropped += text.count("\n")
            self.dropped_chars += len(text)
            self.partial = not text.endswith("\n")

    def without_ansi(self, name, text):
        """``text`` without escape codes; the start of one cut off at the end waits for the next write."""
        text = self.unfinished.pop(name, "") + text
        cut = ANSI_UNFINISHED.search(text)
        if cut:
            text, self.unfinished[name] = text[: cut.start()], text[cut.start():]
        return ANSI.sub("", text)

    def figure(self, fig, display_id=None, update=False):
        self.clear_if_pending()
        self.emit("image", {
            "png": base64.b64encode(tight_png(fig)).decode("ascii"),
            "alt": describe_figure(fig),
            "id": display_id,
            "update": update,
        })

    def text(self, text, display_id=None, update=False):
        """A displayed object's repr: shown apart from the printed text, replaceable by its id."""
        self.clear_if_pending()
        if self.full or self.lines >= MAX_LINES:
            self.full = self.full or "lines"
            self.dropped += text.count("\n") + 1
            self.dropped_chars += len(text)
            return
        self.emit("text", {"text": text, "id": display_id, "update": update})
        self.lines += text.count("\n") + 1
        self.chars += len(text)

    def clear(self, wait=False):
        """Clear the output now, or (``wait``) just before the next output arrives."""
        self.pending_clear = wait
        if not wait:
            self.emit("clear", None)
            self.lines = self.chars = self.dropped = self.dropped_chars = 0
            self.full, self.partial = None, False

    def clear_if_pending(self):
        if self.pending_clear:
            self.clear()

    def finish(self):
        """Say what the caps left out, in the words the page shows."""
        if self.full == "lines":
            count = self.dropped + self.partial
            self.emit("truncated", f"… {count:,} more line{'' if count == 1 else 's'} not shown "
                                   f"(output is capped at {MAX_LINES:,} lines)")
        elif self.full == "characters":
            self.emit("truncated", f"… {self.dropped_chars:,} more characters not shown "
                                   f"(output is capped at {MAX_CHARS:,} characters)")


def tight_png(fig, dpi=96):
    """``fig`` as PNG bytes, cropped to what it draws and a margin, like ``bbox_inches="tight"``.

    savefig lays a figure out twice for a tight crop (once to measure it, once to draw it), and
    measuring updates every axis's ticks again; here the figure is drawn once, and its pixels are
    cropped to those that differ from the background, with savefig's margin around them. A
    drawing that reaches the figure's edge may go on past it, and is left to savefig, as are
    figures not drawn by Agg or saved in colours set apart from the figure's.
    """
    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rc = matplotlib.rcParams
    if isinstance(fig.canvas, FigureCanvasAgg) and not rc["savefig.transparent"] and (
            rc["savefig.facecolor"] == rc["savefig.edgecolor"] == "auto"):
        shown_dpi, fig.dpi = fig.dpi, dpi
        try:
            fig.canvas.draw()
        finally:
            fig.dpi = shown_dpi
        pixels = np.asarray(fig.canvas.buffer_rgba())
        drawn = drawn_box(pixels)
        if drawn:
            return png_bytes(cropped(pixels, drawn, round(rc["savefig.pad_inches"] * dpi)), dpi)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pil_kwargs=dict(PNG_OPTIONS))
    return buffer.getvalue()


def drawn_box(pixels):
    """(top, bottom, left, right) around the (rows, columns, 4) ``pixels`` that differ from the
    corner's colour, the background; None if nothing is drawn or the drawing touches an edge."""
    import numpy as np

    colours = pixels.view(np.uint32)[..., 0]  # one 32-bit word per RGBA pixel
    drawn = colours != colours[0, 0]
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    if rows.size == 0 or min(rows[0], columns[0]) == 0 or (
            rows[-1] == drawn.shape[0] - 1 or columns[-1] == drawn.shape[1] - 1):
        return None
    return rows[0], rows[-1] + 1, columns[0], columns[-1] + 1


def cropped(pixels, box, margin):
    """``pixels`` inside ``box`` (top, bottom, left, right) and ``margin`` more on each side,
    where the background colour goes on past the edges."""
    import numpy as np

    top, bottom, left, right = box[0] - margin, box[1] + margin, box[2] - margin, box[3] + margin
    out = np.empty((bottom - top, right - left, 4), np.uint8)
    out[:] = pixels[0, 0]
    rows = slice(max(top, 0), min(bottom, pixels.shape[0]))
    columns = slice(max(left, 0), min(right, pixels.shape[1]))
    out[rows.start - top:rows.stop - top, columns.start - left:columns.stop - left] = pixels[rows, columns]
    return out


def png_bytes(rgba, dpi):
    """An RGBA array as PNG bytes, packed with PNG_OPTIONS."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="png", dpi=(dpi, dpi), **PNG_OPTIONS)
    return buffer.getvalue()


def describe_figure(fig):
    """Alt text for a figure: its titles, or what each plot shows from its axis labels."""
    parts = [fig.get_suptitle()]
    for ax in fig.axes:
        labels = [ax.get_ylabel(), ax.get_xlabel()]
        parts.append(ax.get_title() or (" against ".join(labels) if all(labels) else ""))
    parts = [part.replace("\n", " ") for part in parts if part]
    return "Figure: " + ("; ".join(parts) if parts else f"{len(fig.axes)} plot(s)")


class Stream(io.TextIOBase):
    """sys.stdout / sys.stderr for a running cell."""

    def __init__(self, name, output):
        self.name, self.output = name, output

    def write(self, text):
        self.output.write(self.name, text)
        return len(text)

    def writable(self):
        return True


class NoKeyboard(io.TextIOBase):
    """sys.stdin for a running cell: nothing to read, and a message that says what to do."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise EOFError(NO_INPUT)

    readline = read


class Backend(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """A matplotlib backend (Agg) whose ``show()`` hands every open figure to the runner's cell.

    Built when matplotlib first imports it, so matplotlib is loaded only by cells that use it.
    One per interpreter (matplotlib keeps the backend module it loaded): `install` points it at
    the newest runner.
    """

    def __init__(self, runner):
        self.runner = runner

    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == BACKEND else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        module.FigureCanvas = FigureCanvasAgg
        module.show = lambda *args, **kwargs: self.runner.capture_figures()


@contextlib.contextmanager
def backend_selected():
    """Cells draw with the cell backend, whether matplotlib is loaded already or a cell loads it.

    The environment variable is set only while a cell runs: at build, the notebook kernels that
    mkdocs-jupyter starts inherit the environment and must keep their own backend.
    """
    saved = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://" + BACKEND
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("module://" + BACKEND)  # a no-op when it is already
    try:
        yield
    finally:
        if saved is None:
            del os.environ["MPLBACKEND"]
        else:
            os.environ["MPLBACKEND"] = saved


def is_figure(value):
    figure = sys.modules.get("matplotlib.figure")
    return figure is not None and isinstance(value, figure.Figure)


class Runner:
    """Runs cells: one namespace per page (by name), the output of the cell running now."""

    def __init__(self):
        self.namespaces = {}
        self.current = None  # the running cell's Output
        self.display_module = display_module(self)
        self.packages = None  # the packages the page offers, named by `!pip install` (magics.Shell)

    def run(self, code, namespace, cell, emit):
        """Run ``code`` as cell number ``cell`` of the page whose namespace is ``namespace``.

        ``emit(kind, payload)`` receives ``("stdout" | "stderr", text)``,
        ``("image", {png, alt, id, update})``, ``("text", {text, id, update})`` (an object shown
        with ``display``), ``("clear", None)`` and ``("truncated", note)``. Returns
        ``{"result": repr-or-None}`` or ``{"error": {type, message, traceback, line}}``.
        """
        globals_ = self.namespaces.setdefault(namespace, {"__name__": "__main__"})
        shell = magics.Shell(lambda: globals_, f"<cell {cell}>", self.packages)
        globals_["get_ipython"] = lambda: shell
        output = self.current = Output(emit)
        saved = sys.stdout, sys.stderr, sys.stdin
        sys.stdout, sys.stderr = Stream("stdout", output), Stream("stderr", output)
        sys.stdin = NoKeyboard()  # input() then prints its prompt to the cell and reads here
        try:
            with backend_selected(), self.display_selected(code):
                value = execute(code, globals_, f"<cell {cell}>")
            if is_figure(value):
                self.show_figure(value)
                value = None
            self.capture_figures()
            return {"result": None if value is None else repr(value)}
        except BaseException as error:  # the reader's code may raise anything, even SystemExit
            self.capture_figures()
            return {"error": describe(error, f"<cell {cell}>")}
        finally:
            sys.stdout, sys.stderr, sys.stdin = saved
            output.finish()
            self.current = None

    def warm_up(self):
        """Run a throwaway plot as a cell, its output dropped, once pyplot is loaded, so that the
        reader's first figure does not pay for what Python does only the first time (the
        backend, the fonts, the PNG encoder, numpy.random, which numpy imports when first used):
        in the page, as long again as the figure itself."""
        if "matplotlib.pyplot" in sys.modules:
            self.run(WARM_UP, "cells:warm-up", "warm-up", lambda kind, payload: None)
            self.reset("cells:warm-up")

    def imports(self, code):
        """The top-level modules ``code`` needs, IPython syntax included (the worker loads them first)."""
        return magics.imports(magics.transform(code))

    def fork(self, namespace, name):
        """A new namespace ``name`` holding a copy of ``namespace``'s variables (a dict)."""
        self.namespaces[name] = dict(namespace)

    def namespace(self, name):
        """The variables of namespace ``name`` (empty if nothing ran there)."""
        return self.namespaces.setdefault(name, {"__name__": "__main__"})

    def reset(self, namespace):
        """Forget a page's namespace (the reader restarts from the top)."""
        self.namespaces.pop(namespace, None)

    def capture_figures(self):
        """Send every open figure to the running cell's output, then close them."""
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None or self.current is None:
            return
        for number in plt.get_fignums():
            self.current.figure(plt.figure(number))
        plt.close("all")

    def show_figure(self, fig, display_id=None, update=False):
        """Show ``fig`` now, and close it if pyplot holds it, so the end of the cell does not show it twice."""
        self.current.figure(fig, display_id, update)
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close(fig)

    def display(self, *objs, display_id=None, update=False, **kwargs):
        """Show each object in the running cell's output: a figure as an image, anything else as its repr.

        ``display_id=True`` makes a new id; with an id, the returned `DisplayHandle` (or
        ``update=True``) replaces what was shown under that id instead of adding to the output.
        """
        if display_id is True:
            display_id = uuid.uuid4().hex
        if self.current is not None:
            for obj in objs:
                if is_figure(obj):
                    self.show_figure(obj, display_id, update)
                else:
                    self.current.text(repr(obj), display_id, update)
        return DisplayHandle(self, display_id) if display_id is not None else None

    @contextlib.contextmanager
    def display_selected(self, code):
        """While a cell that uses IPython runs, ``IPython.display`` is the runner's.

        So a cell shows the same at build (CPython, where the real IPython, with no notebook
        shell around it, would print reprs) as in the page. IPython itself is imported first, so
        its own modules keep the real one.
        """
        if "IPython" not in code:
            yield
            return
        importlib.import_module("IPython")
        saved = sys.modules.get("IPython.display")
        sys.modules["IPython.display"] = self.display_module
        try:
            yield
        finally:
            sys.modules["IPython.display"] = saved


# IPython.display, for pages ------------------------------------------------------------------


class DisplayHandle:
    """What ``display(..., display_id=...)`` returns: show more under the id, or replace it."""

    def __init__(self, runner, display_id=None):
        self.runner = runner
        self.display_id = uuid.uuid4().hex if display_id is None else display_id

    def display(self, obj, **kwargs):
        self.runner.display(obj, display_id=self.display_id, **kwargs)

    def update(self, obj, **kwargs):
        self.runner.display(obj, display_id=self.display_id, update=True, **kwargs)

    def __repr__(self):
        return f"<DisplayHandle display_id={self.display_id}>"


def display_module(runner):
    """The module cells get for ``IPython.display``: display, update_display, clear_output,
    DisplayHandle, showing in ``runner``'s running cell."""

    def display(*objs, display_id=None, update=False, **kwargs):
        return runner.display(*objs, display_id=display_id, update=update, **kwargs)

    def update_display(obj, *, display_id, **kwargs):
        """Replace what is shown under ``display_id`` with ``obj``."""
        runner.display(obj, display_id=display_id, update=True)

    def clear_output(wait=False):
        """Clear the cell's output; with ``wait=True``, only when the next output arrives (no flicker)."""
        if runner.current is not None:
            runner.current.clear(wait)

    def handle(display_id=None):
        return DisplayHandle(runner, display_id)

    display.__doc__ = Runner.display.__doc__
    module = types.ModuleType("IPython.display", display.__doc__)
    for name, value in (("display", display), ("update_display", update_display),
                        ("clear_output", clear_output), ("DisplayHandle", handle)):
        setattr(module, name, value)
    return module


def install():
    """Make this interpreter run cells; the `Runner` to run them with.

    Installs the cell backend for matplotlib (once per interpreter; a later call points it at
    the new runner) and, where IPython is not installed (Pyodide), an ``IPython`` package with
    just the runner's display module, so notebook code that redraws a figure in place while it
    runs (training curves) works in the page as in Jupyter.
    """
    runner = Runner()
    backend = next((finder for finder in sys.meta_path if type(finder).__name__ == "Backend"
                    and hasattr(finder, "runner")), None)
    if backend is None:
        sys.meta_path.append(Backend(runner))
    else:
        backend.runner = runner
    stub = getattr(sys.modules.get("IPython"), "cells_stub", False)
    if stub or importlib.util.find_spec("IPython") is None:
        ipython = types.ModuleType("IPython", "The part of IPython that notebook cells use to show things.")
        ipython.__path__ = []
        ipython.cells_stub = True
        ipython.get_ipython = lambda: None  # there is no IPython shell (matplotlib asks)
        ipython.display = runner.display_module
        sys.modules.update({"IPython": ipython, "IPython.display": runner.display_module})
    return runner


def execute(code, globals_, filename):

    # Tracebacks quote the reader's lines from here, also from functions defined in earlier cells.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    tree = ast.parse(magics.transform(code), filename)
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
    end = len(frames)
    while end > start and frames[end - 1].filename == __file__:  # NoKeyboard: the reader called input()
        end -= 1
    shown = traceback.StackSummary.from_list(frames[start:end])
    text = ANSI.sub("", "".join(
        (["Traceback (most recent call last):\n", *shown.format()] if shown else [])
        + traceback.format_exception_only(type(error), error)
    ))
    lines = [f.lineno for f in shown if f.filename == filename]
    if isinstance(error, SyntaxError) and error.filename == filename:
        lines.append(error.lineno)
    return {
        "type": type(error).__name__,
        "message": ANSI.sub("", str(error)),
        "traceback": text,
        "line": lines[-1] if lines else None,
    }
