# Two commands: `make serve` (the site with runnable cells) and `make test` (the whole suite).
# Each sets up what it needs first: a virtualenv with pinned packages, the verified
# self-hosted Pyodide, and for the tests Debian's Chromium, Firefox ESR and WebKitGTK.

PYTHON ?= python3
ADDR ?= 127.0.0.1:8000
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build pyodide chromium firefox webkit vendor lighthouse clean

serve: $(VENV)/.docs pyodide
	$(BIN)/mkdocs serve -a $(ADDR)

# WITH_TORCH=1 also installs PyTorch (CPU) so the tests that compare with it run too;
# without it they are skipped (a reader's machine would download gigabytes).
test: $(VENV)/.test pyodide chromium firefox webkit tests/engines/node_modules/.installed
	@if [ -n "$(WITH_TORCH)" ]; then $(BIN)/python -m pip install --quiet -r requirements/torch.txt; fi
	$(BIN)/pytest

build: $(VENV)/.docs pyodide
	$(BIN)/mkdocs build --strict

# Core from npm, wheels from PyPI (or the cache, or the CDN), each checked against the
# official Pyodide 0.27.7 hashes. The site build copies it into site/pyodide/.
pyodide: $(VENV)/.docs
	@command -v npm >/dev/null || { apt-get update && apt-get install -y npm; }
	$(BIN)/python -m mkdocs_cells.pyodide_dist build/pyodide

# Rebuild the vendored third-party code: the CodeMirror bundle and KaTeX (needs npm;
# authors never need to: the results are committed in mkdocs-cells/mkdocs_cells/assets/vendor/).
vendor:
	cd mkdocs-cells/vendor && npm ci --no-audit --no-fund && npm run build

# Lighthouse on every page (mobile): prints a table of scores and what costs any of them.
# npm lighthouse (version pinned in the script) is installed once into ~/.cache/convlesson/.
lighthouse: $(VENV)/.test pyodide chromium
	@command -v npm >/dev/null || { apt-get update && apt-get install -y npm; }
	$(BIN)/python benchmarks/bench_lighthouse.py

chromium:
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }

# The other engines readers use, for tests/test_engines.py: Firefox ESR (driven by Puppeteer),
# and WebKitGTK's MiniBrowser with its WebDriver, on a virtual X server.
firefox:
	@command -v firefox-esr >/dev/null || { apt-get update && apt-get install -y --no-install-recommends \
		firefox-esr=153.8.0esr-1~deb12u1; }

webkit:
	@{ command -v WebKitWebDriver && command -v Xvfb; } >/dev/null || { apt-get update && \
		apt-get install -y --no-install-recommends webkit2gtk-driver=2.50.6-1~deb12u2 \
		xvfb=2:21.1.7-3+deb12u13 xauth=1:1.1.2-1; }

# Puppeteer, pinned by tests/engines/package-lock.json; it drives Debian's Firefox, so it
# downloads no browser of its own.
tests/engines/node_modules/.installed: tests/engines/package-lock.json
	@command -v npm >/dev/null || { apt-get update && apt-get install -y npm; }
	cd tests/engines && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.docs: requirements/docs.txt pyproject.toml mkdocs-cells/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/docs.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . -e mkdocs-cells
	touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.docs
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

clean:
	rm -rf site build $(VENV)
