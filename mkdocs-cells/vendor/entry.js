// What the cells' editor uses from CodeMirror 6, bundled into one ES module
// (mkdocs-cells/mkdocs_cells/assets/vendor/codemirror.js). Rebuild: `make vendor`.
export {
  EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars,
} from "@codemirror/view";
export { EditorState, Compartment, Prec, StateEffect, StateField } from "@codemirror/state";
export { history, defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
export {
  HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting,
} from "@codemirror/language";
export { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
export { tags } from "@lezer/highlight";
export { python } from "@codemirror/lang-python";
