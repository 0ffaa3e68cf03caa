// Code cells of notebook pages (rendered by mkdocs-jupyter) as runnable cells: each gets the
// role, name and number of a Markdown cell, and an output area holding the notebook's own
// outputs until the reader runs it.

export function notebookCells() {
  const cells = [...document.querySelectorAll(".jupyter-wrapper .jp-CodeCell:not([data-live])")]
    .filter((cell) => !cell.querySelector(".jp-CodeCell")); // nbconvert nests one cell in another
  return cells.map((root, index) => {
    const number = index + 1;
    root.classList.add("cl-cell", "cl-cell--notebook");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", `Code cell ${number}`);
    root.dataset.cell = String(number);
    root.querySelector(".zeroclipboard-container")?.remove(); // the cell's Copy button replaces it
    const output = document.createElement("div");
    output.className = "cl-cell__output";
    output.setAttribute("aria-live", "polite");
    const built = root.querySelector(".jp-Cell-outputWrapper");
    if (built) output.append(built);
    root.append(output);
    return {
      root,
      source: root.querySelector(".clipboard-copy-txt").textContent,
      code: root.querySelector(".jp-InputArea-editor"),
      output,
    };
  });
}
