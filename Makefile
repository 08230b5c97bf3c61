# Tienda: `make run` for a working demo shop, `make test` for the whole suite.
SHELL := /bin/bash
PY312 ?= $(shell PYENV_VERSION=3.12.1 pyenv which python3.12 2>/dev/null || command -v python3.12)
BIN := .venv/bin
SPA := backoffice/spa
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run install test lint spa spa-test check-spa-client lock clean-data

run: install spa
	@$(BIN)/python manage.py collectstatic --noinput -v0
	@scripts/seed-if-empty.sh
	@scripts/serve.sh

install: .venv/.installed node_modules/.installed $(SPA)/node_modules/.installed

.venv/.installed: requirements-dev.txt
	@test -x $(BIN)/python || $(PY312) -m venv .venv
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements-dev.txt
	@touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(SPA)/node_modules/.installed: $(SPA)/package-lock.json
	cd $(SPA) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The staff SPA, rebuilt when its sources change; the backoffice deployment serves dist/.
SPA_SOURCES := $(shell find $(SPA)/src $(SPA)/index.html $(SPA)/vite.config.ts -type f 2>/dev/null)
$(SPA)/dist/index.html: $(SPA)/node_modules/.installed $(SPA_SOURCES)
	cd $(SPA) && npm run build --silent
	@touch $@

spa: $(SPA)/dist/index.html

spa-test: install
	cd $(SPA) && npm test --silent

# CI fails when the committed OpenAPI document or the client generated from it is stale.
check-spa-client: install
	scripts/check-spa-client.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null

lock:
	$(BIN)/uv pip compile requirements.in --generate-hashes --no-emit-index-url --python-version 3.12 -q -o requirements.txt
	$(BIN)/uv pip compile requirements-dev.in --generate-hashes --no-emit-index-url --python-version 3.12 -q -o requirements-dev.txt

# Every test runs on SQLite; every database test runs again on PostgreSQL.
test: lint check-spa-client spa-test spa
	scripts/bicep-checks.sh
	$(BIN)/pytest
	TIENDA_TEST_DATABASE=postgresql $(BIN)/pytest -m "django_db and not browser"

clean-data:
	rm -rf .data
