"""Tests for convlesson.plots.colors: the legend's CSS, its contrast check, and that the figures use it."""

from __future__ import annotations

import re

import pytest

from convlesson import plots
from convlesson.plots import colors
from convlesson.plots.colors import EMPTY, LEGEND, SURFACES, TEXT, WINDOWS, Shades

SLATE = '[data-md-color-scheme="slate"]'


def rules(css):
    """``{selector: {name: value}}`` of the custom properties in ``css``."""
    return {selector.strip(): dict(re.findall(r"--cl-([\w-]+):\s*([^;]+);", body))
            for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}


def wcag_contrast(a, b):
    """WCAG 2.1 contrast ratio, written out again from the definition."""

    def luminance(color):
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class TestCssVariables:
    def test_two_rules(self):
        """One rule for the light scheme on :root, one for Material's dark (slate) scheme."""
        assert list(rules(colors.css_variables())) == [":root", SLATE]

    @pytest.mark.parametrize("scheme, selector", [("light", ":root"), ("dark", SLATE)])
    def test_every_colour_once_with_its_shade(self, scheme, selector):
        """Each colour of the legend, text and surfaces is --cl-<name>, with the scheme's shade."""
        css = colors.css_variables()
        variables = rules(css)[selector]
        for name, shades in {**LEGEND, **TEXT, **SURFACES, "empty": EMPTY}.items():
            assert variables[name] == getattr(shades, scheme), name
        assert (variables["ink"], variables["paper"]) == colors.INKS
        assert css.count("--cl-input:") == 2

    def test_windows_name_legend_colours(self):
        """The pooling windows' colours are the legend's, by reference, so they follow its scheme."""
        for selector, variables in rules(colors.css_variables()).items():
            assert [variables[f"win-{i}"] for i in range(1, 5)] == [f"var(--cl-{role})" for role in WINDOWS]
            assert all(role in variables for role in WINDOWS), selector

    def test_the_same_names_in_both_schemes(self):
        """The dark rule sets every variable the light one does, so no light colour leaks into dark mode."""
        light, dark = rules(colors.css_variables()).values()
        assert list(light) == list(dark)
        assert all(re.fullmatch(r"#[0-9a-f]{6}|var\(--cl-[\w-]+\)", value) for value in [*light.values(),
                                                                                          *dark.values()])


class TestContrast:
    @pytest.mark.parametrize("a, b, ratio", [("#000000", "#ffffff", 21.0), ("#ffffff", "#000000", 21.0),
                                             ("#777777", "#777777", 1.0)])
    def test_known_ratios(self, a, b, ratio):
        """Black on white is 21:1 either way round; a colour on itself 1:1."""
        assert colors.contrast(a, b) == pytest.approx(ratio)

    def test_matches_the_definition(self):
        """contrast() agrees with WCAG's formula for every legend colour on every surface."""
        for shades in [*LEGEND.values(), *TEXT.values()]:
            for surface in SURFACES.values():
                for scheme in colors.SCHEMES:
                    a, b = getattr(shades, scheme), getattr(surface, scheme)
                    assert colors.contrast(a, b) == pytest.approx(wcag_contrast(a, b))

    def test_rgb_tuples(self):
        """Colours may be RGB(A) tuples in [0, 1], as matplotlib gives them."""
        assert colors.contrast((0, 0, 0, 1), "#ffffff") == pytest.approx(21.0)

    def test_every_colour_reads(self):
        """Legend colours reach 3:1 and text colours 4.5:1 on every surface of their scheme."""
        assert colors.low_contrast() == []

    def test_a_pale_colour_is_caught(self, monkeypatch):
        """A legend colour too close to the page is reported, with its scheme, surface and ratio."""
        monkeypatch.setitem(LEGEND, "pale", Shades("#eeeeee", "#60a5fa"))
        failures = colors.low_contrast()
        assert {(name, scheme) for name, scheme, _, _ in failures} == {("pale", "light")}
        assert all(ratio < 3 for *_, ratio in failures)


class TestFiguresUseTheLegend:
    @pytest.mark.parametrize("scheme", colors.SCHEMES)
    def test_palettes(self, scheme):
        """The figures' palettes are the legend's shades, not a copy."""
        palette = plots.PALETTES[scheme]
        for role in ("input", "kernel", "output", "negative", "accent", "muted"):
            assert palette[role] == getattr(LEGEND[role], scheme)
        assert palette["text"] == getattr(TEXT["text"], scheme)
        assert palette["background"] == getattr(SURFACES["background"], scheme)
