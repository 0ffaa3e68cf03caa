"""Every exercise of the lesson, checked in Chromium as a reader would: Check, then the verdict."""

import pytest

from conftest import PYTHON_TIMEOUT_MS, ROOT
from mkdocs_cells.exercise import exercises_in

pytestmark = pytest.mark.browser


def pages_with_exercises():
    docs = ROOT / "docs"
    for path in sorted(docs.rglob("*.md")):
        exercises = exercises_in(path.read_text())
        if exercises:
            parts = path.relative_to(docs).with_suffix("").parts
            url = "".join(f"{part}/" for part in (parts[:-1] if parts[-1] == "index" else parts))
            yield pytest.param(url, exercises, id=url or "home")


def check(page, box, code):
    """Put `code` in the exercise's cell, press Check, return the verdict shown."""
    box.get_by_role("textbox").fill(code)
    feedback = box.locator(".cl-exercise__feedback")
    box.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_function("f => f.dataset.passed === 'true' || f.dataset.passed === 'false'",
                           arg=feedback.element_handle(), timeout=PYTHON_TIMEOUT_MS)
    return feedback.get_attribute("data-passed") == "true", feedback.inner_text()


@pytest.mark.parametrize("url, exercises", list(pages_with_exercises()))
def test_each_exercise_accepts_its_solution_and_rejects_wrong_answers(page, server, url, exercises):
    """The solution is accepted; each typical wrong answer gets its specific message; so does the starter."""
    page.goto(server.url + url)
    boxes = page.locator(".cl-exercise")
    assert boxes.count() == len(exercises)
    for index, exercise in enumerate(exercises):
        box = boxes.nth(index)
        passed, said = check(page, box, exercise.starter)
        assert not passed and said.startswith("Not yet"), said
        for code, expected in exercise.wrong:
            passed, said = check(page, box, code)
            assert not passed and expected in said, f"wrong answer {code!r} got {said!r}"
        passed, said = check(page, box, exercise.solution)
        assert passed and said == "Correct! Your code passes the check.", said


def test_solution_can_be_revealed(page, server):
    """The solution is hidden until the reader asks for it."""
    page.goto(server.url + "authoring/")
    solution = page.locator(".cl-exercise__solution").first
    code = solution.locator("pre")
    assert not code.is_visible()
    solution.get_by_text("Show a solution").click()
    assert code.is_visible() and 'np.correlate(signal, [1, 0, -1], mode="valid")' in code.inner_text()
