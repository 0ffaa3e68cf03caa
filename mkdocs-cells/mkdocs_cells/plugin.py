"""The MkDocs plugin: runnable cells in the Markdown, and the Python runtime they need in the site.

Enabled in mkdocs.yml under ``plugins: - cells:`` (settings: `config.CellsConfig`). The plugin
object holds the state of one build (`state.Build`), which holds the page being rendered
(`state.Page`); the fences and macros get that page passed in.

A build, in MkDocs' order of events:

- ``on_config``: build the local wheels, assemble the runtime (`runtime`) and the editor's
  completion index (`completions`), register the fences
  (``python run`` → `cell`, ``python exercise`` → `exercise`, ``widget`` → `widgets.fence`);
- ``on_pre_page``: a notebook page is set to render the copy of it that the runner executed
  (`notebook_run`), when mkdocs-jupyter's ``execute`` is on (the plugin takes it over);
- ``on_page_markdown``: a new `state.Page`; the ``{{ }}`` macros (`macros`); then Markdown runs
  each fence, whose cells run in CPython (`cells`, `runner`) with their output written under them;
- ``on_page_content``: notebook pages finished (`notebook`), code spans trimmed (`code_spans`);
- ``on_post_page``: math rendered (`maths`), the browser half (``assets/``) linked into the page
  with the runtime settings the worker starts with;
- ``on_post_build``: stored files, ``site/pyodide/``, the assets (with ``completions.json``) and
  Material's palette sheet (`palette`) written into the site; last, the service worker and its
  manifest of every file (`offline`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

from . import (cell, cells, code_spans, completions, exercise, macros, notebook, notebook_run, offline,
               palette, state)
from .config import CellsConfig
from .runtime import Project, Runtime
from .widgets import fence as widget_fence
from .widgets import stylesheet as widget_stylesheet

log = logging.getLogger("mkdocs.plugins.cells")
HERE = Path(__file__).parent
ASSETS = "assets/cells"
# The page's modules, preloaded so the browser fetches them at once, not one import level at a time.
MODULES = ("cells.js", "cell.js", "runtime.js", "notebook.js", "output.js", "storage.js", "share.js",
           "data-plan.js")

# The lesson's networks multiply small matrices, on which OpenBLAS's threads mostly wait for
# each other: on a busy 2-core machine the notebook's training ran 70× slower with them. The
# notebook kernels that mkdocs-jupyter starts inherit this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


class CellsPlugin(BasePlugin[CellsConfig]):
    def __init__(self):
        self.build: state.Build | None = None
        self.page: state.Page | None = None
        self.runtime: Runtime | None = None
        self.notebooks: dict | None = None  # mkdocs-jupyter's settings, if it runs notebooks at build
        self.completions: dict = {}  # the editor's completion index (completions.py)
        self.serving = False  # under `mkdocs serve`: no service worker (offline.py)

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        config_dir = Path(config.config_file_path).parent
        cache = (config_dir / self.config.cache_dir).resolve()
        fresh_modules([Project(config_dir / folder).package for folder in self.config.wheels])
        self.runtime = Runtime(self.config, config_dir, cache)
        log.info(self.runtime.prepare())
        packages = self.runtime.packages
        self.completions, how = completions.build(dict(self.config.macros), self.runtime, cache)
        log.info(how)
        self.build = state.Build(
            cache=cache, salt=cells.salt(self.runtime.source_hash(), ",".join(packages)),
            macros=dict(self.config.macros), figures=self.config.figures,
        )
        self.build.runner.packages = packages  # what `!pip install` says is available, as in the page
        notebooks = config.plugins.get("mkdocs-jupyter")
        if notebooks is not None:
            # mkdocs-jupyter caches a rendered notebook by its own text; its outputs also depend
            # on the runner and the local packages, so a change there must run it again.
            key = hashlib.sha256(self.build.salt.encode()).hexdigest()[:16]
            notebooks.config["cache_dir"] = str(cache / "notebooks" / key)
            # The cells' runner executes notebooks, as their pages run them (notebook_run).
            self.notebooks = dict(notebooks.config) if notebooks.config["execute"] else None
            notebooks.config["execute"] = False
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
        for module, name in ((cell, "python"), (exercise, "python"), (widget_fence, "widget")):
            fences.append({"name": name, "class": name, "validator": module.validate,
                           "format": self.fence(module.format)})
        return config

    def fence(self, format):
        """A superfences formatter that gives ``format`` the page being rendered."""
        def bound(source, language, class_name, options, md, **kwargs):
            return format(self.page, source, options, md)
        return bound

    def on_serve(self, server, config, builder):
        # Beyond docs/ and mkdocs.yml: what pages are made from. A change rebuilds with fresh
        # modules of the local packages (on_config) and a new wheel for the browser.
        for folder in [*self.runtime.watched(), HERE / "assets", HERE / "widgets", *config.theme.dirs[:1]]:
            server.watch(str(folder))
        return server

    def on_pre_page(self, page, config, files):
        if self.notebooks is not None and notebook.is_notebook(page) and not any(
                Path(page.file.abs_src_path).match(pattern) for pattern in self.notebooks["execute_ignore"]):
            def run():
                state = self.page_or_new(page)
                try:
                    copy, state.figure_alts = notebook_run.run_copy(
                        page.file.abs_src_path, state, self.notebooks["allow_errors"])
                except cells.CellError as error:
                    raise PluginError(str(error)) from None
                return copy
            notebook_run.render_executed(page, run)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        self.page = self.build.page(page)
        try:
            return macros.expand(markdown, self.page)
        except macros.MacroError as error:
            raise PluginError(str(error)) from None

    def on_page_content(self, html, page, config, files):
        if notebook.is_notebook(page):
            state = self.page_or_new(page)
            try:
                finished = notebook.finish(html, page.file.abs_src_path, state.store, self.read_by_css(config),
                                           state.figure_alts, notebook.site_urls(page, files), state.where)
                html = widget_fence.slots(state, finished)
            except ValueError as error:
                raise PluginError(str(error)) from None
        return code_spans.unwrap(html)

    def read_by_css(self, config) -> set[str]:
        """The custom properties the theme's and the plugin's style sheets read (once a build)."""
        if self.build.read_by_css is None:
            self.build.read_by_css = notebook.read_by_style_sheets([*config.theme.dirs, HERE])
        return self.build.read_by_css

    def page_or_new(self, page) -> state.Page:
        """The state of ``page`` (notebook pages skip on_page_markdown)."""
        if self.page is None or self.page.page is not page:
            self.page = self.build.page(page)
        return self.page

    def on_post_page(self, output, page, config):
        # After on_page_context, where the search index takes the page's text: it keeps the TeX.
        output = self.build.math.page(output)
        self.page = None
        url = lambda path: get_relative_url(path, page.url)  # noqa: E731
        return link_assets(output, url, self.settings(url))

    def on_post_template(self, output, template_name, config):
        # Pages from templates alone (Material's 404.html) are served at any path: absolute URLs.
        if not template_name.endswith(".html"):
            return output
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        url = lambda path: root + path  # noqa: E731
        return link_assets(output, url, self.settings(url))

    def settings(self, url) -> dict:
        """A page's runtime settings (runtime.js, offline.js)."""
        return {**self.runtime.settings(url), **offline.settings(url, self.serving)}

    def on_post_build(self, config):
        site = Path(config.site_dir)
        log.info(self.build.math.close())
        self.build.store.write(site)
        log.info(self.runtime.write(site))
        copy_assets(site / ASSETS)
        completions.write(site / ASSETS, self.completions)
        for module in ("runner.py", "magics.py"):  # the worker's Python
            (site / ASSETS / module).write_bytes((HERE / module).read_bytes())
        (site / ASSETS / "widgets" / "widgets.css").write_text(widget_stylesheet(), encoding="utf-8")
        if config.theme.name == "material":
            try:
                palette.write(config.theme.dirs, site)
            except ValueError as error:
                raise PluginError(str(error)) from None
        if not self.serving:  # last: it lists every file of the site
            log.info(offline.write(site, self.runtime))


