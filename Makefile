# Tienda: `make run` for a working demo shop, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv-legacy
BIN := $(VENV)/bin
TIENDA := $(BIN)/tienda
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run install test lint typecheck lock clean-data spa check-api-client spa-test django-install django-lock django-test

run: install spa
	@scripts/seed-if-empty.sh
	@$(TIENDA) urls
	@$(BIN)/honcho start -f Procfile

install: $(VENV)/.installed tools/node_modules/.installed backoffice-ui/node_modules/.installed

$(VENV)/.installed: requirements/dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

tools/node_modules/.installed: tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

backoffice-ui/node_modules/.installed: backoffice-ui/package-lock.json
	cd backoffice-ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The SPA is rebuilt when its sources change; it calls the backoffice API on this machine.
SPA_SOURCES := $(shell find backoffice-ui/src backoffice-ui/index.html backoffice-ui/vite.config.ts -type f 2>/dev/null)
backoffice-ui/dist/index.html: backoffice-ui/node_modules/.installed $(SPA_SOURCES)
	cd backoffice-ui && VITE_API_BASE_URL=$${VITE_API_BASE_URL:-http://127.0.0.1:8001} npm run build --silent
	@touch $@

spa: backoffice-ui/dist/index.html

# CI fails when the committed OpenAPI document or the client generated from it is stale.
check-api-client: install
	@mkdir -p .data
	$(BIN)/python scripts/export-openapi.py .data/openapi.check.json
	@diff -q backoffice-ui/openapi.json .data/openapi.check.json >/dev/null || { \
	  echo "backoffice-ui/openapi.json is stale: run scripts/export-openapi.py backoffice-ui/openapi.json, then npm run generate"; exit 1; }
	cd backoffice-ui && npm run --silent check-generated

spa-test: install
	cd backoffice-ui && npm test --silent

lock:
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --no-emit-index-url \
	  --python-version 3.11 -q -o requirements/runtime.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --no-emit-index-url \
	  --python-version 3.11 -q -o requirements/dev.txt

lint: install
	$(BIN)/ruff check --config pyproject.toml src legacy bench scripts functions
	$(BIN)/lint-imports
	terraform fmt -check -recursive infra

typecheck: install
	$(BIN)/mypy

test: lint typecheck check-api-client spa-test spa django-test
	scripts/infra-checks.sh
	$(BIN)/pytest -c pyproject.toml legacy/tests

# --- the Django project (growing beside the legacy stack until it replaces it) ---------------
PY312 ?= $(shell PYENV_VERSION=3.12.1 pyenv which python3.12 2>/dev/null || command -v python3.12)
DJ := .venv/bin

django-install: .venv/.installed tools/node_modules/.installed

.venv/.installed: requirements-dev.txt
	@test -x $(DJ)/python || $(PY312) -m venv .venv
	@test -x $(DJ)/uv || $(DJ)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(DJ)/uv pip sync --quiet --python $(DJ)/python requirements-dev.txt
	@touch $@

django-lock:
	$(DJ)/uv pip compile requirements.in --generate-hashes --no-emit-index-url --python-version 3.12 -q -o requirements.txt
	$(DJ)/uv pip compile requirements-dev.in --generate-hashes --no-emit-index-url --python-version 3.12 -q -o requirements-dev.txt

# Every test runs on SQLite; every database test runs again on PostgreSQL.
django-test: django-install
	$(DJ)/ruff check .
	$(DJ)/python manage.py makemigrations --check --dry-run >/dev/null
	$(DJ)/pytest
	TIENDA_TEST_DATABASE=postgresql $(DJ)/pytest -m "django_db and not browser"

clean-data:
	rm -rf .data
