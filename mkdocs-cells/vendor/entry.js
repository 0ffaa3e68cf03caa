// What the cells' editor uses from CodeMirror 6, bundled into one ES module
// (mkdocs-cells/mkdocs_cells/assets/vendor/codemirror.js). Rebuild: `make vendor`.
export {
  EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars, hoverTooltip, showTooltip,
} from "@codemirror/view";
export { EditorState, Compartment, Prec, StateEffect, StateField } from "@codemirror/state";
export { history, defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
export {
  HighlightStyle, LanguageSupport, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting, syntaxTree,
} from "@codemirror/language";
// autocompletion() brings its own keymap (arrows, Enter, Esc, Ctrl+Space), above the others.
export { autocompletion, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
export { tags } from "@lezer/highlight";
export { localCompletionSource, pythonLanguage } from "@codemirror/lang-python";
