"""Links and assets of the built site: none broken, none missing, none from another host.

The checker is mkdocs_cells/testing/links.py (also a command: ``python -m mkdocs_cells.testing.links site/``);
the tests at the end show it catching each kind of fault in a small site made to have them.
MkDocs' own validation (``validation:`` in mkdocs.yml) runs in the session's ``--strict`` build,
so a broken link between Markdown pages already fails the build itself.
"""

from __future__ import annotations

import logging

import pytest

from mkdocs_cells.testing import links as check_links
from mkdocs_cells.testing import pages as site_pages
from conftest import ROOT


def test_no_broken_link_missing_asset_or_foreign_host(site, server):
    """Every href/src/url()/import of the build resolves (with its #anchor), all on the site's host."""
    problems = check_links.check(site, server.url)
    assert not problems, "\n".join(problems)


def test_mkdocs_validates_links_strictly(build):
    """MkDocs reports broken links, anchors and absolute links as warnings, which --strict makes
    errors; and the session's strict build succeeded."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    links = config.validation.links
    for name in ("not_found", "anchors", "absolute_links", "unrecognized_links"):
        assert getattr(links, name) >= logging.WARNING, f"validation.links.{name} is below warn"
    assert build.returncode == 0, build.log


def test_audited_pages_are_the_built_pages(site):
    """The pages the audits visit (from MkDocs' configuration) are exactly the HTML pages built."""
    assert site_pages.configured(ROOT / "mkdocs.yml") == site_pages.built(site)


# The checker can fail ---------------------------------------------------------------------

def small_site(tmp_path, page: str, css: str = "", js: str = "") -> str:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text('<h1 id="top">Sub</h1><img src="../pic.png" alt="x y z">')
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")
    (tmp_path / "index.html").write_text(page)
    (tmp_path / "style.css").write_text(css)
    (tmp_path / "assets" / "convlesson").mkdir(parents=True)
    (tmp_path / "assets" / "convlesson" / "main.js").write_text(js)
    return "http://example.test/"


def problems_of(tmp_path, page: str, **files) -> list[str]:
    base = small_site(tmp_path, page, **files)
    return check_links.check(tmp_path, base)


def test_checker_passes_a_sound_site(tmp_path):
    page = ('<a href="sub/">s</a><a href="sub/#top">t</a><a href="http://example.test/sub/">u</a>'
            '<a href="https://elsewhere.test/">out</a><img src="pic.png#only-light" alt="x y z">'
            '<link rel="stylesheet" href="style.css">')
    assert problems_of(tmp_path, page, css="a{background:url(pic.png)}", js='import "./main.js";') == []


@pytest.mark.parametrize(("page", "files", "expected"), [
    ('<a href="nowhere/">x</a>', {}, "no such file"),
    ('<a href="sub/#bottom">x</a>', {}, "no id 'bottom'"),
    ('<img src="missing.png" alt="a b c">', {}, "no such file"),
    ('<img srcset="pic.png 1x, gone.png 2x" alt="a b c">', {}, "gone.png"),
    ('<script src="https://cdn.test/lib.js"></script>', {}, "from another host"),
    ('<link rel="stylesheet" href="//cdn.test/a.css">', {}, "from another host"),
    ("", {"css": "a{background:url('fonts/none.woff2')}"}, "none.woff2"),
    ("", {"js": 'import { x } from "./absent.js";'}, "absent.js"),
    ("", {"js": 'const w = new URL("./runner.js", import.meta.url);'}, "runner.js"),
], ids=["link", "anchor", "image", "srcset", "script-cdn", "css-cdn", "css-url", "js-import", "js-url"])
def test_checker_reports_each_fault(tmp_path, page, files, expected):
    """A broken link, a missing anchor or asset, an asset from another host: each is reported."""
    problems = problems_of(tmp_path, page, **files)
    assert any(expected in problem for problem in problems), problems
