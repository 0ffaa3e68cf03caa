"""A static server for the built site on 127.0.0.1, as a plain host would serve it.

Used by the browser tests and the benchmarks: no special headers unless asked (e.g. those for
cross-origin isolation), an optional path prefix (the site under ``/convlesson/`` as on GitHub
Pages), optional gzip of text files (as GitHub Pages and most hosts send them), a log of the
paths requested and a count of the bytes sent. Its ``root`` can be changed while it runs: a new
deploy at the same address; ``delays`` (path suffix → seconds) makes files slow to come.
"""

from __future__ import annotations

import gzip
import http.server
import io
import os
import sys
import threading
import time
from pathlib import Path

# What a host compresses: text, not the already-compressed wasm, wheels, zips or PNGs.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class Server:
    """Serve ``root`` under ``prefix`` on a free port of 127.0.0.1, in a background thread."""

    def __init__(self, root: Path, prefix: str = "/", headers: dict[str, str] | None = None,
                 compress: bool = False):
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        server = self
        self.root = root
        self.bytes_sent = 0
        self.requests: list[str] = []
        self.delays: dict[str, float] = {}

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map = {
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".mjs": "text/javascript", ".wasm": "application/wasm",
                ".whl": "application/octet-stream",
            }

            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def end_headers(self):
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                super().end_headers()

            def send_head(self):
                server.requests.append(self.path)
                time.sleep(next((s for end, s in server.delays.items() if self.path.endswith(end)), 0))
                if compress and "gzip" in self.headers.get("Accept-Encoding", ""):
                    return self.send_gzipped() or super().send_head()
                return super().send_head()

            def send_gzipped(self):
                """Send a text file gzipped, as a host would; None for anything else."""
                path = self.translate_path(self.path)
                if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
                    path = os.path.join(path, "index.html")
                content_type = self.guess_type(path)
                if not os.path.isfile(path) or not content_type.startswith(COMPRESSIBLE):
                    return None
                body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return io.BytesIO(body)

            def translate_path(self, path):
                if not path.startswith(prefix):
                    return str(server.root / "__outside_prefix__")
                return super().translate_path("/" + path[len(prefix):])

            def copyfile(self, source, outputfile):
                start = source.tell()
                super().copyfile(source, outputfile)
                server.bytes_sent += source.tell() - start

            def log_message(self, *args):
                pass

        class Quiet(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed tab cuts downloads
                    super().handle_error(request, client_address)

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}{prefix}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def count(self, suffix: str) -> int:
        """How many requests asked for a path ending in ``suffix``."""
        return sum(path.split("?")[0].endswith(suffix) for path in self.requests)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
