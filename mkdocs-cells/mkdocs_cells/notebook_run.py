"""Notebooks run at build by the cells' runner, as their page runs them in the browser.

mkdocs-jupyter would run a notebook in a Jupyter kernel, where IPython syntax means something
else than in the page (``!pip install`` would install into the build's Python; a magic the page
lacks would work at build and fail for the reader). The plugin takes its ``execute`` setting
over: each code cell runs in the page's namespace with `cells.PageRun` (cached like the
Markdown cells), its outputs go into a copy of the notebook, and mkdocs-jupyter renders that
copy. A cell tagged ``raises-exception`` (Jupyter's convention) may raise; any other error stops
the build unless mkdocs-jupyter's ``allow_errors`` is on.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import nbformat

from . import cells, output

RAISES = "raises-exception"


def run_copy(path: str | Path, page, allow_errors: bool) -> tuple[Path, dict[int, list[str]]]:
    """Run the notebook at ``path`` in ``page`` (a `state.Page`); the executed copy's path, and
    the alt texts the runner made for each code cell's figures (by cell number)."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    generated: dict[int, list[str]] = {}
    # Cells read the files beside their notebook, as in Jupyter.
    with contextlib.chdir(path.parent):
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            number = page.next_cell()  # code cells in order: the page's "Code cell N" (notebook.js)
            may_raise = allow_errors or RAISES in cell.metadata.get("tags", [])
            try:
                outputs = page.run.run(number, cell.source, raises=False, may_raise=may_raise)
            except cells.CellError as error:
                raise cells.CellError(f"{page.where}: code {error}Tag the cell {RAISES!r} if it is "
                                      "meant to raise.") from None
            cell.outputs, generated[number] = notebook_outputs(outputs, number)
            cell.execution_count = number
    key = hashlib.sha256(nbformat.writes(notebook).encode()).hexdigest()[:16]
    copy = page.build.cache / "notebooks-run" / key / path.name  # its name: mkdocs-jupyter shows it
    if not copy.is_file():
        copy.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, copy)
    return copy, generated


def notebook_outputs(outputs: list[tuple[str, object]], number: int) -> tuple[list, list[str]]:
    """The runner's ``outputs`` (what `cells.PageRun` records) as Jupyter outputs, and the alt
    texts of their figures."""
    made, alts = [], []
    for kind, payload in output.settle(outputs):
        if kind in ("stdout", "stderr"):
            if made and made[-1].get("name") == kind:
                made[-1].text += payload
            else:
                made.append(nbformat.v4.new_output("stream", name=kind, text=payload))
        elif kind == "image":
            made.append(nbformat.v4.new_output("display_data", {"image/png": payload["png"],
                                                               "text/plain": "<Figure>"}))
            alts.append(payload["alt"])
        elif kind == "text":
            made.append(nbformat.v4.new_output("display_data", {"text/plain": payload["text"]}))
        elif kind == "result":
            made.append(nbformat.v4.new_output("execute_result", {"text/plain": payload},
                                               execution_count=number))
        elif kind == "truncated":
            made.append(nbformat.v4.new_output("stream", name="stdout", text=payload + "\n"))
        elif kind == "error":
            last = payload.rstrip("\n").rsplit("\n", 1)[-1]
            name, _, value = last.partition(": ")
            made.append(nbformat.v4.new_output("error", ename=name, evalue=value,
                                               traceback=payload.rstrip("\n").split("\n")))
    return made, alts


def render_executed(page, run) -> None:
    """Make ``page.render`` (mkdocs-jupyter's) render the executed copy that ``run()`` returns.

    Only while it renders: mkdocs-jupyter then copies the author's notebook into the site for
    download (``include_source``).
    """
    render = page.render

    def executed_render(config, files):
        original = page.file.abs_src_path
        page.file.abs_src_path = str(run())
        try:
            render(config, files)
        finally:
            page.file.abs_src_path = original

    page.render = executed_render
