"""MkDocs hooks: runnable cells in the Markdown, and the Python runtime they need in the site.

Registered in ``mkdocs.yml`` under ``hooks:``. MkDocs puts this folder on ``sys.path`` while
it imports the hook, so the sibling modules import as plain modules.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError

# The lesson's networks multiply small matrices, on which OpenBLAS's threads mostly wait for
# each other: on a busy 2-core machine the notebook's training ran 70× slower with them. The
# notebook kernels that mkdocs-jupyter starts inherit this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cell_exec
import cell_fence
import code_spans
import exercise_fence
import math_render
import notebook_page
import page_macros
import palette_css
import site_runtime
import widget_fence

log = logging.getLogger("mkdocs.hooks.convlesson")
salt = ""


def on_config(config):
    global salt
    source = config.extra.setdefault("pyodide", "self")
    if source not in site_runtime.SOURCES:
        raise ValueError(
            f"mkdocs.yml: extra.pyodide is {source!r}; use one of {sorted(site_runtime.SOURCES)}"
        )
    config.extra["pyodide_index_url"] = site_runtime.SOURCES[source]
    config.extra["convlesson_wheel"] = site_runtime.build_wheel().name
    salt = cell_exec.salt()
    notebooks = config.plugins.get("mkdocs-jupyter")
    if notebooks is not None:
        # mkdocs-jupyter caches an executed notebook by its own text; its outputs also depend on
        # convlesson, so a change there must run it again.
        notebooks.config["cache_dir"] = str(cell_exec.CACHE.parent / "notebooks" / site_runtime.source_hash()[:16])
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    for fence in (cell_fence, exercise_fence):
        fences.append({"name": "python", "class": "python", "validator": fence.validate, "format": fence.format})
    fences.append({"name": "widget", "class": "widget", "validator": widget_fence.validate, "format": widget_fence.format})
    return config


def on_page_markdown(markdown, page, config, files):
    cell_fence.CurrentPage.start(page, salt)
    try:
        return page_macros.expand(markdown, page.file.src_uri)
    except page_macros.MacroError as error:
        raise PluginError(str(error)) from None


def on_page_content(html, page, config, files):
    if not notebook_page.is_notebook(page):
        return code_spans.unwrap(html)
    try:
        return notebook_page.finish(
            html, page.file.abs_src_path, lambda png: cell_fence.store_image(png, page.url),
        )
    except ValueError as error:
        raise PluginError(str(error)) from None


def on_post_page(output, page, config):
    # After on_page_context, where the search index takes the page's text: it keeps the TeX.
    return math_render.page(output)


def on_post_build(config):
    log.info(math_render.finish())
    site = Path(config.site_dir)
    for name, data in cell_fence.CurrentPage.images.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    log.info(site_runtime.write(config))
    try:
        palette_css.write(config.theme.dirs, site)
    except ValueError as error:
        raise PluginError(str(error)) from None
