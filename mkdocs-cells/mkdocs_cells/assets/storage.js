// The reader's edits, kept in localStorage per page and cell. The key includes a hash of the
// lesson's original code, so when the lesson changes an old edit is not brought back.

const PREFIX = "convlesson:edit:";

function hash(text) {
  let h = 0x811c9dc5; // FNV-1a, 32 bits: enough to tell versions of one cell apart
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

const key = (page, cell, original) => `${PREFIX}${page}#${cell}:${hash(original)}`;

export function loadEdit(page, cell, original) {
  try {
    return localStorage.getItem(key(page, cell, original));
  } catch {
    return null; // storage disabled: edits live as long as the page
  }
}

export function saveEdit(page, cell, original, code) {
  try {
    if (code === original) localStorage.removeItem(key(page, cell, original));
    else localStorage.setItem(key(page, cell, original), code);
  } catch {
    // storage full or disabled: the edit stays in the editor
  }
}

export function forgetEdit(page, cell, original) {
  saveEdit(page, cell, original, original);
}
