"""HTML for a cell's build-time output: the same elements the page's output.js writes live."""

from __future__ import annotations

from html import escape


def settle(outputs: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """What is left on screen once ``clear_output`` and display updates have done their work."""
    shown: list[tuple[str, object]] = []
    for kind, payload in outputs:
        if kind == "clear":
            shown.clear()
        elif kind in ("image", "text") and payload.get("update"):
            shown = [(kind, payload) if same_display(old, payload) else (old_kind, old) for old_kind, old in shown]
        else:
            shown.append((kind, payload))
    return shown


def same_display(shown: object, update: dict) -> bool:
    return isinstance(shown, dict) and shown.get("id") is not None and shown["id"] == update["id"]


def render(outputs: list[tuple[str, object]], image_url) -> str:
    """``outputs`` as recorded by `cells.PageRun`; ``image_url(png_b64)`` stores a figure."""
    parts: list[str] = []
    last_kind = None
    for kind, payload in settle(outputs):
        if kind in ("stdout", "stderr") and kind == last_kind:
            parts[-1] = parts[-1].removesuffix("</pre>") + escape(payload) + "</pre>"
        elif kind in ("stdout", "stderr", "result", "error"):
            parts.append(f'<pre class="cl-out cl-out--{kind}" data-kind="{kind}">{escape(payload)}</pre>')
        elif kind == "image":
            parts.append(
                f'<img class="cl-out cl-out--image" src="{image_url(payload["png"])}" '
                f'alt="{escape(payload["alt"])}" loading="lazy">'
            )
        elif kind == "text":
            parts.append(f'<pre class="cl-out cl-out--result" data-kind="text">{escape(payload["text"])}</pre>')
        elif kind == "truncated":  # the runner's note of what its caps left out
            parts.append(f'<p class="cl-out cl-out--note">{escape(payload)}</p>')
        last_kind = kind
    return "".join(parts)
