# Kerja Sama: the commands people and CI run. `make run` serves the app, `make test` tests it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` uses the embedded defaults: SQLite, eager Celery tasks, e-mail on the console.
RUN_ENV := DEBUG=true

.PHONY: document-tools run test lint format messages bench worker beat browser java hostlibs clean

$(VENV)/.runtime: requirements.txt scripts/find-python
	@test -x $(PY) || { python=$$(scripts/find-python) && "$$python" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# WeasyPrint's host libraries: Pango, and HarfBuzz's subsetter for the fonts it embeds. Installed
# with apt-get when missing and run as root; otherwise the command to run is printed.
HOST_LIBS := libpango-1.0-0:libpango-1.0 libpangoft2-1.0-0:libpangoft2-1.0 libharfbuzz-subset0:libharfbuzz-subset
hostlibs:
	@missing=; for pair in $(HOST_LIBS); do \
	  $$(command -v ldconfig || echo /sbin/ldconfig) -p | grep -q "$${pair#*:}" || missing="$$missing $${pair%%:*}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "PDF rendering needs:$$missing (Debian/Ubuntu: sudo apt-get install$$missing)" >&2; exit 1; fi; fi

run: $(VENV)/.runtime hostlibs
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests; never a browser downloaded by a test tool.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# The accessibility and markup checks: axe-core and the Nu HTML Checker from npm (package.json),
# the checker on Debian's Java.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "The checks need npm: sudo apt-get install npm" >&2; exit 1; fi; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "The HTML checks need Java: sudo apt-get install default-jre-headless" >&2; exit 1; fi; }

# Poppler and ZBar: the documents' tests render pages to PNG and decode their QR codes.
document-tools:
	@command -v pdftoppm >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools >/dev/null; \
	  else echo "The document tests need: sudo apt-get install poppler-utils zbar-tools" >&2; exit 1; fi; }

test: $(VENV)/.dev browser java hostlibs node_modules/.installed document-tools
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

messages: $(VENV)/.dev
	DEBUG=true $(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=staticfiles --ignore=media
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

# A local worker and beat against CELERY_BROKER_URL (production runs them from docker-compose.yml).
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A kerjasama worker --loglevel=INFO

beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A kerjasama beat --loglevel=INFO

bench: $(VENV)/.dev
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
