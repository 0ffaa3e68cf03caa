"""What every widget module provides, and the helpers their data and code share.

A widget is a folder: ``__init__.py`` defines ``SPEC`` (its fence options, the function that
computes its data from those options, the one that writes the convlesson code of a state, the
static rendering for readers without JavaScript, and its caption), ``NAME.js`` mounts it in the
page and ``NAME.css`` styles it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import convlesson as cl


@dataclass(frozen=True)
class Spec:
    """A widget: its fence options (name → allowed values, or None for any), data, code, static
    rendering (a `Drawing`, or HTML) and caption."""

    options: dict[str, tuple[str, ...] | None]
    data: Callable[[dict], dict]
    code: Callable[[dict], str]
    caption: str
    static: Callable[[dict], object]


@dataclass(frozen=True)
class Drawing:
    """A widget's static rendering: the ``convlesson.plots`` function ``plot`` drawn on the
    figure layout ``layout`` with ``kwargs``, in light and dark, and what it shows (``alt``)."""

    layout: str
    plot: str
    alt: str
    kwargs: dict = field(default_factory=dict)


def number(value) -> str:
    """A value as the page shows it: at most two decimals, a true minus sign."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


# Python literals, written as the page's JavaScript writes them (format.js).


def py_number(value) -> str:
    """A number as Python source: ints without a point, floats as repr (1.0, 0.25)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def py_list(values) -> str:
    """A 1-D list of numbers: ``[-1, 0, 1]``."""
    return "[" + ", ".join(py_number(v) for v in values) + "]"


def py_array(rows, indent: int) -> str:
    """``np.array([[..], [..]])`` with one row per line, aligned under the first."""
    rows = [py_list(row) for row in rows]
    pad = " " * (indent + len("np.array(["))
    return "np.array([" + (",\n" + pad).join(rows) + "])"


def int_options(options, defaults, ranges):
    """The integer options of a fence, each checked against its range; defaults for the rest."""
    state = {}
    for key, default in defaults.items():
        text = options.get(key, str(default))
        low, high = ranges[key]
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(f"{key}={text!r}: give a whole number from {low} to {high}")
        state[key] = int(text)
    return state


def float64_bytes(array) -> bytes:
    """An array's values as little-endian float64: exact, and 8 bytes a number. The page gets
    them as a file of their own (widget_fence), not in its HTML, which they would triple."""
    return np.ascontiguousarray(array, dtype="<f8").tobytes()


def kernel_table():
    """Every kernel of `convlesson.kernels`: its 3×3 weights and what it does."""
    texts = dict(line.split(None, 1) for line in cl.kernels.describe().splitlines())
    return {name: {"weights": cl.kernels.get(name).tolist(), "text": texts[name].strip()}
            for name in cl.kernels.names()}
