"""MkDocs hooks: runnable cells in the Markdown, and the Python runtime they need in the site.

Registered in ``mkdocs.yml`` under ``hooks:``. MkDocs puts this folder on ``sys.path`` while
it imports the hook, so the sibling modules import as plain modules.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

import cell_exec
import cell_fence
import exercise_fence
import page_macros
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


def on_post_build(config):
    site = Path(config.site_dir)
    for name, data in cell_fence.CurrentPage.images.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    log.info(site_runtime.write(config))
