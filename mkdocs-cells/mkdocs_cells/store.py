"""Files a build makes for its pages (figures' PNGs, a widget's binary data), named by content.

The pages link to them at once; the plugin writes them all into the site after the build.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from mkdocs.utils import get_relative_url

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FOLDER = "assets/cells/files"


class Store:
    """Every file stored during one build, by its path in the site."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def add(self, data: bytes, suffix: str, page_url: str) -> str:
        """Keep ``data`` for the site; its URL relative to the page at ``page_url``."""
        name = f"{FOLDER}/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        self.files[name] = data
        return get_relative_url(name, page_url)

    def write(self, site: Path) -> None:
        for name, data in self.files.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(data)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header (its IHDR chunk comes first)."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("a figure marked image/png is not a PNG")
    return struct.unpack(">II", data[16:24])
