// A CodeMirror 6 editor for one cell: Python highlighting, line numbers, bracket matching,
// undo, Shift/Ctrl/Cmd+Enter to run, completion and help on names (completions.js, help.js).
// Colours come from Material's code variables, so the editor follows the light/dark switch as
// the page's static code blocks do.
import {
  Decoration, EditorState, EditorView, HighlightStyle, LanguageSupport, Prec, StateEffect, StateField,
  autocompletion, bracketMatching, closeBrackets, closeBracketsKeymap, defaultKeymap,
  drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, history,
  historyKeymap, indentOnInput, indentUnit, indentWithTab, keymap, lineNumbers, localCompletionSource,
  pythonLanguage, syntaxHighlighting, tags,
} from "./vendor/codemirror.js";
import { completionSource, loadIndex } from "./completions.js";
import { helpExtensions } from "./help.js";

const hl = (name) => `var(--md-code-hl-${name}-color)`;

const materialHighlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: hl("keyword") },
  { tag: [tags.string, tags.special(tags.string)], color: hl("string") },
  { tag: [tags.number, tags.bool, tags.null], color: hl("number") },
  { tag: tags.comment, color: hl("comment"), fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: hl("function") },
  { tag: [tags.definition(tags.variableName), tags.className], color: hl("name") },
  { tag: [tags.operator, tags.compareOperator, tags.arithmeticOperator], color: hl("operator") },
  { tag: [tags.punctuation, tags.bracket, tags.separator], color: hl("punctuation") },
  { tag: [tags.self, tags.standard(tags.variableName)], color: hl("constant") },
]);

const materialTheme = EditorView.theme({
  "&": {
    color: "var(--md-code-fg-color)",
    backgroundColor: "var(--md-code-bg-color)",
    fontSize: "0.85em",
  },
  // Material's line height and padding for code blocks: the editor takes the place of the
  // page's code block without the page moving.
  ".cm-content": {
    padding: "0.7720588235em 0",
    fontFamily: "var(--md-code-font-family)",
    caretColor: "var(--md-code-fg-color)",
  },
  ".cm-scroller": { fontFamily: "var(--md-code-font-family)", lineHeight: "1.4" },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)",
    color: "var(--md-default-fg-color--light)",
    border: "none",
  },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--md-code-hl-color--light, transparent)" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)", outlineOffset: "-2px" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--md-accent-fg-color--transparent)" },
  ".cm-cursor": { borderLeftColor: "var(--md-code-fg-color)" },
  ".cm-errorLine": { backgroundColor: "var(--cl-error-bg)" },
  // The completion list and the help tooltip: Material's colours, light or dark.
  ".cm-tooltip": {
    color: "var(--md-default-fg-color)",
    backgroundColor: "var(--md-default-bg-color)",
    border: "1px solid var(--md-default-fg-color--lighter)",
    fontFamily: "var(--md-code-font-family)",
  },
  ".cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]": {
    color: "var(--md-primary-bg-color)",
    backgroundColor: "var(--md-primary-fg-color)",
  },
  ".cm-completionDetail": { color: "inherit", opacity: "0.75", fontStyle: "normal" },
  ".cm-completionInfo": { maxWidth: "28em", padding: "0.3em 0.6em", fontFamily: "var(--md-text-font-family)" },
  ".cl-help": { maxWidth: "36em", padding: "0.3em 0.6em" },
  ".cl-help__signature": { display: "block", whiteSpace: "pre-wrap", color: "var(--md-code-hl-function-color)" },
  ".cl-help__doc": { margin: "0.3em 0 0", fontFamily: "var(--md-text-font-family)" },
});

const setErrorLine = StateEffect.define();

// The line of the reader's code that raised, highlighted until the code changes.
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(lines, tr) {
    lines = tr.docChanged ? Decoration.none : lines.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const number = effect.value;
      lines = number && number <= tr.state.doc.lines
        ? Decoration.set([Decoration.line({ class: "cm-errorLine" }).range(tr.state.doc.line(number).from)])
        : Decoration.none;
    }
    return lines;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/**
 * Create an editor in `parent` holding `doc`.
 * `onRun()` is called on Shift+Enter or Ctrl/Cmd+Enter, `onChange(code)` after each edit,
 * `onFocus()` when the editor gains focus; `earlierCode()` gives the code of the cells before
 * this one (their names are completed).
 */
export function createEditor({ parent, doc, label, readOnly = false, onRun, onChange, onFocus, earlierCode }) {
  const options = { label, readOnly, onRun, onChange, onFocus, earlierCode };
  const state = EditorState.create({ doc, extensions: extensions(options) });
  const view = new EditorView({ parent, state });
  return {
    view,
    get code() {
      return view.state.doc.toString();
    },
    set code(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    showErrorLine(line) {
      view.dispatch({ effects: setErrorLine.of(line ?? null) });
    },
    focus: () => view.focus(),
  };
}

let warm = false;

/**
 * Build an editor off the page and throw it away. The first editor costs several times a later
 * one (CodeMirror's code compiled on first use, its styles added to the page): built ahead,
 * in a task of its own, that cost does not make one long task of the first cell's editor
 * and those placed with it. Once per tab is enough.
 */
export function warmUp() {
  if (warm) return;
  warm = true;
  const state = EditorState.create({ doc: "print(1)", extensions: extensions({ label: "" }) });
  new EditorView({ parent: document.createElement("div"), state }).destroy();
}

function extensions({ label, readOnly = false, onRun, onChange, onFocus, earlierCode = () => "" }) {
  const runKey = () => (onRun(), true);
  return [
    // Above the default keymap, which binds Shift+Enter to a newline.
    Prec.highest(keymap.of([
      { key: "Shift-Enter", run: runKey },
      { key: "Ctrl-Enter", run: runKey },
      { key: "Meta-Enter", run: runKey },
    ])),
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    indentUnit.of("    "),
    // lang-python's language, with its completion of the cell's own names; the keywords and
    // built-ins come from the index (with their signatures), not from its fixed list.
    new LanguageSupport(pythonLanguage, [
      pythonLanguage.data.of({ autocomplete: localCompletionSource }),
      pythonLanguage.data.of({ autocomplete: completionSource(earlierCode) }),
    ]),
    // Completions show as soon as a key is typed (the default waits 100 ms for more typing).
    autocompletion({ activateOnTypingDelay: 0 }),
    helpExtensions(earlierCode),
    syntaxHighlighting(materialHighlight),
    materialTheme,
    errorLine,
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorState.readOnly.of(readOnly),
    EditorView.editable.of(!readOnly),
    // A tab stop even when read-only, so the keyboard can reach and scroll every editor.
    EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
    // The completion index is fetched when an editor is first pointed at or focused: by the
    // time the reader types, it is there.
    EditorView.domEventHandlers({ pointerover: () => void loadIndex() }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange?.(update.state.doc.toString());
      if (update.focusChanged && update.view.hasFocus) {
        loadIndex();
        onFocus?.();
      }
    }),
  ];
}
