"""Material's palette style sheet, without the rule that restyles the whole page as it loads.

While the palette changes, Material sets ``data-md-color-switching`` on ``<body>``, and its
style sheet stops every transition under it: ``[data-md-color-switching] *``. Material also
sets and clears that attribute once on every page load, and because of that rule each of the
two changes makes the browser restyle every element of the page: a long task on a page full of
code or formulas. The build takes the rule out; ``palette.js`` stops transitions the same way,
under its own attribute, only when the reader switches the palette.
"""

from __future__ import annotations

from pathlib import Path

SWITCHING = (
    "[data-md-color-switching] *,"
    "[data-md-color-switching] :after,"
    "[data-md-color-switching] :before"
    "{transition-duration:0s!important}"
)


def without_switching(css: str) -> str:
    """The style sheet without its ``[data-md-color-switching]`` rule."""
    if css.count(SWITCHING) != 1:
        raise ValueError(
            "Material's palette style sheet no longer has its [data-md-color-switching] rule as "
            "mkdocs_cells/palette.py knows it: update SWITCHING there to the new rule"
        )
    return css.replace(SWITCHING, "")


def write(theme_dirs: list[str], site: Path) -> Path:
    """Write the site's copy of Material's palette style sheet, without the rule; its path.

    Read from the theme, not from the site: ``mkdocs serve`` rebuilds into a site where the
    theme's files are already, and this one already rewritten."""
    for folder in theme_dirs:
        for theirs in (Path(folder) / "assets" / "stylesheets").glob("palette.*.min.css"):
            ours = site / theirs.relative_to(folder)
            ours.write_text(without_switching(theirs.read_text(encoding="utf-8")), encoding="utf-8")
            return ours
    raise ValueError(f"no palette style sheet (assets/stylesheets/palette.*.min.css) in {theme_dirs}")
