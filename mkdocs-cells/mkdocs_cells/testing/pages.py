"""The pages of the site, as MkDocs makes them: for the audits (tests and benchmarks).

Two views of the same list, so that a page added to ``docs/`` (Markdown or notebook) is
audited without naming it anywhere:

- :func:`configured` asks MkDocs (``mkdocs.yml``, its plugins' ``on_files``) which pages the
  build will write, plus the theme's HTML templates (Material's ``404.html``); cheap enough for
  pytest to parametrize tests with at collection, before anything is built;
- :func:`built` lists the HTML pages a build actually wrote, to check the first against, and
  for the benchmarks, which build first.

Both return URL paths relative to the site root, as a reader's browser asks for them:
``""`` for the home page, ``"convolution/"``, ``"404.html"``.
"""

from __future__ import annotations

import os
from pathlib import Path

# Folders of the build that hold assets, not pages (KaTeX, Pyodide, ... may ship HTML files).
NOT_PAGES = {"assets", "pyodide", "search"}


def configured(config_file: Path) -> list[str]:
    """The URL of every page the build of ``config_file`` writes, sorted, home page first."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(config_file))
    files = config.plugins.on_files(get_files(config), config=config)
    urls = {file.url.removeprefix("./") for file in files.documentation_pages()}
    urls |= {name for name in config.theme.static_templates if name.endswith(".html")}
    return sorted(urls, key=lambda url: (url != "", url))


def file(site: Path, url: str) -> Path:
    """The HTML file of the built ``site`` that serves ``url`` (one of :func:`built`'s)."""
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


def built(site: Path) -> list[str]:
    """The URL of every HTML page in the built ``site``, in the order of :func:`configured`."""
    urls = set()
    for path in site.rglob("*.html"):
        parts = path.relative_to(site).parts
        if parts[0] in NOT_PAGES:
            continue
        if parts[-1] == "index.html":
            urls.add("".join(f"{part}/" for part in parts[:-1]))
        else:
            urls.add("/".join(parts))
    return sorted(urls, key=lambda url: (url != "", url))
