"""Notebook pages (rendered by mkdocs-jupyter) made to the site's standard.

- Each figure gets the alt text its cell gives in the notebook (cell metadata ``"alt"``, the
  key nbconvert's classic template reads); the lab template mkdocs-jupyter uses reads none and
  writes "No description has been provided for this image" instead. The cell keeps it as
  ``data-alt`` for its live figures. Cells whose figures have none are listed in one warning
  (which fails a ``--strict`` build), their figures described meanwhile by the runner
  (`notebook_run`) from their titles and axis labels.
- Jupyter's cell tags: ``raises-exception`` (the cell may raise: later cells run after it in
  the page), and Jupyter Book's ``remove-cell`` (gone from the page, but still run before later
  cells), ``remove-input``, ``remove-output`` and ``hide-input`` (the code behind a "Show code
  cell source" toggle).
- The Markdown cells' math (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``) becomes the elements
  pymdownx.arithmatex writes on the Markdown pages, which `maths` renders at build.
- Their relative links and images point where the site put their targets: a link to another
  notebook (or Markdown page) to its page; a target not in the site is a warning.
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
import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
from bs4 import BeautifulSoup, NavigableString
from mkdocs.utils import get_relative_url

from . import notebook_css
from .store import png_size

log = logging.getLogger("mkdocs.plugins.cells")
PNG_DATA_URL = "data:image/png;base64,"
# Math in a Markdown cell's text, as Jupyter finds it: display first, then inline (a `$`
# opening inline math is not followed by a space, nor is its closing one preceded by one).
MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|\\\[(?P<display2>.+?)\\\]|\\\((?P<inline2>.+?)\\\)"
                  r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d)", re.S)
SHOW_SOURCE, HIDE_SOURCE = "Show code cell source", "Hide code cell source"  # Jupyter Book's words

# Classes that the page's scripts put inside the notebook after it loads, and that JupyterLab's
# style sheet styles: Material wraps each table in a scrolling .md-typeset__scrollwrap, and
# the cells' editor (CodeMirror 6) draws a tab as a .cm-tab in browsers without CSS tab-size.
# Their rules must stay although the built HTML has no such element. (Found by looking for the
# sheet's classes in the site's scripts; tests/test_notebook_css.py checks the page for others.)
SCRIPT_CLASSES = frozenset({"md-typeset__scrollwrap", "cm-tab"})


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def site_urls(page, files) -> Callable[[str], str | None]:
    """For ``page``: the URL, relative to it, of the site's page or file at a path relative to
    its source (``other.ipynb`` → ``../other/``), or the path itself if it is already a URL of
    the site relative to the page (``../other/``); None if the site has nothing there."""
    urls = {posixpath.normpath(file.url or ".") for file in files}

    def url(path: str) -> str | None:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        file = files.get_file_from_path(target)
        if file is not None:
            return get_relative_url(file.url, page.url)
        return path if posixpath.normpath(posixpath.join(page.url or ".", path)) in urls else None

    return url


def finish(html: str, notebook_path: str | Path, store_image: Callable[[bytes], str],
           read: set[str] | None = None, figure_alts: dict[int, list[str]] | None = None,
           site_url: Callable[[str], str | None] | None = None, where: str | None = None) -> str:
    """The rendered notebook ``html`` with alt texts from ``notebook_path`` (or, missing there,
    from ``figure_alts``: the runner's, by cell number), its tags applied, its math marked, its
    links pointing at the site's pages and files (``site_url(path)``: the page's URL for a
    path relative to the docs folder, None if the site has no such file), no empty script,
    its figures as files (``store_image`` keeps a PNG's bytes and gives its URL) and its style
    sheets pruned. Warnings name the notebook as ``where`` (its path in the docs)."""
    where = where or Path(notebook_path).name
    notebook = nbformat.read(notebook_path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    soup = BeautifulSoup(html, "html.parser")
    cells = [cell for cell in soup.select(".jp-CodeCell") if not cell.find_parent(class_="jp-CodeCell")]
    if len(cells) != len(code):
        raise ValueError(f"{notebook_path}: {len(code)} code cells in the notebook but {len(cells)} in the page")
    missing = []
    for number, (cell, source) in enumerate(zip(cells, code), start=1):
        alt = source.metadata.get("alt")
        images = cell.select(".jp-OutputArea-output img")
        if alt:
            live_cell(cell)["data-alt"] = alt
        elif images:
            missing.append(number)
        made = (figure_alts or {}).get(number, [])
        for index, image in enumerate(images):
            image["alt"] = alt or (made[index] if index < len(made) else f"Figure made by code cell {number}")
        apply_tags(soup, cell, source.metadata.get("tags", []))
    if missing:
        listed = ", ".join(map(str, missing))
        log.warning(f"{where}: code cell{'s' if len(missing) > 1 else ''} {listed} "
                    f"show{'' if len(missing) > 1 else 's'} a figure without alt text; add "
                    '"alt": "what the figure shows" to each one\'s cell metadata. Meanwhile the '
                    "figures are described from their titles and axis labels.")
    for markdown in soup.select(".jp-MarkdownCell"):
        if "celltag_remove-cell" in markdown.get("class", []) or markdown.select_one(".celltag_remove-cell"):
            markdown.decompose()
            continue
        mark_math(soup, markdown)
        if site_url is not None:
            point_links(markdown, site_url, where)
    for toolbar in soup.select(".celltoolbar"):
        toolbar.decompose()  # the tags, shown by mkdocs-jupyter above the code: for authors, not readers
    for script in soup.select('script[src=""]'):
        script.decompose()
    for image in soup.select(f'img[src^="{PNG_DATA_URL}"]'):
        try:
            make_file(image, store_image)
        except ValueError as error:
            raise ValueError(f"{notebook_path}: {error}") from None
    prune_styles(soup, read)
    return str(soup)


def live_cell(cell):
    """The element of a code cell that the page makes runnable (notebook.js): nbconvert nests
    one cell in another, and it is the innermost."""
    return (cell.select(".jp-CodeCell") or [cell])[-1]


def apply_tags(soup, cell, tags: list[str]) -> None:
    """A code cell's Jupyter tags, as Jupyter (``raises-exception``) and Jupyter Book do."""
    if "raises-exception" in tags:
        live_cell(cell)["data-raises"] = ""  # cell.js: a later cell runs after this one raised
    if "remove-cell" in tags:
        cell["hidden"] = live_cell(cell)["data-hidden"] = ""  # still runs before later cells, as a setup cell
    if "remove-input" in tags:
        live_cell(cell)["data-hidden"] = ""  # no code to edit or run: its output stays the build's
        for part in cell.select(".jp-Cell-inputWrapper"):
            part["hidden"] = ""
    if "remove-output" in tags:
        for part in cell.select(".jp-Cell-outputWrapper"):
            part.decompose()
    if "hide-input" in tags and "remove-input" not in tags:
        for part in cell.select(".jp-Cell-inputWrapper"):
            toggle = soup.new_tag("details", attrs={"class": "cl-hide-input"})
            summary = soup.new_tag("summary")
            for text, state in ((SHOW_SOURCE, "closed"), (HIDE_SOURCE, "open")):
                label = soup.new_tag("span", attrs={"class": f"cl-hide-input__{state}"})
                label.string = text
                summary.append(label)
            part.wrap(toggle)
            toggle.insert(0, summary)


def mark_math(soup, markdown) -> None:
    """Each formula in a Markdown cell's text as the element arithmatex writes (maths.py renders it)."""
    for text in list(markdown.find_all(string=MATH)):
        if not isinstance(text, NavigableString) or text.find_parent(["code", "pre", "script", "style"]):
            continue
        pieces, last = [], 0
        for found in MATH.finditer(text):
            display = found["display"] or found["display2"]
            tex = (display if display is not None else found["inline"] or found["inline2"]).strip()
            element = soup.new_tag("span", attrs={"class": "arithmatex"})
            element.string = f"\\[{tex}\\]" if display is not None else f"\\({tex}\\)"
            pieces += [text[last:found.start()], element]
            last = found.end()
        pieces.append(text[last:])
        parent = text.parent
        if parent.name == "p" and len(parent.contents) == 1 and len(pieces) == 3 and \
                pieces[1].string.startswith("\\[") and not (pieces[0] + pieces[2]).strip():
            pieces[1].name = "div"  # display math alone in its paragraph: a block, as on Markdown pages
            parent.replace_with(pieces[1])
        else:
            text.replace_with(*[piece for piece in pieces if piece != ""])


def point_links(markdown, site_url: Callable[[str], str | None], name: str) -> None:
    """Relative links and images of a Markdown cell, pointed at the site's page or file."""
    for element, attr in [(a, "href") for a in markdown.select("a[href]")] + \
            [(img, "src") for img in markdown.select("img[src]")]:
        ref = element[attr]
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("/", "#")) or not parts.path:
            continue
        url = site_url(unquote(parts.path))
        if url is None:
            log.warning(f"{name}: the link {ref!r} points at nothing in the site (no such page or file)")
            continue
        element[attr] = url + (f"#{parts.fragment}" if parts.fragment else "")


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

