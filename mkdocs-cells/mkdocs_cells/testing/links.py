"""Check the links and assets of a built site, offline.

- every internal ``href``/``src``/``srcset`` of every HTML page resolves to a file of the build,
  and every ``#fragment`` pointing at a page to an ``id`` (or ``<a name>``) on that page;
- every ``url(...)`` in the site's CSS, and every relative ``import``/``new URL(…)`` in its own
  JavaScript modules, names a file that exists;
- every page in ``sitemap.xml`` and every location in the search index exists (with its anchor);
- no asset (script, stylesheet, image, icon, frame, media, module) is loaded from another host:
  the site makes no request outside its own origin. Links *to* other sites are fine; they are
  not followed (no network here).

    python -m mkdocs_cells.testing.links site/ [--site-url http://127.0.0.1:8000/]

``--site-url`` is the ``site_url`` the site was built with (absolute links to it count as
internal); by default it is read from ``sitemap.xml``. Exit status 1 if anything is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
# (tag, attribute) pairs whose URL the browser fetches on its own: an asset, not a link.
ASSET_ATTRS = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"),
    ("embed", "src"), ("object", "data"), ("input", "src"), ("image", "href"), ("use", "href"),
}
ASSET_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
              "prefetch", "manifest", "mask-icon"}
LINK_ATTRS = {("a", "href"), ("area", "href"), ("link", "href"), ("form", "action")}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)""")
JS_IMPORT = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,$]+\sfrom\s*)?|\bimport\(\s*|\bexport\s*[\w*{}\s,$]+\sfrom\s*|new URL\(\s*)"""
    r"""(['"])(?P<url>\.{1,2}/[^'"$`]+)\1""")


class Page(HTMLParser):
    """One HTML page: the ids it defines and the URLs it refers to, as (tag, attr, url, is_asset)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        rels = set((attrs.get("rel") or "").lower().split())
        for attr, value in attrs.items():
            if value is None:
                continue
            if (tag, attr) in ASSET_ATTRS or (tag == "link" and attr == "href" and rels & ASSET_RELS):
                urls = [part.split()[0] for part in value.split(",") if part.split()] if attr == "srcset" else [value]
                self.refs.extend((tag, attr, url.strip(), True) for url in urls)
            elif (tag, attr) in LINK_ATTRS:
                self.refs.append((tag, attr, value.strip(), False))

    handle_startendtag = handle_starttag


class Checker:
    def __init__(self, site: Path, site_url: str | None = None):
        self.site = site.resolve()
        self.base = (site_url or sitemap_base(site) or "http://site.invalid/").rstrip("/") + "/"
        self.pages: dict[Path, Page] = {}
        self.problems: list[str] = []

    def page(self, path: Path) -> Page:
        if path not in self.pages:
            parser = Page()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            self.pages[path] = parser
        return self.pages[path]

    def url_of(self, path: Path) -> str:
        return urljoin(self.base, path.relative_to(self.site).as_posix())

    def target(self, url: str) -> Path | None:
        """The file of the build that an internal URL names, or None if the URL is external."""
        parts, base = urlsplit(url), urlsplit(self.base)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(base.path):
            return None
        path = self.site / unquote(parts.path[len(base.path):])
        return path / "index.html" if path.is_dir() or parts.path.endswith("/") else path

    def check_ref(self, where: str, source_url: str, ref: str, asset: bool, what: str):
        if not ref or ref.startswith(SKIPPED_SCHEMES):
            return
        url = urljoin(source_url, ref)
        if not url.startswith(("http:", "https:", "//")):
            return
        path = self.target(url)
        if path is None:
            if asset:
                self.problems.append(f"{where}: {what} loads {ref!r} from another host")
            return
        if not path.is_file():
            self.problems.append(f"{where}: {what} {ref!r}: no such file in the build ({path.relative_to(self.site)})")
            return
        fragment = urlsplit(url).fragment
        if fragment and path.suffix == ".html" and not asset and unquote(fragment) not in self.page(path).ids:
            self.problems.append(f"{where}: {what} {ref!r}: no id {unquote(fragment)!r} on that page")

    def run(self) -> list[str]:
        for path in sorted(self.site.rglob("*.html")):
            where = path.relative_to(self.site).as_posix()
            for tag, attr, ref, asset in self.page(path).refs:
                self.check_ref(where, self.url_of(path), ref, asset, f"<{tag} {attr}>")
        for path in sorted(self.site.rglob("*.css")):
            where = path.relative_to(self.site).as_posix()
            text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.S)
            for match in CSS_URL.finditer(text):
                self.check_ref(where, self.url_of(path), match["url"].strip(), True, "url()")
        for path in sorted((self.site / "assets").rglob("*.js")):
            if {"vendor", "javascripts"} & set(path.relative_to(self.site).parts):
                continue  # minified third-party code: the theme's (javascripts/) and vendored
            where = path.relative_to(self.site).as_posix()
            for match in JS_IMPORT.finditer(path.read_text(encoding="utf-8")):
                if match["url"].endswith("/"):  # a base URL for later ones: the folder must exist
                    if not (path.parent / match["url"]).is_dir():
                        self.problems.append(f"{where}: {match['url']!r}: no such folder in the build")
                    continue
                self.check_ref(where, self.url_of(path), match["url"], True, "import")
        self.check_sitemap()
        self.check_search_index()
        return self.problems

    def check_sitemap(self):
        sitemap = self.site / "sitemap.xml"
        if not sitemap.is_file():
            return
        for loc in ET.parse(sitemap).getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            self.check_ref("sitemap.xml", self.base, loc.text.strip(), False, "<loc>")

    def check_search_index(self):
        index = self.site / "search" / "search_index.json"
        if not index.is_file():
            return
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            self.check_ref("search/search_index.json", self.base, doc["location"] or "./", False, "location")


def sitemap_base(site: Path) -> str | None:
    """The site_url the site was built with: the first page of its sitemap (the home page)."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return None
    locs = [loc.text.strip() for loc in ET.parse(sitemap).getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    return min(locs, key=len) if locs else None


def check(site: Path, site_url: str | None = None) -> list[str]:
    """Everything wrong with the links and assets of the built ``site``, one line each."""
    return Checker(site, site_url).run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--site-url")
    args = parser.parse_args()
    problems = check(args.site, args.site_url)
    print("\n".join(problems) or f"{args.site}: every link and asset resolves, all on the site's own host")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