def fresh_modules(packages: list[Path]) -> None:
    """Forget the modules of the local ``packages`` (and the widgets built on them), so that a
    rebuild under `mkdocs serve` imports the sources as they are now."""
    folders = tuple(f"{package}{os.sep}" for package in packages)
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if name.startswith(f"{__package__}.widgets.") or (folders and path.startswith(folders)):
            del sys.modules[name]
    importlib.invalidate_caches()


def copy_assets(target: Path) -> None:
    """The browser half: ``assets/`` as it is, and the widgets' scripts and styles."""
    # The service worker goes to the site's root instead (offline.py).
    shutil.copytree(HERE / "assets", target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(offline.WORKER))
    for path in (HERE / "widgets").rglob("*"):
        if path.suffix in (".js", ".css"):
            out = target / "widgets" / path.relative_to(HERE / "widgets")
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out)


def link_assets(html: str, site_url, settings: dict) -> str:
    """The page with the cells' settings, style sheets and scripts linked in.

    The settings, the class that keeps room for the cells' toolbars and the return visit's
    early start go right after the title, before the style sheets (a script after them waits
    for them); the style sheets after the theme's; the other scripts at the end of the body,
    after the theme's bundle. ``site_url(path)`` is the page's URL of the site's file at
    ``path``.
    """
    url = lambda path: site_url(f"{ASSETS}/{path}")  # noqa: E731
    has_cells = 'class="cl-cell' in html or "jupyter-wrapper" in html
    data = json.dumps(settings, separators=(",", ":")).replace("</", "<\\/")
    head = f'<script id="cells-runtime" type="application/json">{data}</script>'
    if has_cells:
        head += '<script>document.documentElement.classList.add("cl-js")</script>'
        # Async: it runs once it and its imports are fetched, as the page loads (snapshot.js is
        # preloaded here, the page's own modules below).
        head += f'<link rel="modulepreload" href="{url("snapshot.js")}">'
        head += f'<script type="module" async src="{url("return-visit.js")}"></script>'
    sheets = ["cells.css", "widgets/widgets.css", "a11y.css"]
    if "arithmatex" in html:
        sheets.append("vendor/katex/katex.min.css")
    styles = "".join(f'<link rel="stylesheet" href="{url(sheet)}">' for sheet in sheets)
    scripts = "".join(f'<link rel="modulepreload" href="{url(module)}">' for module in MODULES)
    scripts += f'<script type="module" src="{url("cells.js")}"></script>'
    if has_cells:
        # The editor (the largest script) comes after the cells' controls, which work without it;
        # async, so it is in place by the load event without holding up the page's first paint.
        scripts += f'<script type="module" async src="{url("editor.js")}"></script>'
    for module in ("widgets/widgets.js", "maths.js", "a11y.js", "palette.js", "offline.js"):
        scripts += f'<script type="module" src="{url(module)}"></script>'
    html = html.replace("</title>", "</title>" + head, 1)
    html = html.replace("</head>", styles + "</head>", 1)
    at = html.rfind("</body>")
    return html[:at] + scripts + html[at:]
