# notesite's one task runner. `make serve` to read notes/ as a site, `make test` for every check.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# mkdocs-material's notice about its end of life says nothing about this project's build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint typecheck pytest site-check browser bench clean

serve: $(STAMP)  ## Set up, then serve notes/ with live reload at http://127.0.0.1:8000
	$(BIN)/mkdocs serve

build: $(STAMP)  ## Set up, then build notes/ into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict

test: $(STAMP) browser lint typecheck pytest site-check  ## Set up, then run every check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The browser tests drive Debian's Chromium through Playwright (never Playwright's own download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

site-check: $(STAMP)  ## The project's own notes: linted, then built with no warning at all
	$(BIN)/notesite check
	$(BIN)/mkdocs build --strict --site-dir "$$(mktemp -d)"

bench: $(STAMP)  ## Build generated vaults of 1k and 10k notes, time a live-preview edit; print times, memory, sizes
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site bench/out .pytest_cache .mypy_cache .ruff_cache
