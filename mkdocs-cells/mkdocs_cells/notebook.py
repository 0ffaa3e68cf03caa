"""Notebook pages (rendered by mkdocs-jupyter) made to the site's standard.

- Each figure gets the alt text its cell gives in the notebook (cell metadata ``"alt"``, the
  key nbconvert's classic template reads); the lab template mkdocs-jupyter uses reads none and
  writes "No description has been provided for this image" instead.
- The MathJax ``<script src="">`` the template writes when no MathJax URL is set goes: the site
  renders math with its own KaTeX.
- Figures become files of the site, as the Markdown cells' figures are, instead of base64 in
  the HTML (175 KB on the ConvNet page, downloaded before the page could show): each gets the
  size it is shown at (so the text does not jump when it arrives), and is fetched and decoded
  when the reader scrolls near it. No figure is fetched eagerly: a notebook page opens on
  text and code (the ConvNet page's first figure is below the fold on a laptop and a phone).
- The style sheets mkdocs-jupyter inlines (JupyterLab's, 575 KB) keep only the rules that can
  match the page, and the custom properties something on the page reads (`notebook_css`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from . import notebook_css
from .store import png_size

PNG_DATA_URL = "data:image/png;base64,"

# Classes that the page's scripts put inside the notebook after it loads, and that JupyterLab's
# style sheet styles: Material wraps each table in a scrolling .md-typeset__scrollwrap, and
# the cells' editor (CodeMirror 6) draws a tab as a .cm-tab in browsers without CSS tab-size.
# Their rules must stay although the built HTML has no such element. (Found by looking for the
# sheet's classes in the site's scripts; tests/test_notebook_css.py checks the page for others.)
SCRIPT_CLASSES = frozenset({"md-typeset__scrollwrap", "cm-tab"})


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def finish(html: str, notebook_path: str | Path, store_image: Callable[[bytes], str],
           read: set[str] | None = None) -> str:
    """The rendered notebook ``html`` with alt texts from ``notebook_path``, no empty script,
    its figures as files (``store_image`` keeps a PNG's bytes and gives its URL) and its style
    sheets pruned."""
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
    for image in soup.select(f'img[src^="{PNG_DATA_URL}"]'):
        try:
            make_file(image, store_image)
        except ValueError as error:
            raise ValueError(f"{notebook_path}: {error}") from None
    prune_styles(soup, read)
    return str(soup)


def make_file(image, store_image: Callable[[bytes], str]):
    """Point ``image`` at a file of the site holding its PNG, sized, loaded lazily."""
    data = base64.b64decode(image["src"][len(PNG_DATA_URL):])
    image["src"] = store_image(data)
    image["width"], image["height"] = shown_size(image, data)
    image["loading"] = "lazy"
    image["decoding"] = "async"


def shown_size(image, data: bytes) -> tuple[str, str]:
    """The figure's size in CSS pixels: the notebook's own (retina figures give theirs) or the
    PNG's pixels, which is how the browser shows a PNG without one (it ignores the PNG's dpi).
    Given one side only, the other follows from the PNG's aspect ratio."""
    width, height = png_size(data)
    given_width, given_height = image.get("width"), image.get("height")
    if given_width and given_height:
        return given_width, given_height
    if given_width:
        return given_width, str(round(int(given_width) * height / width))
    if given_height:
        return str(round(int(given_height) * width / height)), given_height
    return str(width), str(height)


def prune_styles(soup, read: set[str] | None = None):
    """Each ``<style>`` without the rules that no element of the page can match; with ``read``
    (the custom properties the site's other style sheets read), also without the custom
    properties that nothing on the page reads."""
    classes = {name for element in soup.find_all(class_=True) for name in element["class"]}
    if read is not None:
        # Each sheet may read another's properties: all of them count (their rules that cannot
        # match too, which only keeps more).
        inline = "".join(element["style"] for element in soup.find_all(style=True))
        sheets = "".join(style.string or "" for style in soup.find_all("style"))
        read = read | notebook_css.var_names(inline + sheets)
    for style in soup.find_all("style"):
        css = notebook_css.prune(style.string or "", classes | SCRIPT_CLASSES, read)
        if css:
            style.string = css
        else:
            style.decompose()


def read_by_style_sheets(folders: list[Path]) -> set[str]:
    """The custom properties that the ``*.css`` files under ``folders`` (the theme's, the
    plugin's) read: a notebook page's own style sheets keep their definitions."""
    return set().union(*(notebook_css.var_names(path.read_text(encoding="utf-8", errors="replace"))
                         for folder in folders for path in Path(folder).rglob("*.css")))

