# PAR INDEX — everyday commands. `make help` lists them.
#
# Quick start on a fresh Debian/Ubuntu machine with Python 3.11:  make run   and   make test
# Both can be run again: installs are skipped while pyproject.toml is unchanged, and a
# second `make run` keeps the database (load_demo is idempotent).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# python3.11 when there is one, else python3 (checked to be 3.11 before the venv is made).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
BASE_LOCK := requirements/base.lock
DEV_LOCK := requirements/dev.lock

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BACKUP_DIR ?= backups

INTEGRATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/parindex
INTEGRATION_REDIS_URL ?= redis://127.0.0.1:6379/0
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/parindex_bench

# The suite runs in one process per core (pytest-xdist); the tests of the real broker and workers share one
# process, one at a time (their xdist_group, set in tests/conftest.py). `make test PYTEST_PARALLEL=` runs serially.
PYTEST_PARALLEL ?= -n auto --dist loadgroup

# `make test` is the SQLite + eager-Celery suite whatever the shell exports.
SQLITE_ENV := env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND -u PARINDEX_INTEGRATION
INTEGRATION_ENV := env DATABASE_URL=$(INTEGRATION_DATABASE_URL) CELERY_BROKER_URL=$(INTEGRATION_REDIS_URL) \
	CELERY_RESULT_BACKEND=$(INTEGRATION_REDIS_URL) PARINDEX_INTEGRATION=1

.PHONY: help system-deps install lock lock-upgrade run test test-integration lint migrations-check worker beat messages bench \
	backup restore

help:
	@echo "make run               install, migrate, load the Lai Châu demo, serve on http://$(HOST):$(PORT)"
	@echo "make test              the whole test suite on SQLite, Celery eager (browser tests need /usr/bin/chromium)"
	@echo "make test-integration  the whole suite against PostgreSQL and Redis on 127.0.0.1"
	@echo "make lint              ruff check, ruff format --check, lint-imports"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make worker / beat     Celery worker / scheduler (CELERY_BROKER_URL, default local Redis)"
	@echo "make messages          update and compile locale/en"
	@echo "make lock              regenerate requirements/*.lock (hashes) from pyproject.toml, keeping existing pins"
	@echo "make lock-upgrade      the same, upgrading every pin to the newest allowed version"
	@echo "make backup            one archive of the database and media files in $(BACKUP_DIR)/ (BACKUP_DIR=...)"
	@echo "make restore ARCHIVE=… restore an archive made by make backup (asks before replacing data)"
	@echo "make bench             engine, API, survey, report and recompute benchmarks (needs PostgreSQL)"

system-deps:
	@bash scripts/system-deps.sh --python "$(PYTHON)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "PAR INDEX needs Python 3.11: no python3.11 or python3 on PATH." >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
		echo "PAR INDEX needs Python 3.11, but $(PYTHON) is $$($(PYTHON) -V 2>&1). Install python3.11 or run: make PYTHON=/path/to/python3.11 ..." >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs exactly the pinned, hash-checked versions of requirements/dev.lock (made by `make lock` from
# pyproject.toml); reinstalls only when the lock file changes.
$(STAMP): $(DEV_LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q --require-hashes -r $(DEV_LOCK)
	@touch $@

install: system-deps $(STAMP)

# pip-compile resolves against PyPI alone (the machine's pip.conf and PIP_FIND_LINKS are ignored), so the hashes are
# PyPI's wherever the lock is made. base.lock is what the image installs; dev.lock adds the dev extra on the same pins.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile \
	--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

# Needs only pip-tools, not an install of the current lock: at a merge the lock may be stale or in conflict.
lock: | $(BIN)/python
	@$(BIN)/python -c 'import piptools' 2>/dev/null || $(BIN)/python -m pip install -q 'pip-tools>=7.4'
	@mkdir -p requirements
	$(PIP_COMPILE) $(LOCK_FLAGS) --output-file $(BASE_LOCK) pyproject.toml
	$(PIP_COMPILE) $(LOCK_FLAGS) --extra dev --constraint $(BASE_LOCK) --output-file $(DEV_LOCK) pyproject.toml

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

# The whole target runs with DEBUG on (unless DEBUG is exported): without DEBUG the settings require a real
# SECRET_KEY and HTTPS, which a fresh clone on 127.0.0.1 does not have.
run: export DEBUG ?= true
run: install
	$(MANAGE) migrate --noinput
	@if [ -d locale ] && command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv -v 0; fi
	$(MANAGE) load_demo --demo-passwords
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@# DEBUG on: the demo is click-through with the printed passwords (no second factor is required by default).
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(SQLITE_ENV) $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test-integration: install
	$(BIN)/python scripts/ensure_database.py $(INTEGRATION_DATABASE_URL)
	$(INTEGRATION_ENV) $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# DEBUG=true: the check needs the models, not a production SECRET_KEY.
migrations-check: install
	$(SQLITE_ENV) DEBUG=true $(MANAGE) makemigrations --check --dry-run

worker: export DEBUG ?= true
worker: install
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(INTEGRATION_REDIS_URL)} $(BIN)/celery -A parindex worker -l info

beat: export DEBUG ?= true
beat: install
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(INTEGRATION_REDIS_URL)} $(BIN)/celery -A parindex beat -l info \
		--schedule $(VENV)/celerybeat-schedule

messages: export DEBUG ?= true
messages: install
	mkdir -p locale
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=test-artifacts --no-obsolete
	$(MANAGE) compilemessages -l en --ignore=.venv

backup: export DEBUG ?= true
backup: install
	$(MANAGE) backup --output $(BACKUP_DIR)

restore: export DEBUG ?= true
restore: install
	@if [ -z "$(ARCHIVE)" ]; then echo "usage: make restore ARCHIVE=backups/parindex-backup-….tar" >&2; exit 2; fi
	$(MANAGE) restore "$(ARCHIVE)"

# Benchmarks measure the production settings (DEBUG off), with a throwaway key and plain HTTP.
bench: export SECRET_KEY ?= bench-only-5d1f0a7c9e3b8d2f6a4c1e0b9d8f7a6c5e4d3b2a1f0e9d8c
bench: export SECURE_SSL_REDIRECT ?= false
bench: export STATICFILES_BACKEND ?= django.contrib.staticfiles.storage.StaticFilesStorage
bench: install
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python scripts/ensure_database.py $(BENCH_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/bench_rankings_api.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/bench_self_score_save.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/bench_survey.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/bench_reconcile.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/bench_reports.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/bench_recompute.py
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(INTEGRATION_REDIS_URL) $(BIN)/python benchmarks/bench_live_results.py
