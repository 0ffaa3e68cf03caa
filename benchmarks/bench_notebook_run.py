"""Running a notebook at build: the cells' runner (what the plugin does) against a Jupyter kernel
(what mkdocs-jupyter's ``execute`` did), on the site's ConvNet notebook, nothing cached.

Prints the seconds each took, one line each, then their ratio. The two run in turn, each in a
fresh process, so they meet the same machine load.

    python benchmarks/bench_notebook_run.py [--runs 1] [NOTEBOOK]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUNNER = """
import sys, tempfile, time
from pathlib import Path
from mkdocs_cells import notebook_run, runner
from mkdocs_cells.cells import PageRun

class Page:  # what notebook_run needs of a state.Page
    where = "notebook"
    cells = 0
    def next_cell(self):
        self.cells += 1
        return self.cells

with tempfile.TemporaryDirectory() as cache:
    page = Page()
    page.run = PageRun("notebook", "bench", runner.install(), Path(cache) / "cells")
    page.build = type("Build", (), {"cache": Path(cache)})
    start = time.perf_counter()
    notebook_run.run_copy(sys.argv[1], page, allow_errors=False)
    print(time.perf_counter() - start)
"""

KERNEL = """
import sys, time
import nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
start = time.perf_counter()
NotebookClient(notebook, kernel_name="python3", resources={"metadata": {"path": str(__import__("pathlib").Path(sys.argv[1]).parent)}}).execute()
print(time.perf_counter() - start)
"""


def seconds(program: str, notebook: Path) -> float:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # as the plugin sets for both
    done = subprocess.run([sys.executable, "-c", program, str(notebook)], capture_output=True, text=True,
                          env=env, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=ROOT / "docs" / "convnet.ipynb")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    runner, kernel = [], []
    for _ in range(args.runs):
        runner.append(seconds(RUNNER, args.notebook))
        kernel.append(seconds(KERNEL, args.notebook))
    r, k = statistics.median(runner), statistics.median(kernel)
    print(f"cells' runner: {r:.1f} s")
    print(f"Jupyter kernel: {k:.1f} s")
    print(f"runner / kernel: {r / k:.2f}")


if __name__ == "__main__":
    main()
