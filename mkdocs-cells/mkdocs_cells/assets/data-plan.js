// The reader's data plan: Python, numpy and matplotlib are over 20 MB, too much to fetch in the
// background of a page read on a metered or slow connection. Where the browser says the reader
// saves data (Save-Data) or is on 2G (navigator.connection; Chromium browsers), Python loads only
// on the reader's first interaction with a cell.

/** Whether the page should not load Python before the reader asks for it. */
export function savesData() {
  const connection = navigator.connection;
  return Boolean(connection?.saveData) || ["slow-2g", "2g"].includes(connection?.effectiveType);
}
