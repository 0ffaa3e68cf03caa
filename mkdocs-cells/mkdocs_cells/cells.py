"""Run a page's cells in CPython at build time, in page order with one namespace per page.

Outputs are cached in ``<cache_dir>/cells/`` under a hash of everything they depend on (this page's
cells up to that one, the runner, and convlesson's sources), so an unchanged rebuild runs
nothing. When a cell must run, the page's earlier cells are replayed first so its namespace
is what the reader's would be.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import runner as cell_runner


class CellError(Exception):
    """A cell raised at build time without being marked ``raises``."""


class PageRun:
    """The cells of one page, as the build meets them."""

    def __init__(self, page_path: str, salt: str, runner: cell_runner.Runner, cache: Path):
        self.page_path = page_path
        self.runner, self.cache_dir = runner, cache
        self.namespace = "build:" + page_path
        self.sources: list[str] = []
        self.exercises: set[int] = set()  # the reader's attempts: never run at build
        self.isolated: set[int] = set()  # cells with a namespace of their own
        self.executed = 0
        self.digest = hashlib.sha256(f"{salt}\0{page_path}".encode())
        runner.reset(self.namespace)

    def run(self, number: int, source: str, raises: bool, isolated: bool = False,
            may_raise: bool = False) -> list[tuple[str, object]]:
        """The outputs of cell ``number`` (1-based, in page order). ``raises``: it must raise;
        ``may_raise``: it may (a notebook cell tagged ``raises-exception``)."""
        self.sources.append(source)
        if isolated:
            self.isolated.add(number)
        self.digest.update(source.encode() + b"\0")
        hit = self.cached("outputs")
        if hit is not None:
            return [tuple(item) for item in hit]
        if not isolated:
            for earlier in range(self.executed + 1, number):
                self._execute(earlier, self.sources[earlier - 1])
        outputs, error = self._execute(number, source)
        if error and not (raises or may_raise):
            raise CellError(f"cell {number} raised {error['type']}:\n{error['traceback']}")
        if raises and not error:
            raise CellError(f"cell {number} is marked `raises` but ran without an error")
        self.cache("outputs", outputs)
        return outputs

    def add_exercise(self, number: int, source: str) -> None:
        """Cell ``number`` is an exercise: it takes its place in page order but does not run."""
        self.sources.append(source)
        self.digest.update(b"exercise\0" + source.encode() + b"\0")
        self.exercises.add(number)

    def cached(self, name: str):
        """A cache entry keyed by everything on the page so far, or None."""
        path = self.cache_dir / f"{self.digest.hexdigest()}-{name}.json"
        return json.loads(path.read_text()) if path.is_file() else None

    def cache(self, name: str, value) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        (self.cache_dir / f"{self.digest.hexdigest()}-{name}.json").write_text(json.dumps(value))

    def namespace_before(self, number: int) -> dict:
        """A copy of the page's namespace as the reader has it when reaching cell ``number``."""
        for earlier in range(self.executed + 1, number):
            self._execute(earlier, self.sources[earlier - 1])
        return dict(self.runner.namespace(self.namespace))

    def _execute(self, number: int, source: str):
        outputs: list[tuple[str, object]] = []
        if number in self.exercises:
            self.executed = number
            return outputs, None
        namespace = f"{self.namespace}#{number}" if number in self.isolated else self.namespace
        reply = self.runner.run(source, namespace, number, lambda kind, p: outputs.append((kind, p)))
        if number not in self.isolated:
            self.executed = number
        if "error" in reply:
            outputs.append(("error", reply["error"]["traceback"]))
            return outputs, reply["error"]
        if reply["result"] is not None:
            outputs.append(("result", reply["result"]))
        return outputs, None


def salt(*hashes: str) -> str:
    """What every cached output depends on besides its page's code: the runner (with the
    IPython syntax it reads, magics.py), and ``hashes`` (of the local packages the cells import,
    of the packages the page offers)."""
    runner = Path(cell_runner.__file__)
    code = runner.read_bytes() + runner.with_name("magics.py").read_bytes()
    return hashlib.sha256(code).hexdigest() + "".join(hashes)
