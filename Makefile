# The same few commands for everyone, CI included (.ci/run calls `make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install explorer serve test lint schema

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# GraphiQL and React from npm (gateway/explorer/package-lock.json) into gateway/explorer/static/vendor/;
# does nothing when they were built from the current lock file.
explorer: install
	$(BIN)/python -m gateway.explorer.build --if-needed

serve: install explorer
	$(BIN)/spacecraft-gateway serve

# Without npm the explorer's tests skip (or fail under GATEWAY_REQUIRE_ALL=1), not the whole run.
test: install
	$(BIN)/python -m gateway.explorer.build --if-needed --optional
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
