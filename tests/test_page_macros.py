"""Numbers and figures in the prose are computed at build (mkdocs_cells/macros.py)."""

import re

import pytest

from mkdocs_cells import macros as page_macros
from mkdocs_cells import state


class FakeFile:
    src_uri = "p.md"


class FakePage:
    url = "lesson/"
    file = FakeFile()


@pytest.fixture
def page(tmp_path):
    """A page of a build whose macros are the site's (cl, np) and whose figures are cl.plots."""
    build = state.Build(cache=tmp_path, salt="test", macros={"cl": "convlesson", "np": "numpy"},
                        figures="convlesson.plots")
    return build.page(FakePage())


class TestNumbers:
    def test_integers_get_thousands_separators(self, page):
        """A computed integer is written the way the prose writes numbers."""
        assert page_macros.expand("{{ cl.conv2d_params(64, 128, 3) }} parameters", page) == "73,856 parameters"

    def test_format_spec(self, page):
        """`:spec` formats the value as an f-string would."""
        assert page_macros.expand("{{ 1 / 3 :.2f }} and {{ 0.25 :.0% }}", page) == "0.33 and 25%"

    def test_code_is_left_alone(self, page):
        """Inline code and fenced blocks keep their braces, so pages can document the syntax."""
        text = "`{{ 1 + 1 }}`\n\n```python\nx = {{ 2 }}\n```\n\n````markdown\n{{ 3 }}\n````\n{{ 4 }}"
        assert page_macros.expand(text, page) == text.replace("{{ 4 }}", "4")

    def test_error_names_the_page_and_expression(self, page):
        """A failing expression stops the build with the page and what failed."""
        with pytest.raises(page_macros.MacroError, match=r"p\.md: \{\{ cl\.nope\(\) \}\} failed: AttributeError"):
            page_macros.expand("{{ cl.nope() }}", page)


def test_figure_has_a_light_and_a_dark_image(page):
    """A figure is drawn twice, one image per Material colour scheme, both with the alt text."""
    html = page_macros.figure(page, "residual_block", alt="A residual block")
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"', html)
    assert [src.rsplit("#", 1)[1] for src, *_ in images] == ["only-light", "only-dark"]
    assert all(alt == "A residual block" for _, alt, *_ in images)
    stored = page.build.store.files
    assert len(stored) == 2 and all(png.startswith(b"\x89PNG") for png in stored.values())
    assert images[0][0].startswith("../assets/cells/")
