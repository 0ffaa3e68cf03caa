// One runnable cell: its editor, its controls (Run, Stop, Reset, Copy), its status line and
// its output area. It knows nothing of Python; the page (cells.js) decides what running means.
//
// The controls come first; the editor (CodeMirror, the page's largest script) is imported
// after them and replaces the page's static code block when it arrives. Until then the cell
// runs, copies and resets the code that block shows: the lesson's, or the reader's saved edit.
import * as output from "./output.js";
import { shareLink } from "./share.js";
import { forgetEdit, loadEdit, saveEdit } from "./storage.js";

let editorModule = null;

/** The editor module, imported once per tab (later pages get it from the module map). */
export function loadEditor() {
  editorModule ??= import("./editor.js");
  return editorModule;
}

export class Cell {
  /**
   * `root` is the cell's element (role "group", named "Code cell N", with `data-cell`);
   * `parts` are `{source, code, output}`: the lesson's code, the element showing it (replaced
   * by the editor once it has loaded, see `attachEditor`) and the output area. `page` is the
   * page's namespace key; `actions` are `{run(cell), check(cell), stop(), wake(), retry()}`,
   * supplied by the page (cells.js).
   */
  constructor(root, { source, code, output }, page, actions) {
    this.root = root;
    this.page = page;
    this.number = Number(root.dataset.cell);
    this.hidden = root.hasAttribute("data-hidden");
    this.raises = root.hasAttribute("data-raises");
    this.readOnly = root.hasAttribute("data-readonly");
    this.exercise = root.hasAttribute("data-exercise");
    this.isolated = root.hasAttribute("data-isolated");
    this.original = source;
    this.text = source; // the code the cell holds until the editor exists
    this.shared = false; // it holds code from a share link that the reader has not run
    this.quiet = false; // the editor is being given code that is not the reader's edit
    this.editor = null;
    this.outputArea = output;
    this.root.dataset.live = "";
    if (this.hidden) return; // a setup cell: it runs, but the reader never sees it

    this.actions = actions;
    this.errorLine = null; // the line of the last error, marked once the editor exists
    const saved = this.readOnly ? null : loadEdit(page, this.number, this.original);
    this.codeView = code; // the static code block, until the editor replaces it
    if (saved !== null) {
      this.text = saved;
      showStaticCode(code, saved);
    }

    this.buttons = {
      run: button("Run", "Run this cell (Shift+Enter)", () => actions.run(this)),
      stop: button("Stop", "Stop the running code", actions.stop),
      reset: button("Reset", "Go back to the lesson's code", () => this.reset()),
      // Before Copy, which stays the last control before the editor.
      share: button("Share", "Copy a link that opens this page with this code in this cell", () => this.share()),
      copy: button("Copy", "Copy the code", () => this.copy()),
      retry: button("Retry", "Try loading Python again", actions.retry),
    };
    if (this.exercise) {
      const box = root.closest(".cl-exercise");
      this.checkCode = box.querySelector(".cl-exercise__check").value;
      this.buttons.check = button("Check", "Check your answer", () => actions.check(this));
      this.feedback = Object.assign(document.createElement("p"), { className: "cl-exercise__feedback" });
      this.feedback.setAttribute("role", "status");
      root.after(this.feedback);
    }
    this.buttons.stop.hidden = true;
    this.buttons.retry.hidden = true;
    if (this.readOnly) this.buttons.reset.hidden = this.buttons.share.hidden = true;
    this.status = Object.assign(document.createElement("span"), { className: "cl-cell__status" });
    this.progress = Object.assign(document.createElement("progress"), { max: 1, value: 0, hidden: true });
    this.progress.setAttribute("aria-label", "Loading Python");
    const toolbar = Object.assign(document.createElement("div"), { className: "cl-cell__toolbar" });
    toolbar.append(...Object.values(this.buttons), this.progress, this.status);
    this.root.prepend(toolbar);
    if (saved !== null) this.setStatus("Your edited code, saved in this browser. Reset brings back the lesson's.");
    // Figures put their current state into a cell as code ("Open as code"); see widgets.
    this.root.addEventListener("cl-set-code", ({ detail }) => {
      this.setCode(detail.code);
      this.root.scrollIntoView({ block: "nearest" });
      this.editor?.focus();
      if (detail.run) actions.run(this);
    });
  }

