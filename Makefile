# Portail des clauses sociales — `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install lock run migrate seed serve test test-fast lint format messages check-deploy bench clean backup restore

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

# The locked versions (every file checked against its hash), then the project itself without
# its dependencies, built by the locked setuptools: nothing unpinned is installed. Redone only
# when the lock or pyproject.toml (the package list) changed. Without bytecode compilation
# (Python compiles what it imports, once): a fresh install takes half the time.
$(VENV)/.installed: requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --no-compile --require-hashes -r requirements/dev.txt
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the locked requirements/dev.txt (only when it changed)

LOCK_ARGS ?=
lock: install ## Recompile requirements/*.txt from pyproject.toml, keeping the locked versions (LOCK_ARGS=--upgrade: the newest allowed), then install
	$(PY) -m devtools.lockfile $(LOCK_ARGS)
	$(MAKE) install

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo content (idempotent)
	$(PY) manage.py seed_demo

run: seed ## Set everything up and serve the portal with demo content on SQLite
	@echo ""
	@echo "  Portal: http://$(HOST):$(PORT)/fr/   (English: /en/)"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/   login: admin / changeme (demo only)"
	@echo "  Mail:   the send_outbox worker runs beside the server and prints mails here"
	@echo ""
	@$(PY) manage.py send_outbox --loop --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install ## Run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install ## Run the tests without the browser tests
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

lint: install ## Check code style (ruff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Fix code style (ruff)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Extract interface strings into the .po files and compile them
	$(PY) manage.py makemessages -l en -l fr -i "$(VENV)/*" -i "staticfiles/*" -i "media/*"
	$(PY) manage.py compilemessages -i "$(VENV)"

check-deploy: install ## Django's deployment checks with production settings and dummy secrets
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=portal.example.org WAGTAILADMIN_BASE_URL=https://portal.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

backup: install ## Back up the database and the media into backups/<date-time>/ (or BACKUP=<folder>)
	$(PY) manage.py backup_site $(BACKUP)

restore: install ## Replace the database and the media by BACKUP=<folder>, then check every page
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<folder>"; exit 2; }
	$(PY) manage.py restore_site $(BACKUP) --check-pages

BENCH_DB ?= /tmp/portal-bench.sqlite3
BENCH_ARGS ?=
bench: install ## Benchmark on all of France, load tests included (BENCH_ARGS=--quick: shorter runs; figures: docs/benchmarks.md)
	rm -f $(BENCH_DB)
	DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_DB) MEDIA_ROOT=/tmp/portal-bench-media $(PY) manage.py seed_demo
	DEBUG=false DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py bench_directory --load-all
	DEBUG=false DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py bench_map
	DEBUG=false DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py bench_import
	DEBUG=false DATABASE_URL=sqlite:///$(BENCH_DB) $(PY) manage.py bench_load $(BENCH_ARGS)
	@# Then on PostgreSQL, when DATABASE_URL points to one (an empty database: the load of
	@# France is timed there too).
	@case "$$DATABASE_URL" in postgres*) \
		$(PY) manage.py migrate --noinput -v0 && \
		MEDIA_ROOT=/tmp/portal-bench-media $(PY) manage.py seed_demo && \
		DEBUG=false $(PY) manage.py bench_directory --load-all && \
		DEBUG=false $(PY) manage.py bench_load $(BENCH_ARGS);; \
	esac

clean: ## Remove the virtual environment, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3 media staticfiles
