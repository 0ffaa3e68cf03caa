"""The cells plugin as an author meets it: its settings reach the page, and `mkdocs serve`
rebuilds with what changed (fresh modules, a new wheel) and watches what pages are made from."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A site with a local package `lessonpkg` (built as a wheel) and one page whose cell prints
    its VALUE; `site()` builds it in this process, as `mkdocs serve` rebuilds. The package is
    importable at build, as an author's `pip install -e` makes it."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.syspath_prepend(str(tmp_path))
    package = tmp_path / "lessonpkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package for the test."""\n\n__version__ = "1.0"\nVALUE = 1\n')
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["flit_core==3.12.0"]
        build-backend = "flit_core.buildapi"

        [project]
        name = "lessonpkg"
        dynamic = ["version", "description"]
        dependencies = ["numpy"]
    """))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n```python run\nimport lessonpkg\nprint('value', lessonpkg.VALUE)\n```\n")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: plugin
        theme: {{name: material, custom_dir: {ROOT / 'overrides'}, font: false}}
        markdown_extensions: [pymdownx.highlight, pymdownx.superfences]
        plugins:
          - cells:
              pyodide: cdn
              wheels: [.]
              preload: [numpy, lessonpkg, matplotlib.pyplot]
              implies_matplotlib: [draw_me]
    """))

    def site():
        config = load_config(str(tmp_path / "mkdocs.yml"))
        build(config)
        return Path(config.site_dir), config

    site.root = tmp_path
    yield site
    sys.modules.pop("lessonpkg", None)  # imported by the build; the next test's is another


def runtime_settings(html: str) -> dict:
    return json.loads(html.split('id="cells-runtime" type="application/json">')[1].split("</script>")[0])


def test_settings_reach_the_page(project):
    """The preload steps, in order, and the words that imply matplotlib are the page's settings."""
    site, _ = project()
    settings = runtime_settings((site / "index.html").read_text())
    assert [step["name"] for step in settings["steps"]] == ["numpy", "lessonpkg", "matplotlib"]
    assert [step["import"] for step in settings["steps"]][-1] == "import matplotlib.pyplot"
    assert settings["impliesMatplotlib"] == ["draw_me"]
    wheel = settings["steps"][1]["packages"][0]
    assert wheel.startswith("pyodide/lessonpkg-1.0-") and (site / wheel).is_file()


def test_a_rebuild_imports_the_package_as_it_is_now(project):
    """Changing the local package between two builds in one process changes the cell's output
    and the wheel the browser gets; the unchanged page's cells are not run again otherwise."""
    site, _ = project()
    assert "value 1" in (site / "index.html").read_text()
    first = (site / "pyodide").glob("lessonpkg-*.whl").__next__().read_bytes()
    init = project.root / "lessonpkg" / "__init__.py"
    init.write_text(init.read_text().replace("VALUE = 1", "VALUE = 2"))
    later = init.stat().st_mtime + 2  # an edit in a later second than the build's import
    os.utime(init, (later, later))
    site, _ = project()
    assert "value 2" in (site / "index.html").read_text()
    assert (site / "pyodide").glob("lessonpkg-*.whl").__next__().read_bytes() != first


def test_serve_watches_what_pages_are_made_from(project):
    """Under `mkdocs serve` the plugin watches the local package, its own browser files and the theme."""
    _, config = project()

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(os.path.realpath(path))

    plugin = config.plugins["cells"]
    server = plugin.on_serve(Server(), config=config, builder=None)
    watched = set(server.watched)
    assert str((project.root / "lessonpkg").resolve()) in watched
    assert str((ROOT / "overrides").resolve()) in watched
    assets = Path(plugin.on_serve.__func__.__globals__["HERE"]) / "assets"
    assert str(assets.resolve()) in watched
