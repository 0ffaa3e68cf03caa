"""Keep only the CSS rules that can match a page: the notebook pages' style sheets made small.

mkdocs-jupyter puts JupyterLab's whole style sheet (575 KB, every rule under
``.jupyter-wrapper``) into each notebook page, for widgets, menus, dialogs and editors the page
never shows. The browser parses it and matches every rule against every element it lays out,
which delays the page's first paint. Most rules name a class the page has nowhere: such a rule
can match no element, so the page looks the same without it.

:func:`prune` keeps a rule when it can match, judged by the classes it names (and by where
``:root`` stands), conservatively:

- A selector needs every class written at its top level (``.a .b > .c:hover`` needs a, b and
  c): an element matching it has them, and so has an ancestor or a sibling of it.
- Classes inside a functional pseudo-class are not needed: ``:not(.x)`` matches where ``x`` is
  absent (the other functions, ``:nth-child(2 of .x)`` say, are left unread, which only keeps
  more). A selector with ``:is(``, ``:where(`` or ``:has(`` is kept whole: which of their
  classes matter depends on how they are combined.
- Selectors without classes (elements, attributes, ``:root``) are kept, except those where
  ``:root`` follows a combinator: mkdocs-jupyter scoped JupyterLab's ``:root`` rules (its
  icons, 80 KB) as ``.jupyter-wrapper :root``, which no element can match.
- A selector list is cut down to the selectors that can match, unless it holds a
  vendor-prefixed pseudo-class or pseudo-element (``::-moz-placeholder``): a browser that does
  not know it ignores the whole rule, and removing it from the list would make the rest apply.
  Such a list is kept whole or dropped whole.
- ``@media`` and ``@supports`` keep the rules inside them that can match, and go when none can.
- ``@keyframes`` and ``@font-face`` stay only when a kept declaration names them (any word of
  any value counts, custom properties' included: ``--x: spin 1s`` may become an animation).
- Other at-rules stay as they are; ``@charset`` goes (a ``<style>`` element ignores it).

The result is re-serialized by tinycss2, comments and parse errors left out (a browser skips
the same errors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tinycss2
from tinycss2 import ast

GROUPS = {"media", "supports"}  # at-rules holding style rules, pruned like the sheet
WHOLE = {"is", "where", "has"}  # pseudo-classes whose selectors are kept whole


def prune(css: str, classes: Iterable[str], read: Iterable[str] | None = None) -> str:
    """``css`` without the rules that no element carrying only ``classes`` can match; with
    ``read`` (the custom properties that the rest of the page reads), also without the custom
    properties that nothing reads."""
    classes = set(classes)
    rules = matching(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), classes)
    rules = without_unused_names(rules, words_in_declarations(rules))
    if read is not None:
        rules = without_unread_properties(rules, set(read))
    return tinycss2.serialize(rules)


VAR = re.compile(r"var\(\s*(--[\w-]+)")


def var_names(text: str) -> set[str]:
    """The custom properties that ``text`` (CSS, or a page's inline styles) reads with ``var()``."""
    return set(VAR.findall(text))


def without_unread_properties(rules: list, read: set[str]) -> list:
    """``rules`` without the custom property declarations (``--name: …``) that no ``var()``
    reads: not the rest of the page (``read``), nor any other declaration here, nor a custom
    property that is itself read (followed until nothing more is found). JupyterLab defines
    hundreds of them on ``.jupyter-wrapper`` (its whole colour palette), few of which a page uses."""
    values = {}  # custom property → the var() names of its values
    others = set()  # var() names read by ordinary declarations
    for declaration in all_declarations(rules):
        names = var_names(tinycss2.serialize(declaration.value))
        if declaration.name.startswith("--"):
            values.setdefault(declaration.name, set()).update(names)
        else:
            others |= names
    needed, todo = set(), list(read | others)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(values.get(name, ()))
    return dropped_properties(rules, set(values) - needed)


def all_declarations(rules: list):
    for rule in rules:
        if rule.type == "qualified-rule":
            yield from declarations(rule.content)
        elif is_group(rule):
            yield from all_declarations(rule.content)


def dropped_properties(rules: list, unread: set[str]) -> list:
    """``rules`` with the declarations of the ``unread`` custom properties taken out (and the
    rules and groups left empty)."""
    kept_rules = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [d for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True)
                    if not (d.type == "declaration" and d.name in unread)]
            if not kept:
                continue
            rule.content = tinycss2.parse_component_value_list(";".join(tinycss2.serialize([d]) for d in kept))
        elif is_group(rule):
            rule.content = dropped_properties(rule.content, unread)
            if not rule.content:
                continue
        kept_rules.append(rule)
    return kept_rules


