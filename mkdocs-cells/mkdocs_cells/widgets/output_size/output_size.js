// Figure 4: the output-size calculator. Five whole numbers in, the size out, as you type, with
// the formula filled in; a strip shows where the kernel's positions fall along one axis and
// which input columns the floor leaves unread. shapes.outputSize and shapes.coverage are
// checked against cl.output_size and cl.conv1d over every input this figure accepts
// (tests/test_widget_math.py).
import { h, numberBox } from "../dom.js";
import { coverage, span } from "../shapes.js";
import { restore, wholeIn } from "../state.js";

const FIELDS = [
  ["size", "Input size W"],
  ["kernel", "Kernel K"],
  ["padding", "Padding P"],
  ["stride", "Stride S"],
  ["dilation", "Dilation D"],
];
const STRIP_MAX = 64; // widest padded input drawn as a strip

export function mount(root, data, { state: saved } = {}) {
  const state = restore(Object.fromEntries(FIELDS.map(([key]) => [key, data[key]])), saved,
    Object.fromEntries(FIELDS.map(([key]) => [key, wholeIn(...data.ranges[key])])));
  const problems = new Map();

  const boxes = FIELDS.map(([key, text]) => {
    const [min, max] = data.ranges[key];
    const box = numberBox(text, { min, max, value: state[key] }, (value) => {
      const n = Number(value);
      const ok = value.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;
      box.input.setAttribute("aria-invalid", String(!ok));
      if (ok) {
        state[key] = n;
        problems.delete(key);
      } else problems.set(key, `${text} must be a whole number from ${min} to ${max}.`);
      update();
    });
    return box;
  });
  const result = h("output", { class: "cl-size__result", "aria-live": "polite" });
  const lines = h("div", { class: "cl-size__lines" });
  const strip = h("div", { class: "cl-size__strip" });
  const stripBox = h("div", { class: "cl-widget__scroll" }, strip);

  root.append(
    h("div", { class: "cl-widget__controls cl-size__inputs" }, boxes.map((b) => b.root)),
    h("div", { class: "cl-size__answer" }, h("span", { class: "cl-size__label" }, "output size"), result, lines),
    stripBox,
  );

  function update() {
    if (problems.size) {
      result.textContent = "—";
      lines.replaceChildren(...[...problems.values()].map((text) => h("p", { class: "cl-size__problem" }, text)));
      strip.replaceChildren();
      return;
    }
    const { size: W, kernel: K, padding: P, stride: S, dilation: D } = state;
    const reach = span(K, D);
    const cover = coverage(W, K, { stride: S, padding: P, dilation: D });
    const room = W + 2 * P - reach;
    const out = [];
    if (D === 1) out.push(line("output = ⌊(W − K + 2P) / S⌋ + 1", "cl-size__symbolic"));
    else {
      out.push(line("output = ⌊(W − K′ + 2P) / S⌋ + 1, where K′ = D·(K − 1) + 1 is the span of the dilated kernel",
        "cl-size__symbolic"));
      out.push(line(`K′ = ${D}·(${K} − 1) + 1 = ${reach}`));
    }
    const k = D === 1 ? `${K}` : `${reach}`;
    if (!cover) {
      result.textContent = "none";
      out.push(line(`(W − ${D === 1 ? "K" : "K′"} + 2P) = ${W} − ${k} + 2·${P} = ${room} is negative: ` +
        `the kernel spans ${reach} columns but the padded input has only ${W + 2 * P}.`, "cl-size__problem"));
      lines.replaceChildren(...out);
      strip.replaceChildren();
      return;
    }
    result.textContent = String(cover.out);
    out.push(line(`= ⌊(${W} − ${k} + 2·${P}) / ${S}⌋ + 1 = ⌊${room} / ${S}⌋ + 1 = ` +
      `${Math.floor(room / S)} + 1 = ${cover.out}`));
    if (room % S) {
      const many = cover.leftover.length > 1;
      const end = cover.leftover.length
        ? `${plural(cover.leftover, "column")} ${list(cover.leftover)} of the input ${many ? "are" : "is"} never read`
        : "only padding is left out";
      out.push(line(`The floor drops the remainder ${room % S}: the last window ends at padded column ${cover.last}, ` +
        `so ${end}.`, "cl-size__floor"));
    } else out.push(line(`${S} divides ${room} exactly: the last window ends at the last padded column.`));
    if (cover.skipped.length) {
      const many = cover.skipped.length > 1;
      out.push(line(`${plural(cover.skipped, "Column")} ${list(cover.skipped)} fall${many ? "" : "s"} between ` +
        `the kernel's taps and ${many ? "are" : "is"} never read either.`, "cl-size__floor"));
    }
    lines.replaceChildren(...out);
    drawStrip(cover);
  }

  function drawStrip(cover) {
    const { size: W, kernel: K, padding: P, stride: S, dilation: D } = state;
    const n = W + 2 * P;
    if (n > STRIP_MAX) {
      const text = `The strip is drawn for padded inputs of up to ${STRIP_MAX} columns.`;
      strip.replaceChildren(h("p", { class: "cl-widget__about" }, text));
      return;
    }
    const reach = span(K, D);
    const lanes = Math.min(cover.out, Math.ceil(reach / S));
    const bars = [];
    for (let m = 0; m < cover.out; m++) {
      const taps = Array.from({ length: K },
        (_, t) => h("i", { style: { left: `calc(${t * D} * var(--step) + var(--cell) / 2)` } }));
      bars.push(h("span", {
        class: "cl-size__bar",
        title: `output ${m}: padded columns ${m * S}–${m * S + reach - 1}`,
        style: { "--x": m * S, "--lane": m % lanes, "--span": reach },
      }, taps));
    }
    const cells = [];
    for (let i = 0; i < n; i++) {
      const x = i - P;
      const pad = x < 0 || x >= W;
      const kind = pad ? "pad" : cover.read[x] ? "read" : cover.leftover.includes(x) ? "leftover" : "skipped";
      cells.push(h("span", { class: `cl-size__cell is-${kind}` }, pad ? "" : String(x)));
    }
    strip.style.setProperty("--n", n);
    strip.style.setProperty("--cell", n <= 16 ? "1.6rem" : n <= 32 ? "1.15rem" : "0.85rem");
    strip.style.setProperty("--lanes", lanes);
    strip.replaceChildren(
      h("div", { class: "cl-size__bars", "aria-hidden": "true" }, bars),
      h("div", { class: "cl-size__cells", role: "img", "aria-label": stripLabel(cover, n) }, cells),
      h("div", { class: "cl-keys", "aria-hidden": "true" },
        h("span", { class: "cl-key cl-key--kernel" }, "kernel positions (dots: taps)"),
        h("span", { class: "cl-key cl-key--input" }, "read"),
        h("span", { class: "cl-key cl-key--pad" }, "padding"),
        h("span", { class: "cl-key cl-key--unread", hidden: !cover.leftover.length && !cover.skipped.length }, "never read")),
    );
  }

  update();
  return { state: () => ({ ...state }), code: () => code(state) };
}

