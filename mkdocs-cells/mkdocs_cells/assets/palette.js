// While the reader switches the palette, transitions stop (a11y.css, [data-cl-switching]):
// everything takes its new colours at once, as Material does it. Material's own rule for this
// restyled the whole page twice on every load, so the build leaves it out
// (mkdocs_cells/palette.py); this puts the pause where it belongs, on the reader's switch.
//
// Capture phase: this runs before Material's listener on the toggle, which applies the new
// palette and reads the header's style, so that restyle already has transitions off.

document.addEventListener("change", ({ target }) => {
  if (target.name !== "__palette") return;
  document.body.setAttribute("data-cl-switching", "");
  requestAnimationFrame(() => document.body.removeAttribute("data-cl-switching"));
}, true);
