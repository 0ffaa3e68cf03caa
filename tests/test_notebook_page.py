"""Notebook pages get their figures' alt text from the notebook, lose the empty MathJax script,
show their figures from files of the site, and keep only the style rules that can match."""

import base64
import re
import struct
import zlib
from urllib.parse import urljoin

import nbformat
import pytest
from bs4 import BeautifulSoup

from mkdocs_cells import notebook as notebook_page


def png(width: int, height: int) -> bytes:
    """A grey PNG of ``width`` × ``height`` pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


FIGURE = png(40, 10)


def cell(image_attributes: str = "", data: bytes = FIGURE) -> str:
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    return ('<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea-output">'
            f'<img alt="No description has been provided for this image" src="{url}"{image_attributes}/></div></div>')


CELL = cell()
TEXT_CELL = '<div class="jp-Cell jp-CodeCell"><pre>1</pre></div>'


class Store:
    """Stands for cell_fence.store_image: keeps each PNG and gives it a URL."""

    def __init__(self):
        self.images = []

    def __call__(self, data: bytes) -> str:
        self.images.append(data)
        return f"../assets/cells/{len(self.images)}.png"


def notebook(tmp_path, *alts):
    cells = [nbformat.v4.new_code_cell("x") for _ in alts]
    for cell, alt in zip(cells, alts):
        if alt:
            cell.metadata["alt"] = alt
    path = tmp_path / "page.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def finish(html, path, **options):
    return BeautifulSoup(notebook_page.finish(html, path, Store(), **options), "html.parser")


def test_alt_text_from_cell_metadata(tmp_path):
    html = '<script src=""></script>' + TEXT_CELL + CELL
    done = notebook_page.finish(html, notebook(tmp_path, None, "Two curves falling"), Store())
    assert 'alt="Two curves falling"' in done and "No description" not in done
    assert '<script src="">' not in done


def test_figures_without_alt_are_one_warning_and_described_meanwhile(tmp_path, caplog):
    """Every code cell whose figure lacks an alt text is named in one warning; its figures get
    the runner's description, or say which cell made them."""
    html = TEXT_CELL + CELL + CELL + CELL
    done = finish(html, notebook(tmp_path, None, None, "Given", None), figure_alts={2: ["Figure: a title"]})
    assert [image["alt"] for image in done.select("img")] == ["Figure: a title", "Given", "Figure made by code cell 4"]
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == 1
    assert warnings[0].startswith('page.ipynb: code cells 2, 4 show a figure without alt text; add "alt"')


def test_cells_must_line_up(tmp_path):
    with pytest.raises(ValueError, match="1 code cells in the notebook but 2 in the page"):
        notebook_page.finish(TEXT_CELL + CELL, notebook(tmp_path, "alt"), Store())


def test_figures_become_files_with_their_size(tmp_path):
    """The PNG goes to the store, the page gets its URL, its size in pixels, and lazy loading."""
    store = Store()
    done = notebook_page.finish(TEXT_CELL + CELL, notebook(tmp_path, None, "A grey strip"), store)
    assert store.images == [FIGURE]
    assert "data:" not in done
    image = BeautifulSoup(done, "html.parser").img
    assert image.attrs == {
        "alt": "A grey strip", "src": "../assets/cells/1.png", "width": "40", "height": "10",
        "loading": "lazy", "decoding": "async",
    }


@pytest.mark.parametrize("given, size", [
    (' width="20" height="5"', ("20", "5")),  # a retina figure: the notebook gives its size
    (' width="20"', ("20", "5")),
    (' height="20"', ("80", "20")),
])
def test_a_size_the_notebook_gives_is_kept(tmp_path, given, size):
    image = finish(cell(given), notebook(tmp_path, "A grey strip")).img
    assert (image["width"], image["height"]) == size


def test_a_figure_that_is_not_a_png_fails_the_build(tmp_path):
    with pytest.raises(ValueError, match=r"page.ipynb: a figure marked image/png is not a PNG"):
        notebook_page.finish(cell(data=b"GIF89a" + bytes(20)), notebook(tmp_path, "alt"), Store())


def test_style_sheets_keep_the_rules_that_can_match(tmp_path):
    """A rule for a class of the page stays, one for a class nowhere goes, a sheet left empty
    goes; the classes the page's scripts add (notebook_page.SCRIPT_CLASSES) count as present."""
    styles = (
        "<style>.jupyter-wrapper .jp-CodeCell{margin:0}.jupyter-wrapper .jp-Dialog{margin:1px}"
        ".jupyter-wrapper .md-typeset__scrollwrap{margin:0}</style>"
        "<style>.jp-Mermaid{display:none}</style>"
    )
    html = styles + '<div class="jupyter-wrapper">' + TEXT_CELL + "</div>"
    soup = finish(html, notebook(tmp_path, None))
    assert [style.string for style in soup.find_all("style")] == [
        ".jupyter-wrapper .jp-CodeCell{margin:0}.jupyter-wrapper .md-typeset__scrollwrap{margin:0}"
    ]


# --- The built ConvNet page ---------------------------------------------------------------------

def test_built_notebook_page_is_light(site):
    """No figure left in the HTML: each is a file of the site, sized as the PNG; the page is
    under 150 KB (it was 859 KB, 575 KB of it JupyterLab's style sheet)."""
    html = (site / "convnet" / "index.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    css = "".join(style.extract().string for style in soup.find_all("style"))
    assert not soup.select('img[src^="data:"]') and "data:image/png" not in str(soup)
    # In the style sheets one small PNG is left: CodeMirror 5's tab arrow, kept with the rules
    # for .cm-tab, a class the cells' editor can create (notebook_page.SCRIPT_CLASSES).
    assert sum(map(len, re.findall(r"url\(data:[^)]*\)", css))) < 1000
    images = soup.select(".jp-OutputArea-output img")
    assert len(images) == 5
    for image in images:
        file = site / urljoin("convnet/", image["src"])
        assert file.is_file() and file.resolve().is_relative_to(site.resolve())
        data = file.read_bytes()
        assert data.startswith(b"\x89PNG")
        width, height = struct.unpack(">II", data[16:24])
        assert (int(image["width"]), int(image["height"])) == (width, height)  # shown at its pixels, as before
        assert image["loading"] == "lazy" and image["decoding"] == "async"
    assert len(html.encode()) < 150_000, f"{len(html.encode())} bytes"
