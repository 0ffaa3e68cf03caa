"""Notebook pages get their figures' alt text from the notebook, and lose the empty MathJax script."""

import nbformat
import pytest

import notebook_page

CELL = ('<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea-output">'
        '<img alt="No description has been provided for this image" src="data:image/png;base64,AA"/></div></div>')
TEXT_CELL = '<div class="jp-Cell jp-CodeCell"><pre>1</pre></div>'


def notebook(tmp_path, *alts):
    cells = [nbformat.v4.new_code_cell("x") for _ in alts]
    for cell, alt in zip(cells, alts):
        if alt:
            cell.metadata["alt"] = alt
    path = tmp_path / "page.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_alt_text_from_cell_metadata(tmp_path):
    html = '<script src=""></script>' + TEXT_CELL + CELL
    done = notebook_page.finish(html, notebook(tmp_path, None, "Two curves falling"))
    assert 'alt="Two curves falling"' in done and "No description" not in done
    assert '<script src="">' not in done


def test_figure_without_alt_fails_the_build(tmp_path):
    with pytest.raises(ValueError, match=r"code cell 2 shows a figure but has no alt text; add \"alt\""):
        notebook_page.finish(TEXT_CELL + CELL, notebook(tmp_path, None, None))


def test_cells_must_line_up(tmp_path):
    with pytest.raises(ValueError, match="1 code cells in the notebook but 2 in the page"):
        notebook_page.finish(TEXT_CELL + CELL, notebook(tmp_path, "alt"))
