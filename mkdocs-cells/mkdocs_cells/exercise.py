"""The ```` ```python exercise ```` fence: code the reader completes, checked in the page.

One fence holds the whole exercise, in sections opened by ``#|`` lines::

    ```python exercise
    out = ...                       # the starter code the reader edits
    #| check
    assert out.shape == (32, 32), f"your output has shape {out.shape}; ..."
    #| solution
    out = cl.conv2d(image, kernel, padding=1)
    #| wrong: with padding 1 it should be (32, 32)
    out = cl.conv2d(image, kernel)
    #| hint
    Padding adds rows and columns of zeros around the image: how many does a 3×3 kernel need?
    #| hint
    `cl.conv2d(image, kernel, padding=1)` keeps 32×32.
    ```

The check runs in the page's namespace after the reader's code; an ``AssertionError`` message
is what the reader is told. At build the solution must pass the check and every ``wrong``
answer must fail it with a message containing the text after ``wrong:``, so a page cannot
ship an exercise whose check is broken. ``#| hint`` sections (Markdown, in order) are
progressive hints. The reader sees the starter in a cell with a **Check** button, then each
hint behind the one before it ("Hint 1", inside it "Hint 2", …), then the solution behind a
"Show a solution" control.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown

from pymdownx.superfences import SuperFencesException

from . import cell

MARKER = "exercise"


@dataclass
class Exercise:
    starter: str
    check: str
    solution: str
    wrong: list[tuple[str, str]] = field(default_factory=list)  # (code, expected message)
    hints: list[str] = field(default_factory=list)  # Markdown, first to last


def parse(source: str) -> Exercise:
    """Split a fence's body into starter, check, solution and wrong answers."""
    sections: list[tuple[str, list[str]]] = [("starter", [])]
    for line in source.splitlines():
        if line.startswith("#|"):
            sections.append((line[2:].strip(), []))
        else:
            sections[-1][1].append(line)
    found = {"check": None, "solution": None}
    wrong, hints = [], []
    starter = ""
    for name, lines in sections:
        code = "\n".join(lines).strip("\n")
        if name == "starter":
            starter = code
        elif name in found:
            found[name] = code
        elif name.startswith("wrong:"):
            wrong.append((code, name.removeprefix("wrong:").strip()))
        elif name == "hint":
            hints.append(code)
        else:
            raise ValueError(f"unknown section `#| {name}`; use check, solution, hint or wrong: <message>")
    missing = [name for name, code in found.items() if not code]
    if missing:
        raise ValueError(f"the exercise has no `#| {missing[0]}` section")
    return Exercise(starter, found["check"], found["solution"], wrong, hints)


def exercises_in(markdown: str) -> list[Exercise]:
    """The exercises of a page's Markdown, in page order (not those shown inside longer fences)."""
    shown = re.compile(r"(?ms)^(?P<fence>`{4,}|~{4,}).*?^(?P=fence)[ \t]*$")
    fence = re.compile(r"(?ms)^```python exercise[ \t]*\n(?P<body>.*?)^```[ \t]*$")
    return [parse(match["body"]) for match in fence.finditer(shown.sub("", markdown))]


def validate(language, inputs, options, attrs, md) -> bool:
    if MARKER not in inputs:
        return False
    if set(inputs) != {MARKER}:
        raise SuperFencesException(f"`python exercise` takes no options, got {sorted(set(inputs) - {MARKER})}")
    options.update(inputs)
    return True


def feedback(runner, namespace: dict, attempt: str, check: str) -> tuple[bool, str]:
    """Run ``attempt`` then ``check`` in a copy of ``namespace``: (passed, what went wrong)."""
    name = f"exercise:{id(namespace)}"
    runner.fork(namespace, name)
    try:
        ran = runner.run(attempt, name, "exercise", lambda kind, payload: None)
        if "error" in ran:
            return False, ran["error"]["traceback"]
        checked = runner.run(check, name, "check", lambda kind, payload: None)
        return "error" not in checked, checked.get("error", {}).get("message", "")
    finally:
        runner.reset(name)


def verify(runner, exercise: Exercise, namespace: dict) -> None:
    """Fail unless the solution passes and each wrong answer fails with its expected message."""
    passed, why = feedback(runner, namespace, exercise.solution, exercise.check)
    if not passed:
        raise ValueError(f"the solution does not pass the check: {why}")
    for code, expected in exercise.wrong:
        passed, why = feedback(runner, namespace, code, exercise.check)
        if passed or expected not in why:
            said = "passes the check" if passed else f"fails with {why!r}"
            raise ValueError(f"the wrong answer {code!r} {said}; expected a message containing {expected!r}")


def format(page, source: str, options: dict, md) -> str:
    """The exercise's markup, once its solution and wrong answers are verified (``page`` is the
    `state.Page`)."""
    number = page.next_cell()
    where = f"{page.where}: exercise in cell {number}"
    try:
        exercise = parse(source)
    except ValueError as error:
        raise SuperFencesException(f"{where}: {error}") from None
    page.run.add_exercise(number, source)
    if page.run.cached("verified") is None:
        try:
            verify(page.run.runner, exercise, page.run.namespace_before(number))
        except ValueError as error:
            raise SuperFencesException(f"{where}: {error}") from None
        page.run.cache("verified", True)
    starter = cell.cell_html(number, exercise.starter, md, rendered="", flags=" data-exercise")
    solution = cell.highlight(exercise.solution, md)
    return (
        f'<div class="cl-exercise">\n{starter}\n'
        f'<textarea class="cl-exercise__check" hidden>{html.escape(exercise.check)}</textarea>\n'
        f"{hints_html(exercise.hints)}"
        f'<details class="cl-exercise__solution"><summary>Show a solution</summary>\n{solution}\n</details>\n'
        "</div>"
    )


def hints_html(hints: list[str]) -> str:
    """Each hint behind the one before it: "Hint 2" opens inside "Hint 1". A hint is Markdown
    with inline code and math (rendered with the page's, after the build)."""
    nested = ""
    for number, hint in reversed(list(enumerate(hints, 1))):
        text = markdown.markdown(hint, extensions=["pymdownx.arithmatex"],
                                 extension_configs={"pymdownx.arithmatex": {"generic": True}})
        nested = (f'<details class="cl-exercise__hint"><summary>Hint {number}</summary>\n'
                  f"{text}\n{nested}</details>\n")
    return nested
