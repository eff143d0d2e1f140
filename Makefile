# The README's commands. `make run` sets up and starts the portal with demo data; `make test` sets up
# and runs lint, the core alone (CCHC_PLUGINS= , no plug-in), then the whole suite twice: on
# SQLite + filesystem broker, then on PostgreSQL + Redis.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The portal's DEBUG is off unless set (production never shows a traceback); these are development
# commands, so they turn it on unless the environment already says otherwise (DEBUG=0 make run).
export DEBUG ?= 1

# WeasyPrint (pango, harfbuzz), document fonts, pdftotext for document tests, msgfmt for compilemessages.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-croscore poppler-utils gettext
BROWSER_PACKAGES := chromium

PG_DATABASE_URL := postgres://postgres@127.0.0.1:5432/cchc
REDIS_URL       := redis://127.0.0.1:6379/0
PYTEST_ARGS     ?=
# Two workers: the suite runs in about half the time (tests/conftest.py keeps it order-independent).
PYTEST_WORKERS  ?= 2
PYTEST          := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: run test lint setup venv deps system-packages browser messages migrate demo \
        test-core test-sqlite test-postgres services vendor makemessages clean fuzz

run: setup migrate demo
	$(PY) manage.py run_portal --host $(HOST) --port $(PORT)

test: setup browser lint test-core test-sqlite test-postgres

setup: venv deps system-packages messages

venv:
	@scripts/ensure-venv.sh "$(PYTHON)"

deps: venv
	@scripts/install-python-deps.sh

system-packages:
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)

browser:
	@test -x /usr/bin/chromium || scripts/system-packages.sh $(BROWSER_PACKAGES)

messages: deps
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate: deps
	$(PY) manage.py migrate --noinput

demo: deps
	$(PY) manage.py load_demo

lint: deps
	$(VENV)/bin/ruff check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

# The core without procedures and indicators: what a province that scores elsewhere runs.
# tests/conftest.py leaves out the tests of the absent plug-ins.
test-core: deps
	@echo "== Core alone (CCHC_PLUGINS=) on SQLite + filesystem broker =="
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND CCHC_PLUGINS= \
		$(PY) manage.py check --fail-level WARNING
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND CCHC_PLUGINS= \
		$(PYTEST) -m "not browser" $(PYTEST_ARGS)

test-sqlite: deps
	@echo "== Test suite on SQLite + filesystem broker =="
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND $(PYTEST) $(PYTEST_ARGS)

# Property-based fuzzing of every form, importer and GET parameter with 1,000+ inputs per target
# (tests/fuzz; CI runs the same tests with the small `ci` profile). Prints "target: N inputs, F failed".
fuzz: deps
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -p no:cacheprovider tests/fuzz -q $(PYTEST_ARGS)

services:
	@scripts/services.sh cchc

test-postgres: deps services
	@echo "== Test suite on PostgreSQL + Redis =="
	env -u CELERY_RESULT_BACKEND DATABASE_URL=$(PG_DATABASE_URL) CELERY_BROKER_URL=$(REDIS_URL) \
		$(PYTEST) $(PYTEST_ARGS)

vendor:
	@scripts/vendor.sh

# Refresh locale/vi/LC_MESSAGES/django.po from the sources (then fill any English msgid).
makemessages: deps
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=static

clean:
	rm -rf var/test-db.sqlite3* .pytest_cache .ruff_cache
