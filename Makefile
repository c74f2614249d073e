# Two commands: `make run` (install, ingest, start the bot or the console chat) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast install install-test ingest lint eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Downloads the official texts of knowledge/sources.yaml when online; offline, the cached copies
# and the mirror folder (SOURCES_MIRROR) stand in, and exit status 3 says a download failed.
ingest: install
	$(BIN)/python ingest.py --fetch || test $$? -eq 3

run: ingest
	$(BIN)/python -m bot run

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# The edit loop: no embedding model, no corpus, no Chroma server (tests marked slow skipped).
test-fast: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow"

eval: install-test
	$(BIN)/python -m devtools eval

bench: install-test
	$(BIN)/python -m devtools bench

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