const line = (text, className = "") => h("p", { class: className }, text);
const plural = (items, word) => (items.length > 1 ? `${word}s` : word);

/** 0, 1, 2, 5 and 7; long lists are cut: 0, 1, 2, … (40 in all). */
function list(items) {
  if (items.length > 8) return `${items.slice(0, 6).join(", ")}, … (${items.length} in all)`;
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : `${items[0]}`;
}

function stripLabel(cover, n) {
  const never = [...cover.leftover, ...cover.skipped].sort((a, b) => a - b);
  return `${n} padded columns, ${cover.out} kernel positions; ` +
    (never.length ? `input columns never read: ${never.join(", ")}` : "every input column is read");
}

/** The state as convlesson code (output_size/__init__.py: code). */
function code({ size, kernel, padding, stride, dilation }) {
  return (
    "import convlesson as cl\n\n" +
    `W, K, P, S, D = ${size}, ${kernel}, ${padding}, ${stride}, ${dilation}  # input, kernel, padding, stride, dilation\n` +
    "out = cl.output_size(W, K, stride=S, padding=P, dilation=D)\n" +
    'print("output size:", out)\n\n' +
    "last = (out - 1) * S + D * (K - 1)  # the last padded index the kernel reads\n" +
    'print("padded indices the floor leaves out:", list(range(last + 1, W + 2 * P)))\n'
  );
}
