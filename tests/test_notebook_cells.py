"""Code cells of notebook pages (mkdocs-jupyter) get the same controls as Markdown cells."""

import os
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest

from conftest import ROOT
from mkdocs_cells.testing.server import Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def notebook_site(tmp_path_factory):
    """A site with one executed notebook page, using the real theme, plugin and Pyodide."""
    project = tmp_path_factory.mktemp("notebook")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A notebook page"),
        nbformat.v4.new_code_cell("import numpy as np\nx = np.arange(4)\nprint(x)"),
        nbformat.v4.new_code_cell("x * 2"),
    ]
    nbformat.write(notebook, project / "docs" / "page.ipynb")
    (project / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: notebook
        theme: {{name: material, custom_dir: {ROOT / 'overrides'}, font: false}}
        markdown_extensions: [pymdownx.highlight, pymdownx.superfences]
        plugins:
          - mkdocs-jupyter:
              execute: true
          - cells:
              wheels: [{ROOT}]
              preload: [numpy, convlesson, matplotlib.pyplot]
    """))
    site = project / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], cwd=project, check=True,
        capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    server = Server(site)
    yield server
    server.close()


def test_notebook_cells_are_runnable(page, notebook_site, cell):
    """Each notebook code cell becomes "Code cell N" with Run; running replaces the notebook output."""
    page.goto(notebook_site.url + "page/")
    first, second = cell(1), cell(2)
    assert first.output.strip() == str(np.arange(4))  # executed by mkdocs-jupyter at build
    assert first.code == "import numpy as np\nx = np.arange(4)\nprint(x)"
    for name in ("Run", "Reset", "Copy"):
        assert second.button(name).is_visible()
    second.set_code("print(x.sum() * 10)")
    second.run()
    lines = [line for line in second.output.splitlines() if line]
    assert lines == ["Ran cell 1 first: this cell builds on it.", str(np.arange(4).sum() * 10)]