def matching(rules: list, classes: set[str]) -> list:
    """The style rules (and groups of them) that can match, with their selector lists cut down."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = needed_selectors(rule.prelude, classes)
            if selectors:
                rule.prelude = join(selectors)
                kept.append(rule)
        elif is_group(rule):
            rule.content = matching(parse_rules(rule.content), classes)
            if rule.content:
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":
            kept.append(rule)
    return kept


def needed_selectors(prelude: list, classes: set[str]) -> list[list]:
    """The selectors of a list that can match; the whole list if it must not be split."""
    selectors = split(prelude)
    needed = [selector for selector in selectors if can_match(selector, classes)]
    if needed and any(map(has_vendor_pseudo, selectors)):
        return selectors
    return needed


def can_match(selector: list, classes: set[str]) -> bool:
    """Whether an element of the page may match ``selector``, judged by its classes."""
    if WHOLE & set(pseudo_names(selector)):
        return True
    if root_after_combinator(selector):
        return False
    return required_classes(selector) <= classes


def required_classes(selector: list) -> set[str]:
    """The classes written at the top level of ``selector`` (``.a``), not inside functions."""
    return {token.value for dot, token in zip(selector, selector[1:]) if dot == "." and token.type == "ident"}


def root_after_combinator(selector: list) -> bool:
    """Whether ``:root`` comes after a combinator (``.jupyter-wrapper :root``): the root
    element has no ancestor and no sibling, so the selector matches nothing."""
    for index, (colon, token) in enumerate(zip(selector, selector[1:])):
        if colon == ":" and token.type == "ident" and token.lower_value == "root":
            return any(t.type == "whitespace" or t in (">", "+", "~") for t in selector[:index])
    return False


def has_vendor_pseudo(selector: list) -> bool:
    """Whether ``selector`` has a ``:-vendor-…`` pseudo-class or pseudo-element."""
    return any(name.startswith("-") for name in pseudo_names(selector))


def pseudo_names(selector: list) -> list[str]:
    """The pseudo-classes and pseudo-elements at the top level of ``selector``: ``hover``, ``is``."""
    return [
        token.lower_value if token.type == "ident" else token.lower_name
        for colon, token in zip(selector, selector[1:])
        if colon == ":" and token.type in ("ident", "function")
    ]


def without_unused_names(rules: list, used: set[str]) -> list:
    """``rules`` without the ``@keyframes`` and ``@font-face`` whose name is not in ``used``."""
    kept = []
    for rule in rules:
        if is_group(rule):
            rule.content = without_unused_names(rule.content, used)
            if rule.content:
                kept.append(rule)
        elif (name := defined_name(rule)) is None or name & used:
            kept.append(rule)
    return kept


def defined_name(rule) -> set[str] | None:
    """The words of the name an ``@keyframes`` or ``@font-face`` defines; None for other rules.

    ``@-webkit-keyframes`` counts as ``@keyframes``. A font family may be several words
    (``"Fira Code"``): the face stays if any of them is used.
    """
    keyword = unprefixed(rule.lower_at_keyword) if rule.type == "at-rule" else None
    if keyword == "keyframes":
        return words(rule.prelude)
    if keyword == "font-face":
        families = [d.value for d in declarations(rule.content) if d.lower_name == "font-family"]
        return set().union(*map(words, families))
    return None


def unprefixed(name: str) -> str:
    """``name`` without a vendor prefix: ``-webkit-keyframes`` → ``keyframes``."""
    return name.split("-", 2)[2] if name.startswith("-") and name.count("-") >= 2 else name


def words_in_declarations(rules: list) -> set[str]:
    """Every identifier and every word of every string in the style rules' declarations."""
    found = set()
    for rule in rules:
        if rule.type == "qualified-rule":
            found |= words(rule.content)
        elif is_group(rule):
            found |= words_in_declarations(rule.content)
    return found


def words(tokens: list) -> set[str]:
    """Identifiers and string words in ``tokens`` and in the functions and blocks among them,
    lower-cased (font names ignore case; for animation names it only keeps more)."""
    found = set()
    for token in tokens or ():
        if token.type == "ident":
            found.add(token.lower_value)
        elif token.type == "string":
            found.update(token.value.lower().split())
        elif token.type == "function":
            found |= words(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            found |= words(token.content)
    return found


def is_group(rule) -> bool:
    """Whether ``rule`` is an ``@media`` or ``@supports`` block (of rules, once parsed)."""
    return rule.type == "at-rule" and rule.lower_at_keyword in GROUPS and rule.content is not None


def split(prelude: list) -> list[list]:
    """A selector list's selectors, each as its tokens without surrounding whitespace."""
    selectors, current = [], []
    for token in prelude:
        if token == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return [strip(selector) for selector in selectors]


def join(selectors: list[list]) -> list:
    """The tokens of a selector list made of ``selectors``."""
    tokens = []
    for selector in selectors:
        if tokens:
            tokens.append(ast.LiteralToken(0, 0, ","))
        tokens.extend(selector)
    return tokens


def strip(tokens: list) -> list:
    """``tokens`` without leading and trailing whitespace and comments."""
    while tokens and tokens[0].type in ("whitespace", "comment"):
        tokens = tokens[1:]
    while tokens and tokens[-1].type in ("whitespace", "comment"):
        tokens = tokens[:-1]
    return tokens


def parse_rules(content: list) -> list:
    """The rules inside an at-rule's block."""
    return tinycss2.parse_rule_list(content, skip_whitespace=True, skip_comments=True)


def declarations(content: list) -> list:
    """The declarations inside a rule's block."""
    return [
        node for node in tinycss2.parse_declaration_list(content, skip_whitespace=True, skip_comments=True)
        if node.type == "declaration"
    ]
