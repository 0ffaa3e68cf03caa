"""The pages' math rendered at build, by the site's own KaTeX run in node.

pymdownx.arithmatex (generic mode) leaves each formula as TeX in an element,
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``.
Rendering them in the reader's browser costs a 270 kB script and, on a phone, long tasks of a
few hundred milliseconds. Here the vendored KaTeX renders them once, and each element gets
what KaTeX's auto-render would have put in it (with maths.js's options): the TeX replaced by a
plain ``<span>`` holding KaTeX's output, ``katex.render``'s DOM, which ``renderToString``
writes as markup. tests/test_math_render.py checks this against auto-render in Chromium.

KaTeX's default output, HTML and MathML, is kept: the MathML (with the TeX as its annotation)
is what screen readers read. Results are cached in the plugin's cache (``math/``) by a hash of KaTeX, the
options and the formula, so a rebuild starts node only for new formulas; one node process
serves the whole build. Without node the TeX stays, and maths.js renders it in the browser.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from html import unescape
from pathlib import Path

HERE = Path(__file__).parent
KATEX = HERE / "assets" / "vendor" / "katex" / "katex.min.js"
NODE_PROGRAM = HERE / "node" / "katex.cjs"
# An element as arithmatex writes it: its TeX is escaped text, so it holds no tag.
ELEMENT = re.compile(r'(?P<open><(?P<tag>span|div) class="arithmatex">)(?P<tex>[^<]*)(?P<close></(?P=tag)>)')
# maths.js's delimiters: left → (right, display mode).
DELIMITERS = {"\\(": ("\\)", False), "\\[": ("\\]", True)}



def formula(text: str) -> tuple[str, bool] | None:
    """The (TeX, display) of an element's text, if it is exactly one delimited formula.

    auto-render ends a formula at the first right delimiter outside braces; text that is not
    one whole formula by that rule is left to the browser, which renders it as it always did.
    """
    for left, (right, display) in DELIMITERS.items():
        if text.startswith(left) and end_of_math(text, right, len(left)) == len(text) - len(right):
            return text[len(left):-len(right)], display
    return None


def end_of_math(text: str, right: str, start: int) -> int:
    """Where ``right`` closes the formula begun before ``start``, as auto-render finds it; -1 if never."""
    braces, i = 0, start
    while i < len(text):
        if braces <= 0 and text.startswith(right, i):
            return i
        if text[i] == "\\":
            i += 1  # the escaped character cannot close or open anything
        elif text[i] == "{":
            braces += 1
        elif text[i] == "}":
            braces -= 1
        i += 1
    return -1


class KaTeX:
    """The vendored KaTeX in one node process, started at the first formula not in the cache."""

    def __init__(self, cache: Path, script: Path = KATEX, node: str | None = None):
        self.script, self.cache = script, cache
        self.node = node or shutil.which("node")
        self.version = hashlib.sha256(script.read_bytes() + NODE_PROGRAM.read_bytes()).hexdigest()
        self.process = self.errors = None
        self.elements = 0  # formula elements on the pages
        self.formulas = self.rendered = 0  # distinct on their page, and of those rendered by node
        self.seconds = 0.0

    def key(self, tex: str, display: bool) -> str:
        return hashlib.sha256(f"{self.version}\0{display}\0{tex}".encode()).hexdigest()

    def render(self, formulas: list[tuple[str, bool]]) -> list[str | None]:
        """KaTeX's HTML for each (TeX, display), from the cache or from node; None where it failed."""
        paths = [self.cache / f"{self.key(*f)}.html" for f in formulas]
        out = [path.read_text(encoding="utf-8") if path.is_file() else None for path in paths]
        missing = [i for i, markup in enumerate(out) if markup is None]
        if missing:
            for i, markup in zip(missing, self.run([formulas[i] for i in missing])):
                out[i] = markup
                if markup is not None:
                    self.store(paths[i], markup)
        self.formulas += len(formulas)
        self.rendered += len(missing)
        return out

    def run(self, formulas: list[tuple[str, bool]]) -> list[str | None]:
        """Render in node (started on first use); a batch per call, one JSON line each way."""
        if self.process is None:
            self.errors = tempfile.TemporaryFile()  # node's stderr, closed with the process
            self.process = subprocess.Popen(
                [self.node, str(NODE_PROGRAM), str(self.script)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=self.errors, text=True, encoding="utf-8",
            )
        self.process.stdin.write(json.dumps(formulas) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            self.errors.seek(0)
            raise RuntimeError(f"KaTeX (node) stopped:\n{self.errors.read().decode(errors='replace')}")
        return json.loads(answer)

    def store(self, path: Path, markup: str) -> None:
        """Write a cache entry whole (renamed into place), so a build never reads half of one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(markup, encoding="utf-8")
        partial.replace(path)

    def close(self) -> None:
        if self.process is not None:
            self.process.communicate(timeout=60)  # closes its stdin: node exits
            self.errors.close()
            self.process = None


def render_page(page_html: str, katex: KaTeX) -> str:
    """``page_html`` with each arithmatex element's TeX replaced by KaTeX's rendering of it."""
    start = time.perf_counter()
    elements = list(ELEMENT.finditer(page_html))
    formulas = [formula(unescape(element["tex"])) for element in elements]
    wanted = list(dict.fromkeys(f for f in formulas if f is not None))
    rendered = dict(zip(wanted, katex.render(wanted))) if wanted else {}
    pieces, last = [], 0
    for element, found in zip(elements, formulas):
        if rendered.get(found) is not None:
            pieces += [page_html[last:element.start()], element["open"], "<span>", rendered[found], "</span>",
                       element["close"]]
            last = element.end()
    pieces.append(page_html[last:])
    katex.elements += len(elements)
    katex.seconds += time.perf_counter() - start
    return "".join(pieces)


class Build:
    """The build's math: one KaTeX for all pages, or none without node (the browser renders it)."""

    def __init__(self, cache: Path):
        self.katex = KaTeX(cache) if shutil.which("node") else None
        self.left = 0  # formulas left as TeX for want of node

    def page(self, page_html: str) -> str:
        """The page with its math rendered, or as it is without node."""
        if self.katex is not None:
            return render_page(page_html, self.katex)
        self.left += len(ELEMENT.findall(page_html))
        return page_html

    def close(self) -> str:
        """Stop node; say what was rendered and how long it took, or that node was missing."""
        if self.katex is None:
            return f"math: no node to run KaTeX at build; the browser renders the {self.left} formulas"
        self.katex.close()
        k = self.katex
        return (f"math: {k.elements} formulas rendered at build, {k.formulas} distinct on their page "
                f"({k.rendered} by KaTeX in node, {k.formulas - k.rendered} cached) in {k.seconds:.2f} s")
