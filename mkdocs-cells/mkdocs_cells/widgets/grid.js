// A grid of square cells (CSS grid), with optional windows drawn over it: the orange kernel
// position slides between cells with a CSS transition, so Play moves smoothly.
import { h } from "./dom.js";

export class Grid {
  /** `label` names the grid for screen readers; `cell` is "div" or "button". */
  constructor({ label, className = "", cell = "div", onCell = null }) {
    this.cellTag = cell;
    this.onCell = onCell;
    this.cells = [];
    this.rows = 0;
    this.cols = 0;
    this.body = h("div", { class: "cl-grid__cells" });
    this.root = h("div", { class: `cl-grid ${className}`, role: "group", "aria-label": label }, this.body);
  }

  /** Make the grid `rows` × `cols` (cells are reused when the size is unchanged). */
  resize(rows, cols) {
    if (rows === this.rows && cols === this.cols) return;
    this.rows = rows;
    this.cols = cols;
    this.root.style.setProperty("--rows", rows);
    this.root.style.setProperty("--cols", cols);
    this.cells = [];
    const made = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const props = { class: "cl-grid__cell" };
        if (this.cellTag === "button") {
          Object.assign(props, { type: "button", onclick: () => this.onCell(i, j) });
        }
        const el = h(this.cellTag, props);
        this.cells.push(el);
        made.push(el);
      }
    }
    this.body.replaceChildren(...made);
  }

  cell(i, j) {
    return this.cells[i * this.cols + j];
  }

  /** A rectangle drawn over the cells (e.g. the kernel's window); place it with `place`. */
  overlay(className) {
    const el = h("div", { class: `cl-grid__window ${className}`, "aria-hidden": "true" });
    this.root.append(el);
    return el;
  }
}

/** Put an overlay over rows i…i+height−1 and columns j…j+width−1. */
export function place(el, i, j, height, width) {
  el.style.setProperty("--i", i);
  el.style.setProperty("--j", j);
  el.style.setProperty("--h", height);
  el.style.setProperty("--w", width);
}
