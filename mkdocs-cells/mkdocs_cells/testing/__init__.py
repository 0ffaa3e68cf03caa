"""Tools for testing and measuring a site built with the plugin, shared by the test suite and the
benchmarks: a static server (`server`), the site's pages (`pages`), a link checker (`links`),
and a built site served on 127.0.0.1 with the Chromium the browser tests use (`site`)."""
