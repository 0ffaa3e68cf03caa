"""IPython syntax in cells: published notebooks' magics, shell escapes and ``?`` help, as plain Python.

`transform` rewrites a cell's code the way IPython's input transformers do, into calls on a
small shell (`Shell`, what ``get_ipython()`` returns in a cell), and keeps every line where it
was, so tracebacks and the editor's error mark point at the reader's lines. No IPython is needed:
the page's worker (Pyodide) runs this same file, beside runner.py, which uses it at build too.

- ``%matplotlib`` (inline, notebook, widget, …): figures are shown inline, as the page always does;
- ``%time``/``%%time``, ``%timeit``/``%%timeit``: time code, printing what IPython prints;
- ``obj?``, ``?obj``, ``obj??`` (and ``%pinfo``/``%pinfo2``): the object's signature and
  docstring (and source);
- ``!pip install …``, ``%pip``, ``%conda``: nothing is installed; one line says what is
  available instead;
- ``%%writefile``: writes the file (notebooks write a module, then import it);
- any other magic or shell command: one line says it is not available, and the rest of the
  cell runs.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import math
import re
import shlex
import sys
import time
import timeit

# A magic or shell escape starting a statement; or one assigned to names (``x = !ls``).
ESCAPE = re.compile(r"^(?P<indent>[ \t]*)(?P<escape>%%|%|!!|!)(?P<rest>.*)$", re.S)
ASSIGN = re.compile(r"^(?P<indent>[ \t]*)(?P<names>[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)[ \t]*=[ \t]*"
                    r"(?P<escape>%|!)(?P<rest>[^=].*)$", re.S)
HELP = re.compile(r"^(?P<indent>[ \t]*)(?P<before>\?\??)?(?P<name>[A-Za-z_%][\w.]*)(?P<after>\?\??)?[ \t]*$")
PIP = re.compile(r"^(?:(?:python3?|py)\s+-m\s+)?(?P<tool>pip3?|conda|mamba|micropip)\b\s*(?P<args>.*)$", re.S)
# `%matplotlib` settings that mean "figures in the notebook": the page shows them inline.
MATPLOTLIB_INLINE = {"", "inline", "notebook", "widget", "ipympl", "nbagg", "auto", "agg"}
# What a magic needs imported first (the worker loads these packages before the cell runs).
NEEDS = {"matplotlib": ["matplotlib"]}
SUPPORTED = ("%matplotlib", "%time", "%%time", "%timeit", "%%timeit", "%pip", "%%writefile", "?", "??")


def transform(code: str) -> str:
    """``code`` with IPython syntax turned into Python calling ``get_ipython()``; the same line count."""
    if not any(mark in code for mark in "%!?"):
        return code
    lines = code.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        header = lines[first].strip()[2:]
        name, _, line = header.partition(" ")
        body = "".join(lines[first + 1:])
        call = f"get_ipython().run_cell_magic({name!r}, {line.strip()!r}, {body!r})"
        # The call on the header's line, the body's lines kept as blank lines for the line count.
        return "".join(lines[:first]) + call + "\n" * (len(lines) - first)
    out, scanner, i = [], Scanner(), 0
    while i < len(lines):
        line = lines[i]
        if scanner.at_statement_start():
            # A magic line may go on over lines ending with a backslash, as in IPython.
            end = i
            while ESCAPE.match(lines[i]) and lines[end].rstrip("\r\n").endswith("\\") and end + 1 < len(lines):
                end += 1
            joined = "".join(part.rstrip("\r\n")[:-1] if k < end else part.rstrip("\r\n")
                             for k, part in enumerate(lines[i:end + 1], start=i))
            python = _escaped(joined)
            if python is not None:
                newline = "\n" if lines[end].endswith("\n") else ""
                out.append(python + "\n" * (end - i) + newline)
                i = end + 1
                continue
        out.append(line)
        scanner.feed(line)
        i += 1
    return "".join(out)


def _escaped(line: str) -> str | None:
    """The Python for one line of IPython syntax, or None if it is plain Python."""
    text = line.rstrip("\r\n")
    found = ASSIGN.match(text)
    if found:
        call = _call(found["escape"], found["rest"], value=True)
        return f"{found['indent']}{found['names']} = {call}"
    found = ESCAPE.match(text)
    if found:
        return found["indent"] + _call(found["escape"], found["rest"])
    found = HELP.match(text)
    if found and (found["before"] or found["after"]) and not found["name"].startswith("%"):
        detail = len(found["before"] or found["after"]) == 2
        return f"{found['indent']}get_ipython().run_line_magic({'pinfo2' if detail else 'pinfo'!r}, {found['name']!r})"
    return None


def _call(escape: str, rest: str, value: bool = False) -> str:
    if escape == "%%":
        return f"get_ipython().cell_magic_misplaced({rest.strip()!r})"
    if escape == "%":
        name, _, line = rest.strip().partition(" ")
        return f"get_ipython().run_line_magic({name!r}, {line.strip()!r})"
    method = "getoutput" if escape == "!!" or value else "system"
    return f"get_ipython().{method}({rest.strip()!r})"


class Scanner:
    """Follows Python's strings, brackets and backslash continuations line by line, to tell
    whether the next line starts a statement (only there can IPython syntax begin)."""

    def __init__(self):
        self.quote = None  # the open string's quote (''' or " …), if a line ended inside one
        self.depth = 0
        self.continued = False

    def at_statement_start(self) -> bool:
        return self.quote is None and self.depth == 0 and not self.continued

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        self.continued = False
        while i < n:
            if self.quote:
                if line[i] == "\\":
                    i += 2
                    continue
                if line.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = None
                    continue
                i += 1
                continue
            char = line[i]
            if char == "#":
                break
            if char in "\"'":
                self.quote = line[i:i + 3] if line[i:i + 3] == char * 3 else char
                i += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char == "\\" and line[i + 1:].strip() == "":
                self.continued = True
            i += 1
        if self.quote in ("'", '"'):
            self.quote = None  # a one-line string cannot go on to the next line


def imports(python: str) -> list[str]:
    """The top-level modules that ``python`` (transformed) imports, and those its magics need."""
    found = []
    for name, needed in NEEDS.items():
        if f"run_line_magic({name!r}" in python:
            found += needed
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module.split(".")[0])
    return list(dict.fromkeys(found))


class Shell:
    """What ``get_ipython()`` returns in a cell: the magics above, run in the cell's namespace.

    ``namespace()`` gives the running cell's globals, ``compile_cell(code)`` a code object of
    the running cell (so tracebacks quote its lines); ``packages`` are the packages the page
    offers (said instead of installing any), None if unknown.
    """

    def __init__(self, namespace, filename, packages=None):
        self.namespace, self.filename, self.packages = namespace, filename, packages

    # -- line and cell magics ---------------------------------------------------------------

    def run_line_magic(self, name, line):
        if name == "matplotlib":
            return self.matplotlib(line)
        if name in ("time", "timeit"):
            if not line.strip():
                return self.say(f"%{name} needs code after it, e.g. %{name} sum(range(1000))")
            options, code = timing_options(line)
            return getattr(self, name)(code, options)
        if name in ("pinfo", "pinfo2"):
            return self.help(line.strip(), detail=name == "pinfo2")
        if name in ("pip", "conda", "mamba"):
            return self.install(f"{name} {line}")
        if name in ("config",) and line.strip().startswith("InlineBackend."):
            return None  # figure formats: the page's figures are PNG already
        return self.unsupported(f"%{name}")

    def run_cell_magic(self, name, line, cell):
        if name in ("time", "timeit"):
            options, setup = timing_options(line)
            return getattr(self, name)(cell, {**options, "setup": setup or "pass"})
        if name == "writefile":
            return self.writefile(line, cell)
        return self.unsupported(f"%%{name}", "the cell's code was not run")

    def cell_magic_misplaced(self, rest):
        name = rest.split(" ")[0]
        self.say(f"%%{name} works only on the first line of a cell; the line was skipped.")

    def system(self, command):
        found = PIP.match(command.strip())
        if found:
            return self.install(f"{found['tool']} {found['args']}")
        self.say(f"!{command}: shell commands do not run here (there is no shell in the page); the line was skipped.")

    def getoutput(self, command):
        self.system(command)
        return []

    # -- the magics -------------------------------------------------------------------------

    def matplotlib(self, line):
        backend = line.strip().split(" ")[0] if line.strip() else ""
        if backend.lower() not in MATPLOTLIB_INLINE and not backend.startswith("-"):
            self.say(f"%matplotlib {backend}: this page shows figures inline (there are no windows here).")
        importlib.import_module("matplotlib.pyplot")  # as IPython does: pyplot ready for the next lines

    def time(self, code, options):
        """Run ``code`` once, print CPU and wall times; the value of a last expression is returned."""
        tree = ast.parse(code, self.filename)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        namespace = self.namespace()
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            exec(compile(tree, self.filename, "exec"), namespace)
            value = eval(compile(last, self.filename, "eval"), namespace) if last else None
        finally:
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"CPU times: total: {format_time(cpu)}\nWall time: {format_time(wall)}")
        return value

    def timeit(self, code, opts):
        """Time ``code`` as IPython's %timeit: -r runs (7) of -n loops (as many as fill 0.2 s);
        ``opts`` also hold -q (print nothing), -o (return the result), and the setup code."""
        namespace = self.namespace()
        timer = timeit.Timer(code.strip() or "pass", opts.get("setup", "pass"), globals=namespace)
        repeat = int(opts.get("-r", 7))
        number = int(opts["-n"]) if "-n" in opts else 0
        if not number:
            number, _ = timer.autorange()  # 1, 2, 5, 10, 20, …: until a run takes at least 0.2 s
        times = [t / number for t in timer.repeat(repeat, number)]
        result = TimeitResult(number, repeat, times)
        if "-q" not in opts:
            print(result)
        return result if "-o" in opts else None

    def writefile(self, line, cell):
        words = shlex.split(line)
        append = "-a" in words or "--append" in words
        names = [w for w in words if not w.startswith("-")]
        if not names:
            return self.say("%%writefile needs a file name, e.g. %%writefile helpers.py")
        with open(names[0], "a" if append else "w", encoding="utf-8") as file:
            file.write(cell)
        print(f"{'Appending to' if append else 'Writing'} {names[0]}")

    def help(self, name, detail=False):
        """The object's type, signature and docstring (``detail``: its source too), as ``obj?`` shows."""
        try:
            obj = eval(name, self.namespace())
        except Exception:
            return print(f"Object `{name}` not found.")
        lines = [f"Type:      {type(obj).__name__}"]
        try:
            lines.append(f"Signature: {name.split('.')[-1]}{inspect.signature(obj)}")
        except (TypeError, ValueError):
            pass
        source = None
        if detail:
            try:
                source = inspect.getsource(obj)
            except (OSError, TypeError):
                pass
        if source:
            lines.append("Source:\n" + source.rstrip())
        else:
            doc = inspect.getdoc(obj)
            lines.append("Docstring: " + (doc if doc else "<no docstring>"))
        print("\n".join(lines))

    def install(self, command):
        words = [w for w in command.split()[2:] if not w.startswith("-")] if " install" in command else []
        tool = command.split()[0]
        if self.packages is None:
            offered = "Python's standard library and the packages the site provides"
        else:
            offered = f"Python's standard library and {', '.join(self.packages)}"
        wanted = [re.split(r"[<>=!~\[; ]", w)[0] for w in words]
        known = [w for w in wanted if self.packages and w.lower().replace("_", "-") in self.packages]
        missing = [w for w in wanted if w not in known]
        verdict = ""
        if known:
            verdict += f" {', '.join(known)}: already here, import {'it' if len(known) == 1 else 'them'}."
        if missing and self.packages is not None:
            verdict += f" {', '.join(missing)}: not available in this page."
        self.say(f"{tool} does not run here: nothing is installed in the page. Available: {offered}.{verdict}")

    def unsupported(self, magic, effect="the line was skipped"):
        self.say(f"{magic} is not available in this page ({effect}); supported: {', '.join(SUPPORTED)}.")

    @staticmethod
    def say(text):
        print(text, file=sys.stderr)


