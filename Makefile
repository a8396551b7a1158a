# Pelican's conventions (`make html`, `make serve`) plus `make test`. Every target sets up .venv itself.
# The plugin is installed as a regular package (not editable): Pelican discovers namespace plugins by scanning
# site-packages/pelican/plugins, which an editable install does not populate. It is re-installed whenever a
# source file changes, so `make test` and `make html` always run the working tree's code.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONTENT ?= content
OUTPUT ?= output
PORT ?= 8000
PLUGIN_SOURCES := $(shell find pelican_plugin -type f -not -name '*.pyc' -not -path '*/__pycache__/*') pyproject.toml

.PHONY: install html serve test lint bench clean

$(BIN)/.deps: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools>=77" wheel
	$(BIN)/pip install --quiet '.[test,search,bench,cluster]'
	touch $@

$(BIN)/.installed: $(BIN)/.deps $(PLUGIN_SOURCES)
	$(BIN)/pip install --quiet --no-deps --force-reinstall --no-build-isolation .
	rm -rf build
	touch $@

install: $(BIN)/.installed

# `make html SITEURL=https://example.org/archive` builds for hosting under that address (sub-paths work);
# PELICANOPTS passes anything else to pelican (e.g. PELICANOPTS='-e NEWS_ARCHIVE_SEARCH=false').
# Without SITEURL the build is a preview for `make serve`: feeds get that server's address (FEED_DOMAIN), so they
# are valid where they are read, and Pelican has no reason to warn about them.
html: install
	$(BIN)/pelican $(CONTENT) -o $(OUTPUT) -s pelicanconf.py $(if $(SITEURL),-e 'SITEURL="$(SITEURL)"',-e 'FEED_DOMAIN="http://127.0.0.1:$(PORT)"') $(PELICANOPTS)

# The built site (search included) at http://127.0.0.1:$(PORT)/; any static server works the same way.
serve: html
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(OUTPUT) $(PORT)

lint: install
	$(BIN)/ruff check .

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

# Every quality and speed benchmark in benchmarks/, one line of figures each (reads ../shared/data; about 25 min).
BENCHMARKS := entity_tags countries related related_scale speed scale quotes
bench: install
	@for b in $(BENCHMARKS); do $(BIN)/python benchmarks/$$b.py || exit 1; done

clean:
	rm -rf $(OUTPUT) cache build
