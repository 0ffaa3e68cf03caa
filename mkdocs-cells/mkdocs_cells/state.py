"""The state of one build and of the page being rendered: the plugin holds the first, which
holds the second while MkDocs renders that page. Nothing else keeps state between calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import cells, maths, runner
from .store import Store


@dataclass
class Build:
    """What one build shares across its pages."""

    cache: Path  # the plugin's cache_dir, resolved
    salt: str  # what every cached cell output depends on besides its page's code
    macros: dict  # the {{ }} expressions' names
    figures: str  # the module {{ figure() }} draws with
    runner: runner.Runner = field(default_factory=runner.install)
    store: Store = field(default_factory=Store)
    math: maths.Build = None
    widgets: dict = field(default_factory=dict)  # (name, settings) → (data, code, static)
    read_by_css: set[str] | None = None  # custom properties the site's style sheets read

    def __post_init__(self):
        self.math = maths.Build(self.cache / "math")

    def page(self, page) -> Page:
        """The state of ``page``, about to be rendered."""
        run = cells.PageRun(page.file.src_uri, self.salt, self.runner, self.cache / "cells")
        return Page(page, run, self)


@dataclass
class Page:
    """The page being rendered: its cells so far, and the build it belongs to."""

    page: object  # mkdocs.structure.pages.Page
    run: cells.PageRun
    build: Build
    cells: int = 0  # cells and exercises met so far: the next one's number is cells + 1
    widgets: int = 0
    figure_alts: dict = field(default_factory=dict)  # notebook pages: cell number → the runner's alt texts

    @property
    def where(self) -> str:
        """The page's source file, for error messages."""
        return self.page.file.src_uri

    def next_cell(self) -> int:
        self.cells += 1
        return self.cells

    def next_widget(self) -> int:
        self.widgets += 1
        return self.widgets

    def store(self, data: bytes, suffix: str = ".png") -> str:
        """Keep a file for the site; its URL relative to this page."""
        return self.build.store.add(data, suffix, self.page.url)