def timing_options(line):
    """The leading options of a %time/%timeit line (-n N, -r N, -q, -o) and the code after them."""
    options = {}
    found = re.match(r"[ \t]*((?:-[nr][ \t]*\d+[ \t]*|-[qo]+[ \t]+)*)(.*)$", line, re.S)
    for flag, number, letters in re.findall(r"-([nr])[ \t]*(\d+)|-([qo]+)", found[1]):
        if flag:
            options["-" + flag] = number
        for letter in letters:
            options["-" + letter] = ""
    return options, found[2].strip()


class TimeitResult:
    """What ``%timeit -o`` returns, printed as IPython prints it."""

    def __init__(self, loops, repeat, timings):
        self.loops, self.repeat, self.timings = loops, repeat, timings
        self.average = sum(timings) / len(timings)
        self.stdev = math.sqrt(sum((t - self.average) ** 2 for t in timings) / len(timings))
        self.best, self.worst = min(timings), max(timings)

    def __str__(self):
        runs = "run" if self.repeat == 1 else "runs"
        loops = "loop" if self.loops == 1 else "loops"
        return (f"{format_time(self.average)} ± {format_time(self.stdev)} per loop "
                f"(mean ± std. dev. of {self.repeat} {runs}, {self.loops:,} {loops} each)")

    __repr__ = __str__


def format_time(seconds):
    """A duration as IPython writes it: 3 significant digits, in s, ms, µs or ns."""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{seconds / scale:.3g} {unit}"
