"""The two colour schemes of the site, as matplotlib draws them: palettes, rcParams, colour maps.

`theme` switches between them inside a ``with`` block; within it, figures
have transparent backgrounds, so they sit on the page's own colour, and
the functions of `convlesson.plots` draw in the scheme's `palette`. Every
colour comes from `convlesson.plots.colors`.
"""

from __future__ import annotations

import contextlib
import contextvars

import matplotlib
import matplotlib.colors
from cycler import cycler

from . import colors
from .colors import INKS, LEGEND, SCHEMES, SURFACES, TEXT


def _palette(scheme):
    """The colours the figures use, by role, in ``scheme``."""
    pick = {name: getattr(shades, scheme) for name, shades in {**LEGEND, **TEXT, **SURFACES}.items()}
    return {"input": pick["input"], "kernel": pick["kernel"], "output": pick["output"],
            "negative": pick["negative"], "accent": pick["accent"], "extra": (pick["negative"], pick["accent"]),
            "text": pick["text"], "muted": pick["muted"], "background": pick["background"]}


PALETTES = {scheme: _palette(scheme) for scheme in SCHEMES}
"""Colours of each scheme: the input, kernel, output, negative and accent roles (``extra`` holds the
last two), text, muted lines and the page background (Material's default and slate schemes)."""

# The active scheme: a context variable, so that `theme` blocks in threads or tasks do not mix.
_SCHEME = contextvars.ContextVar("convlesson_plots_scheme", default="light")


def palette(scheme=None):
    """The colours of ``scheme`` (``'light'`` or ``'dark'``), by default the active one.

    Examples
    --------
    >>> palette("light")["input"]
    '#2563eb'
    """
    scheme = _SCHEME.get() if scheme is None else scheme
    if scheme not in PALETTES:
        raise ValueError(f"scheme must be 'light' or 'dark', got {scheme!r}")
    return PALETTES[scheme]


def _rc(scheme):
    """rcParams for ``scheme``: transparent backgrounds, the scheme's text and line colours."""
    c = palette(scheme)
    return {
        "figure.facecolor": "none", "axes.facecolor": "none",
        "savefig.facecolor": "none", "savefig.transparent": True,
        "text.color": c["text"], "axes.labelcolor": c["text"], "axes.titlecolor": c["text"],
        "axes.edgecolor": c["muted"], "xtick.color": c["muted"], "ytick.color": c["muted"],
        "xtick.labelcolor": c["text"], "ytick.labelcolor": c["text"],
        "grid.color": c["muted"], "grid.alpha": 0.3,
        "legend.facecolor": c["background"], "legend.edgecolor": c["muted"], "legend.framealpha": 0.9,
        "legend.labelcolor": c["text"],
        "axes.prop_cycle": cycler(color=[c["input"], c["output"], c["kernel"], *c["extra"]]),
        "axes.spines.top": False, "axes.spines.right": False,
        "font.size": 10, "axes.titlesize": 11, "figure.titlesize": 12,
    }


@contextlib.contextmanager
def theme(scheme="light"):
    """Draw in the site's ``'light'`` or ``'dark'`` colour scheme inside a ``with`` block.

    Sets matplotlib's rcParams (transparent backgrounds; text, axes, ticks
    and the colour cycle of the scheme) and the colours the functions of this
    package use, then restores both. Create the figure inside the block, as
    some settings are read when it is made.

    Yields
    ------
    dict
        The scheme's colours (see `PALETTES`).
    """
    scheme_colors = palette(scheme)
    token = _SCHEME.set(scheme)
    try:
        with matplotlib.rc_context(_rc(scheme)):
            yield scheme_colors
    finally:
        _SCHEME.reset(token)


def diverging(scheme=None):
    """The signed colour map of a scheme: negative blue, 0 the page's colour, positive orange-red.

    Zero blends into the page, so on the dark scheme a mostly-zero feature map
    does not glare white.
    """
    scheme = _SCHEME.get() if scheme is None else scheme
    background = palette(scheme)["background"]
    low, mid_low, mid_high, high = getattr(colors.DIVERGING, scheme)
    stops = list(zip((0.0, 0.32, 0.5, 0.68, 1.0), (low, mid_low, background, mid_high, high)))
    return matplotlib.colors.LinearSegmentedColormap.from_list(f"convlesson_{scheme}", stops)


def rgba(color, alpha=None):
    """``color`` as an RGBA tuple; ``alpha`` replaces its own alpha if given."""
    return matplotlib.colors.to_rgba(color, alpha)


def opaque(color, alpha):
    """``color`` at ``alpha`` over the page background, as an opaque colour (hides what is behind)."""
    return (*_over_page(rgba(color, alpha)), 1.0)


def _over_page(face):
    """The RGB of an RGBA ``face`` as seen on the active scheme's page."""
    r, g, b, a = face
    page = rgba(palette()["background"])
    return tuple(a * x + (1 - a) * y for x, y in zip((r, g, b), page[:3]))


def ink_on(face):
    """Near-black or near-white text, whichever contrasts more with ``face`` seen over the page."""
    seen = _over_page(rgba(face))
    return max(INKS, key=lambda ink: colors.contrast(ink, seen))


def role_color(color):
    """A role name ('input', 'kernel', 'output', 'muted') or any matplotlib colour, as a colour."""
    return palette().get(color, color) if isinstance(color, str) else color
