"""Dark mode: everything on a page follows Material's palette switch.

On every page, a reader clicks the palette toggle in the header ("Switch to dark mode"), then
back; each time the test reads what the reader sees: the editor's colours, which rendering of
each build-time figure is shown and how light it looks on the page (read from its pixels), the
background of figures drawn by cells (a light card in dark mode: they are drawn in
matplotlib's light style), the colour of cell output text, and the interactive figures (their
panel, and what their scripts paint in the palette's colours).
"""

from __future__ import annotations

import pytest

from _audit import PAGES, open_page, page_id, parsed_pages, switch_palette

pytestmark = pytest.mark.browser

# What a reader sees of each themed thing on the page. Images are scrolled into view so that
# lazy ones load, then read through a canvas (same origin, so their pixels are readable).
STATE = """async () => {
  const rgba = value => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  const loaded = async img => {
    img.scrollIntoView({block: 'center'});
    for (let i = 0; i < 100 && !(img.complete && img.naturalWidth); i++) await new Promise(r => setTimeout(r, 50));
    return img.complete && img.naturalWidth > 0;
  };
  // The image as the reader sees it, on the page's background: its mean luminance.
  const seen = img => {
    const canvas = document.createElement('canvas');
    canvas.width = 240; canvas.height = Math.max(1, Math.round(240 * img.naturalHeight / img.naturalWidth));
    const context = canvas.getContext('2d');
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(img, 0, 0, canvas.width, canvas.height);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += luminance([data[i], data[i + 1], data[i + 2]]);
    return sum / (data.length / 4);
  };
  const shown = el => el.getClientRects().length > 0;

  const editor = document.querySelector('.cl-cell__editor .cm-editor');
  const token = editor && [...editor.querySelectorAll('.cm-line span')].find(s => [...s.classList].some(c => c.startsWith('ͼ')));
  const figures = [];
  for (const figure of document.querySelectorAll('.md-content figure.cl-figure')) {
    const visible = [...figure.querySelectorAll('img')].filter(shown);
    const img = visible[0];
    figures.push({
      shown: visible.map(i => i.getAttribute('src').split('#')[1] || ''),
      seen: img && await loaded(img) ? seen(img) : null,
    });
  }
  const outputImages = [...document.querySelectorAll('img.cl-out--image, .jupyter-wrapper .jp-RenderedImage img')]
    .filter(shown).map(img => {
      const bg = rgba(getComputedStyle(img).backgroundColor);
      return {alpha: bg.length > 3 ? bg[3] : 1, luminance: luminance(bg)};
    });
  const outputText = [...document.querySelectorAll('pre.cl-out--stdout, pre.cl-out--result')].filter(shown)
    .map(pre => getComputedStyle(pre).color);
  return {
    scheme: document.body.dataset.mdColorScheme,
    page: luminance(rgba(getComputedStyle(document.body).backgroundColor)),
    editor: editor && {
      background: getComputedStyle(editor).backgroundColor,
      luminance: luminance(rgba(getComputedStyle(editor).backgroundColor)),
      text: getComputedStyle(editor.querySelector('.cm-content')).color,
      token: token && getComputedStyle(token).color,
      gutter: getComputedStyle(editor.querySelector('.cm-gutters') || editor).color,
    },
    figures, outputImages, outputText,
    widgets: [...document.querySelectorAll('figure.cl-widget')].map(f => ({
      name: f.dataset.widget,
      panel: getComputedStyle(f).backgroundColor,
      // What the figure's script paints with the palette's colours: inline colours, canvases.
      painted: [...f.querySelectorAll('.cl-widget__live [style]')]
        .map(e => [e.style.backgroundColor, e.style.backgroundImage, e.style.fill].filter(v => v && v !== 'initial').join(' '))
        .filter(Boolean).join(),
      canvases: [...f.querySelectorAll('canvas')].map(c => {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let hash = 0;
        for (let i = 0; i < data.length; i += 7) hash = (hash * 31 + data[i]) | 0;
        return hash;
      }).join(),
    })),
  };
}"""


def state(page) -> dict:
    return page.evaluate(STATE)


@pytest.mark.parametrize("url", PAGES, ids=page_id)
def test_everything_follows_the_palette_switch(page, server, url):
    """Light → dark → light with the header's toggle: editor, figures, outputs and widgets follow."""
    open_page(page, server, url, "light")
    light = state(page)
    switch_palette(page, "dark")
    dark = state(page)
    assert light["page"] > 0.8 and dark["page"] < 0.2, "the page's own background did not switch"

    if light["editor"]:
        for part in ("background", "text", "token", "gutter"):
            assert light["editor"][part] != dark["editor"][part], f"the editor's {part} colour did not change"
        assert light["editor"]["luminance"] > 0.8 and dark["editor"]["luminance"] < 0.25, (light["editor"], dark["editor"])

    assert len(light["figures"]) == len(dark["figures"])
    for number, (before, after) in enumerate(zip(light["figures"], dark["figures"]), start=1):
        assert before["shown"] == ["only-light"], f"figure {number} in light mode shows {before['shown']}"
        assert after["shown"] == ["only-dark"], f"figure {number} in dark mode shows {after['shown']}"
        assert before["seen"] is not None and after["seen"] is not None, f"figure {number}: image did not load"
        # As seen on the page: a light figure in light mode, a dark one in dark mode (a figure
        # drawn on white would stay a bright box on the dark page).
        assert before["seen"] > 0.55, f"figure {number} looks dark in light mode (mean luminance {before['seen']:.2f})"
        assert after["seen"] < 0.4, f"figure {number} looks light in dark mode (mean luminance {after['seen']:.2f})"

    for number, (before, after) in enumerate(zip(light["outputImages"], dark["outputImages"]), start=1):
        assert before["alpha"] == 0, f"output image {number}: a background in light mode ({before})"
        assert after["alpha"] == 1 and after["luminance"] > 0.9, f"output image {number}: no light card in dark mode ({after})"

    for before, after in zip(light["outputText"], dark["outputText"]):
        assert before != after, "cell output text kept its colour"
    for before, after in zip(light["widgets"], dark["widgets"]):
        name = before["name"]
        assert before["panel"] != after["panel"], f"the {name} figure's panel kept its colour"
        if before["painted"]:
            assert before["painted"] != after["painted"], f"the {name} figure was not repainted in the dark palette"
        if before["canvases"]:
            assert before["canvases"] != after["canvases"], f"the {name} figure's canvases were not repainted"

    switch_palette(page, "light")
    assert state(page)["figures"] == light["figures"], "switching back did not restore the light figures"


def test_every_kind_of_themed_thing_is_on_some_page(site):
    """The test above is not vacuous: the site has cells, figures drawn in light and dark,
    figures drawn by cells, and interactive figures."""
    html = "".join(parsed_pages(site).values())
    for marker in ('class="cl-cell"', "#only-dark", "cl-out--image", 'class="cl-widget"'):
        assert marker in html, f"no page has {marker}"
