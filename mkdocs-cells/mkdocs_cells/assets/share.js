// Share links: a cell's code or a figure's state, compressed (deflate) into the link's
// fragment, `#share=cell-3&code=…` or `#share=cl-widget-2&state=…`. The fragment never
// leaves the browser, so no server sees the code. Opening such a link puts the code in the
// cell (cell.js) or the state in the figure (widgets.js); it never runs anything.

// A 20-line cell makes a link of a few hundred characters; past these, a link is refused
// (when made) or rejected (when opened), before anything is decompressed into the page.
const MAX_FRAGMENT = 16_000;
const MAX_TEXT = 100_000;

/** The link to this page that carries `value` for `target` ("cell-3", "cl-widget-2"). */
export async function shareLink(target, key, value) {
  const payload = await compress(value);
  const fragment = new URLSearchParams({ share: target, [key]: payload }).toString();
  if (fragment.length > MAX_FRAGMENT) {
    throw new Error(`Too long to share by link (${fragment.length.toLocaleString("en")} characters compressed, ` +
      `at most ${MAX_FRAGMENT.toLocaleString("en")}): copy the code instead.`);
  }
  return `${location.origin}${location.pathname}#${fragment}`;
}

/**
 * The share link the page was opened with: null if the fragment is not one, else
 * `{target, key, read()}`, `read()` resolving with the shared text or rejecting with an
 * error that says what is wrong with the link.
 */
export function sharedInLink(hash = location.hash) {
  const params = new URLSearchParams(hash.slice(1));
  const target = params.get("share");
  if (target === null) return null;
  const key = params.has("code") ? "code" : "state";
  const read = async () => {
    if (hash.length > MAX_FRAGMENT + 1) {
      throw new Error(`it is ${hash.length.toLocaleString("en")} characters long, more than a share link can be`);
    }
    const payload = params.get(key);
    if (!payload) throw new Error("it holds no code: it was cut short");
    if (!/^[\w-]+$/.test(payload)) throw new Error("it was damaged (its code holds characters a share link never has)");
    return decompress(payload);
  };
  return { target, key, read };
}

async function compress(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return base64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** The text of `payload`, read no further than MAX_TEXT bytes (a small link can unpack huge). */
async function decompress(payload) {
  let bytes;
  try {
    bytes = Uint8Array.from(atob(payload.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  } catch {
    throw new Error("it is not a share link this site made (its code is not base64url)");
  }
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_TEXT) {
        reader.cancel();
        throw new RangeError(`its code is over ${MAX_TEXT.toLocaleString("en")} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new Error("it was damaged or cut short (its code does not decompress)");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer());
  } catch {
    throw new Error("it was damaged (its code is not text)");
  }
}

function base64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A note at the top of the page, for a share link that names nothing on it. */
export function pageNote(text) {
  const note = Object.assign(document.createElement("p"), { className: "cl-share-note", textContent: text });
  note.setAttribute("role", "alert");
  const content = document.querySelector("article") ?? document.body;
  content.prepend(note);
  note.scrollIntoView({ block: "nearest" });
  return note;
}
