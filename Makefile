# Developer and CI entry points. Install steps leave stamp files, so a second `make test`
# with nothing changed goes straight to the tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.dlstudio-installed
FE_DEPS_STAMP := frontend/node_modules/.dlstudio-installed
# What backend/web.py reads to find the bundle: present means built.
FE_BUILD_STAMP := frontend/dist/.vite/manifest.json
FE_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/vite.config.* frontend/tsconfig*.json)
# Root installs system packages directly; anyone else goes through sudo.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

TEST_DATABASE_SERVER ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
TEST_BROKER_URL ?= redis://127.0.0.1:6379/7

.PHONY: help install run test test-postgres lint chromium bench

help:
	@echo "make install        Python venv (with the worker and dev extras) and the built front end"
	@echo "make run            install, then run the whole studio: $(BIN)/dlstudio serve"
	@echo "make test           install, then the Python suite (SQLite + embedded Valkey) and front-end checks"
	@echo "make test-postgres  the Python suite against PostgreSQL and Redis on 127.0.0.1"
	@echo "make lint           ruff, mypy, front-end typecheck and lint"
	@echo "make bench          every bench/bench_*.py, each against its own baseline"

install: $(PY_STAMP) $(FE_BUILD_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e '.[worker,dev]'
	touch $@

$(FE_DEPS_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

$(FE_BUILD_STAMP): $(FE_DEPS_STAMP) $(FE_SOURCES)
	cd frontend && npm run build
	touch $@

# A source deleted between reading this file and building (an editor's temporary file) would
# otherwise stop make with "No rule to make target".
$(FE_SOURCES): ;

run: install
	$(BIN)/dlstudio serve

# The browser tests drive Debian's chromium (Playwright's own download is not available).
chromium:
	@command -v chromium >/dev/null || { \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

test: install chromium
	$(BIN)/pytest -q
	cd frontend && npm test && npm run typecheck && npm run lint

test-postgres: install chromium
	DLSTUDIO_TEST_DATABASE_URL='$(TEST_DATABASE_SERVER)' DLSTUDIO_TEST_BROKER_URL='$(TEST_BROKER_URL)' \
		$(BIN)/pytest -q

lint: $(PY_STAMP) $(FE_DEPS_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	cd frontend && npm run typecheck && npm run lint

bench: install
	for script in bench/bench_*.py; do $(BIN)/python "$$script"; done
