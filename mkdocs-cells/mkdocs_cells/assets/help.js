// Help on a name: hovering a numpy, convlesson or built-in name in the editor (or pressing
// Ctrl+Shift+Space with the cursor on it) shows its signature and the first line of its
// docstring, from the completion index (completions.js): no Python needed. The keyboard's
// tooltip is a live region, so a screen reader reads it; Escape closes it.
import { StateEffect, StateField, hoverTooltip, keymap, showTooltip } from "./vendor/codemirror.js";
import { loadIndex, lookup } from "./completions.js";

const HELP_KEY = "Ctrl-Shift-Space";

/** The dotted name around `pos` ("cl.conv2d" with `pos` in either part), or null. */
function nameAt(doc, pos) {
  const line = doc.lineAt(pos);
  const text = line.text;
  let start = pos - line.from;
  let end = start;
  while (end < text.length && /\w/.test(text[end])) end++;
  while (start > 0 && /[\w.]/.test(text[start - 1])) start--;
  const name = text.slice(start, end);
  // ".sum" of `np.zeros(3).sum`: an attribute of a value, not a name the index can know.
  if (!/^[A-Za-z_][\w.]*$/.test(name) || name.endsWith(".")) return null;
  return { name, from: line.from + end - name.length, to: line.from + end };
}

/** The tooltip for the name at `pos` in `view`, or null if the index does not know it. */
async function help(state, pos, earlierCode, live = false) {
  const at = nameAt(state.doc, pos);
  if (!at) return null;
  const data = await loadIndex();
  const found = data && lookup(data, at.name, `${earlierCode()}\n${state.doc}`);
  if (!found) return null;
  return {
    pos: at.from,
    end: at.to,
    above: true,
    create: () => ({ dom: render(found, live) }),
  };
}

function render({ name, sig, doc, type }, live) {
  const dom = document.createElement("div");
  dom.className = "cl-help";
  if (live) dom.setAttribute("role", "status");
  const head = document.createElement("code");
  head.className = "cl-help__signature";
  head.textContent = type === "namespace" ? `module ${name}` : `${name}${sig ?? ""}`;
  dom.append(head);
  if (doc) {
    const text = document.createElement("p");
    text.className = "cl-help__doc";
    text.textContent = doc;
    dom.append(text);
  }
  return dom;
}

const setHelp = StateEffect.define();

// The tooltip the keyboard asked for, until the cursor moves, the code changes or Escape.
const keyboardHelp = StateField.define({
  create: () => null,
  update(tooltip, tr) {
    if (tr.docChanged || tr.selection) tooltip = null;
    for (const effect of tr.effects) if (effect.is(setHelp)) tooltip = effect.value;
    return tooltip;
  },
  provide: (field) => showTooltip.from(field),
});

/** Hover help and the help key, for an editor whose page's earlier cells hold `earlierCode()`. */
export function helpExtensions(earlierCode) {
  const show = (view) => {
    const pos = view.state.selection.main.head;
    help(view.state, pos, earlierCode, true).then((tooltip) => {
      if (view.state.selection.main.head === pos) view.dispatch({ effects: setHelp.of(tooltip) });
    });
    return true;
  };
  const close = (view) => {
    if (!view.state.field(keyboardHelp)) return false;
    view.dispatch({ effects: setHelp.of(null) });
    return true;
  };
  return [
    hoverTooltip((view, pos) => help(view.state, pos, earlierCode), { hoverTime: 300 }),
    keyboardHelp,
    keymap.of([{ key: HELP_KEY, run: show }, { key: "Escape", run: close }]),
  ];
}
