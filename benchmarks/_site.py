"""The built site on 127.0.0.1, for the benchmarks that drive Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from static_server import Server  # noqa: E402


@contextmanager
def served_site(**options):
    """Build the site into a temporary folder and serve it, as a plain static host would.

    The server starts first so the build takes its address as ``site_url``: Material's
    instant navigation only engages on that host. ``options`` go to the server (e.g.
    ``compress=True``). Yields ``(site folder, server)``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        server = Server(site, **options)
        try:
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                           cwd=ROOT, check=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": server.url})
            yield site, server
        finally:
            server.close()
