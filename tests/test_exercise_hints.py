"""Progressive hints in an exercise fence (mkdocs_cells/exercise.py): each behind the one before."""

import re

import pytest

from conftest import ROOT
from mkdocs_cells.exercise import exercises_in, hints_html, parse

AUTHORS_PAGES = {"authoring.md", "figures.md"}  # their exercises demonstrate the syntax

FENCE = """\
out = ...
#| check
assert out == 4, "not yet"
#| solution
out = 2 + 2
#| hint
Add `2` and `2`.
#| hint
The sum is \\(2 + 2\\).
"""


def test_hints_are_parsed_in_order():
    """`#| hint` sections become the exercise's hints, first to last, apart from its code."""
    exercise = parse(FENCE)
    assert exercise.hints == ["Add `2` and `2`.", "The sum is \\(2 + 2\\)."]
    assert exercise.solution == "out = 2 + 2"


def test_second_hint_opens_inside_the_first():
    """The reader opens Hint 1 first; Hint 2 is inside it; inline code and math are kept."""
    rendered = hints_html(parse(FENCE).hints)
    summaries = re.findall(r"<summary>(.*?)</summary>", rendered)
    assert summaries == ["Hint 1", "Hint 2"]
    first, second = rendered.index("Hint 1"), rendered.index("Hint 2")
    assert rendered.index("</details>") > second > first  # Hint 1 closes after Hint 2
    assert "<code>2</code>" in rendered and '<span class="arithmatex">' in rendered


def test_unknown_section_names_the_allowed_ones():
    """A misspelt section stops the build and says which sections exist."""
    with pytest.raises(ValueError, match="check, solution, hint or wrong"):
        parse(FENCE.replace("#| hint", "#| hints", 1))


def lesson_exercises():
    docs = ROOT / "docs"
    for path in sorted(docs.glob("*.md")):
        if path.name not in AUTHORS_PAGES:
            for number, exercise in enumerate(exercises_in(path.read_text()), 1):
                yield pytest.param(exercise, id=f"{path.stem}-{number}")


@pytest.mark.parametrize("exercise", list(lesson_exercises()))
def test_every_lesson_exercise_has_progressive_hints(exercise):
    """A first hint, then a second, before the solution; the second must say more than the first."""
    assert len(exercise.hints) >= 2, "give the exercise a first and a second hint (#| hint)"
    assert exercise.hints[0] != exercise.hints[1]
