"""Notebook pages (rendered by mkdocs-jupyter) made to the site's standard.

- Each figure gets the alt text its cell gives in the notebook (cell metadata ``"alt"``, the
  key nbconvert's classic template reads); the lab template mkdocs-jupyter uses reads none and
  writes "No description has been provided for this image" instead.
- The MathJax ``<script src="">`` the template writes when no MathJax URL is set goes: the site
  renders math with its own KaTeX.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from bs4 import BeautifulSoup


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def finish(html: str, notebook_path: str | Path) -> str:
    """The rendered notebook ``html`` with alt texts from ``notebook_path`` and no empty script."""
    notebook = nbformat.read(notebook_path, as_version=4)
    alts = [cell.metadata.get("alt") for cell in notebook.cells if cell.cell_type == "code"]
    soup = BeautifulSoup(html, "html.parser")
    cells = [cell for cell in soup.select(".jp-CodeCell") if not cell.find_parent(class_="jp-CodeCell")]
    if len(cells) != len(alts):
        raise ValueError(f"{notebook_path}: {len(alts)} code cells in the notebook but {len(cells)} in the page")
    for cell, alt in zip(cells, alts):
        images = cell.select(".jp-OutputArea-output img")
        if images and not alt:
            raise ValueError(
                f"{notebook_path}: code cell {cells.index(cell) + 1} shows a figure but has no alt text; "
                'add "alt": "what the figure shows" to the cell\'s metadata'
            )
        for image in images:
            image["alt"] = alt
    for script in soup.select('script[src=""]'):
        script.decompose()
    return str(soup)
