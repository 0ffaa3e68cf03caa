"""The plugin's settings, as an author writes them under ``plugins: - cells:`` in mkdocs.yml.

Every setting is documented, with its default, on the site's "Writing cells" page.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CellsConfig(base.Config):
    # Where pages load Pyodide 0.27.7 from: "self" (the verified copy the build puts in
    # site/pyodide/) or "cdn" (the official CDN; the site then serves only its own wheels).
    pyodide = c.Choice(("self", "cdn"), default="self")
    # Local projects (folders with a pyproject.toml, relative to mkdocs.yml) built as wheels
    # that cells can import in the browser.
    wheels = c.ListOfItems(c.Type(str), default=[])
    # Modules the page's worker imports in the background, in this order, once Python is up.
    preload = c.ListOfItems(c.Type(str), default=["numpy"])
    # Words in a cell's code that mean it needs matplotlib without importing it (a function of
    # a local package that draws); such a cell waits for matplotlib's background step.
    implies_matplotlib = c.ListOfItems(c.Type(str), default=[])
    # Names the {{ expression }} macros of the prose can use: name → "module" or "module:attr";
    # the editor completes the modules' members under the same names (completions.py).
    macros = c.Type(dict, default={})
    # The module whose functions {{ figure("name", ...) }} draws with (its `figure(name)` gives
    # a figure's layout and `theme(scheme)` its colours); "" for no figures.
    figures = c.Type(str, default="")
    # Cached build results (cell outputs, wheels, bytecode, math), relative to mkdocs.yml.
    cache_dir = c.Type(str, default="build")