  /** Put the editor in place of the static code block, holding the code the cell holds now. */
  attachEditor(editorModule) {
    this.buildEditor(editorModule)?.();
  }

  /**
   * Build the editor off the page, and return the function that puts it in place of the
   * static code block (null if the cell needs none). An editor reads the page's selection as
   * it is built, which lays out the page if it has changed since it was last laid out: build
   * several, then place them all, and the page is laid out once, not once per editor.
   */
  buildEditor({ createEditor }) {
    if (this.hidden || this.editor || !this.root.isConnected) return null;
    const host = document.createElement("div");
    host.className = "cl-cell__editor";
    this.editor = createEditor({
      parent: host,
      doc: this.text,
      label: `${this.root.getAttribute("aria-label")}: Python code`,
      readOnly: this.readOnly,
      onRun: () => this.actions.run(this),
      onFocus: this.actions.wake,
      earlierCode: () => this.actions.earlierCode?.(this) ?? "",
      onChange: (code) => {
        if (this.quiet) return; // shared code put in place, not an edit: not saved
        this.actions.wake();
        saveEdit(this.page, this.number, this.original, code);
      },
    });
    if (this.errorLine) this.editor.showErrorLine(this.errorLine);
    return () => {
      const hadFocus = this.codeView.contains(document.activeElement);
      this.codeView.replaceWith(host);
      if (hadFocus) this.editor.focus();
    };
  }

  get code() {
    return this.editor ? this.editor.code : this.text;
  }

  /** Replace the cell's code, as an edit would (so it is saved). */
  setCode(text) {
    if (this.editor) {
      this.editor.code = text; // the editor saves it
      return;
    }
    this.text = text;
    showStaticCode(this.codeView, text);
    if (!this.readOnly) saveEdit(this.page, this.number, this.original, text);
  }

  get running() {
    return this.root.dataset.state === "running";
  }

  /** The cell starts running: its old output goes (unless `keepOutput`: until `clearOutput`,
   * when it really runs after the cells it builds on), Stop appears. */
  begin({ keepOutput = false } = {}) {
    this.root.dataset.state = "running";
    if (!keepOutput) this.clearOutput();
    this.errorLine = null;
    this.editor?.showErrorLine(null);
    if (this.buttons) {
      this.buttons.stop.hidden = false;
      this.buttons.run.disabled = true;
    }
    this.setStatus("Running…");
  }

  clearOutput() {
    output.clear(this.outputArea);
  }

  /** Output as the code produces it. A notebook cell's figures keep its author's alt text (notebook.py). */
  append(kind, payload) {
    const alt = kind === "image" && this.root.dataset.alt;
    output.append(this.outputArea, kind, alt ? { ...payload, alt } : payload);
  }

  /** The cell has finished: show its result or error, and any remark from the page. */
  end(reply, remark) {
    if (reply.error) {
      output.error(this.outputArea, reply.error.traceback);
      this.errorLine = reply.error.line ?? null;
      this.editor?.showErrorLine(reply.error.line);
    } else if (reply.result !== undefined && reply.result !== null) output.result(this.outputArea, reply.result);
    if (remark) output.note(this.outputArea, remark, { first: true });
    this.root.dataset.state = "done";
    if (this.buttons) {
      this.buttons.stop.hidden = true;
      this.buttons.run.disabled = false;
    }
    if (reply.error?.type === "LoadError") return; // the status already says so, with Retry
    this.setStatus(finished(reply));
  }

