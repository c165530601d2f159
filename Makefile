# The same few commands for everyone, CI included (.ci/run calls `make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

JS_STAMP := tests/js/node_modules/.installed-$(shell cksum < tests/js/package-lock.json | cut -d' ' -f1)
CODEGEN_STAMP := tests/js/codegen/node_modules/.installed-$(shell cksum < tests/js/codegen/package-lock.json | cut -d' ' -f1)

.PHONY: install js explorer serve test lint schema compare dist

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# The JavaScript clients and the GraphQL-over-HTTP audit the tests drive (tests/js/), and
# GraphQL Code Generator, which writes the trusted-documents manifest they use (tests/js/codegen/).
js: $(JS_STAMP) $(CODEGEN_STAMP)

$(JS_STAMP): tests/js/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/js --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the tests that drive JavaScript clients will skip"; \
	fi

$(CODEGEN_STAMP): tests/js/codegen/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/js/codegen --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the trusted-documents tests will skip"; \
	fi

# GraphiQL and React from npm (gateway/explorer/package-lock.json) into gateway/explorer/static/vendor/;
# does nothing when they were built from the current lock file.
explorer: install
	$(BIN)/python -m gateway.explorer.build --if-needed

# An sdist and a wheel in dist/, both holding the explorer's files (the build backend runs npm ci).
dist: install
	$(BIN)/python -m build --outdir dist .

# Migrates first: a database made by an older checkout would be refused by `serve` (behind).
serve: install explorer
	$(BIN)/spacecraft-gateway migrate
	$(BIN)/spacecraft-gateway serve

# Without npm the explorer's tests skip (or fail under GATEWAY_REQUIRE_ALL=1), not the whole run.
test: install js
	$(BIN)/python -m gateway.explorer.build --if-needed --optional
	$(BIN)/pytest

# The gateway beside PostGraphile 4 and two floors on 100,000 spacecraft (README "Performance");
# needs PostgreSQL, wrk and npm. `make compare ARGS=--quick` for a smoke run.
compare: install
	$(BIN)/python -m bench.compare $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
