# Tienda: `make run` for a working demo shop, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TIENDA := $(BIN)/tienda
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run install test lint typecheck lock clean-data

run: install
	@mkdir -p .data
	$(TIENDA) migrate
	@scripts/seed-if-empty.sh
	@$(TIENDA) urls
	@$(BIN)/honcho start -f Procfile

install: $(VENV)/.installed tools/node_modules/.installed

$(VENV)/.installed: requirements/dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

tools/node_modules/.installed: tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lock:
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --no-emit-index-url \
	  --python-version 3.11 -q -o requirements/runtime.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --no-emit-index-url \
	  --python-version 3.11 -q -o requirements/dev.txt

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	terraform fmt -check -recursive infra

typecheck: install
	$(BIN)/mypy

test: lint typecheck
	scripts/infra-checks.sh
	$(BIN)/pytest

clean-data:
	rm -rf .data