  /**
   * Show the runtime's loading progress (or clear it once ready). A cell that has finished
   * keeps saying how it finished: the loader's progress is no news about it.
   */
  showRuntime(status) {
    if (!this.progress) return;
    const loading = status.state === "loading";
    this.root.dataset.python = status.state;
    // What Python is loading, also once the cell's own status says it finished.
    this.root.dataset.pythonStep = loading ? status.step : "";
    this.buttons.retry.hidden = status.state !== "failed";
    if (status.state === "failed") {
      this.progress.hidden = true;
      this.setStatus(`Python could not be loaded (${status.message}). Check your connection, then Retry.`);
      return;
    }
    this.progress.hidden = !loading || this.root.dataset.state === "done";
    if (this.root.dataset.state === "done") return;
    if (loading) {
      this.progress.value = status.fraction;
      this.setStatus(`Loading ${status.step}… ${Math.round(status.fraction * 100)} %`);
    } else if (status.state === "ready" && this.status.textContent.startsWith("Loading")) {
      this.setStatus(this.running ? "Running…" : "Python ready"); // a run that waited for loading goes on
    }
  }

  setStatus(text) {
    if (this.status) this.status.textContent = text;
  }

  /** An exercise's verdict: `passed` true, false, or null while checking. */
  showVerdict(passed, text) {
    this.feedback.textContent = text;
    this.feedback.dataset.passed = passed === null ? "" : String(passed);
  }

  reset() {
    this.shared = false;
    this.sharedNote?.remove();
    this.setCode(this.original);
    forgetEdit(this.page, this.number, this.original);
    this.setStatus("Back to the lesson's code");
    this.editor?.focus();
  }

  /**
   * Put code from a share link in the cell, unsaved (the reader's own saved edit stays saved
   * until they edit this code) and not run: only the reader's Run runs it.
   */
  receiveShared(code) {
    const saved = loadEdit(this.page, this.number, this.original);
    this.shared = true;
    if (this.editor) {
      this.quiet = true;
      this.editor.code = code;
      this.quiet = false;
    } else {
      this.text = code;
      showStaticCode(this.codeView, code);
    }
    const ownEdit = saved !== null && saved !== code
      ? " Your own edit of this cell stays saved: it comes back when you open the page without this link." : "";
    this.showNote("This code came from a share link. It runs only when you press Run; " +
      `Reset restores the lesson's code.${ownEdit}`);
    this.root.scrollIntoView({ block: "start" });
  }

  /** A share link for this cell that could not be read: the cell keeps its code. */
  sharedLinkFailed(why) {
    this.showNote(`This share link could not be read: ${why}. The cell keeps its code.`, "alert");
    this.root.scrollIntoView({ block: "start" });
  }

  showNote(text, role = "status") {
    this.sharedNote ??= Object.assign(document.createElement("p"), { className: "cl-cell__note" });
    this.sharedNote.setAttribute("role", role);
    this.sharedNote.textContent = text;
    this.root.querySelector(".cl-cell__toolbar").after(this.sharedNote);
  }

  /** Make a link carrying the cell's code, show it in the cell and copy it. */
  async share() {
    let url;
    try {
      url = await shareLink(`cell-${this.number}`, "code", this.code);
    } catch (error) {
      return this.setStatus(error.message);
    }
    this.shareLink ??= Object.assign(document.createElement("a"), { className: "cl-cell__share-link", textContent: "Share link" });
    this.shareLink.href = url;
    this.buttons.share.after(this.shareLink);
    try {
      await navigator.clipboard.writeText(url);
      this.setStatus("Link copied to the clipboard");
    } catch {
      this.setStatus("Copying is not allowed here: copy the Share link by hand");
    }
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.code);
      this.setStatus("Copied to the clipboard");
    } catch {
      this.setStatus("Copying is not allowed here: select the code and copy it by hand");
    }
  }
}

/** A finished cell's status line. */
function finished(reply) {
  if (reply.blocked) return `Not run: ${reply.blocked}`;
  if (reply.stopped) return "Stopped";
  if (reply.crashed) return `Failed: ${reply.crashed.type}`;
  return reply.error ? `Failed: ${reply.error.type}` : "Done";
}

/** Show `text` in the page's static code block (plain, until the editor highlights it). */
function showStaticCode(view, text) {
  const target = view.querySelector("code") ?? view.querySelector("pre") ?? view;
  target.textContent = text;
}

function button(label, title, onClick) {
  const element = Object.assign(document.createElement("button"), {
    type: "button",
    className: `cl-cell__button cl-cell__button--${label.toLowerCase()}`,
    textContent: label,
    title,
  });
  element.addEventListener("click", onClick);
  return element;
}
