"""A built site on 127.0.0.1, and the headless Chromium that drives it (tests and benchmarks)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .server import Server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# A page script: of the URLs given, those the site's service worker has not kept, once it has
# kept them all or the time (ms) is up. Evaluate with [urls, timeout].
NOT_KEPT = """async ([urls, timeout]) => {
  const deadline = performance.now() + timeout;
  for (;;) {
    const kept = new Set();
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) kept.add(request.url);
    }
    const missing = urls.filter((url) => !kept.has(url));
    if (!missing.length || performance.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}"""


def build(project: Path, site: Path, site_url: str, *extra: str) -> subprocess.CompletedProcess:
    """``mkdocs build`` of the project at ``project`` into ``site``, for ``site_url``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra, "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url},
    )


@contextmanager
def served_site(project: Path, **options):
    """Build the site of ``project`` into a temporary folder and serve it, as a plain static
    host would.

    The server starts first so the build takes its address as ``site_url``: Material's
    instant navigation only engages on that host. ``options`` go to the server (e.g.
    ``compress=True``). Yields ``(site folder, server)``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        server = Server(site, **options)
        try:
            built = build(project, site, server.url, "--quiet")
            if built.returncode:
                raise RuntimeError(f"mkdocs build failed:\n{built.stdout}{built.stderr}")
            yield site, server
        finally:
            server.close()
