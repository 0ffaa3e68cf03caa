"""Numbers and figures in the prose are computed at build (scripts/page_macros.py)."""

import re

import pytest

import cell_fence
import page_macros


class FakePage:
    url = "lesson/"


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setattr(cell_fence.CurrentPage, "page", FakePage())
    monkeypatch.setattr(cell_fence.CurrentPage, "images", {})
    return cell_fence.CurrentPage


class TestNumbers:
    def test_integers_get_thousands_separators(self):
        """A computed integer is written the way the prose writes numbers."""
        assert page_macros.expand("{{ cl.conv2d_params(64, 128, 3) }} parameters", "p.md") == "73,856 parameters"

    def test_format_spec(self):
        """`:spec` formats the value as an f-string would."""
        assert page_macros.expand("{{ 1 / 3 :.2f }} and {{ 0.25 :.0% }}", "p.md") == "0.33 and 25%"

    def test_code_is_left_alone(self):
        """Inline code and fenced blocks keep their braces, so pages can document the syntax."""
        text = "`{{ 1 + 1 }}`\n\n```python\nx = {{ 2 }}\n```\n\n````markdown\n{{ 3 }}\n````\n{{ 4 }}"
        assert page_macros.expand(text, "p.md") == text.replace("{{ 4 }}", "4")

    def test_error_names_the_page_and_expression(self):
        """A failing expression stops the build with the page and what failed."""
        with pytest.raises(page_macros.MacroError, match=r"p\.md: \{\{ cl\.nope\(\) \}\} failed: AttributeError"):
            page_macros.expand("{{ cl.nope() }}", "p.md")


def test_figure_has_a_light_and_a_dark_image(page):
    """A figure is drawn twice, one image per Material colour scheme, both with the alt text."""
    html = page_macros.figure("residual_block", alt="A residual block")
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"', html)
    assert [src.rsplit("#", 1)[1] for src, *_ in images] == ["only-light", "only-dark"]
    assert all(alt == "A residual block" for _, alt, *_ in images)
    assert len(page.images) == 2 and all(png.startswith(b"\x89PNG") for png in page.images.values())
    assert images[0][0].startswith("../assets/cells/")
