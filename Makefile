# The two commands: `make run` (the portal with its seed content) and `make test`.
# Both create the virtualenv and install the pinned requirements when needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REQUIREMENTS := requirements/dev.txt
INSTALLED := $(VENV)/.installed-$(shell sha1sum $(REQUIREMENTS) | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers suit the two cores of the CI machine; each gets its own test database.
PYTEST_WORKERS ?= 2

.PHONY: install run test check pytest bench audit screenshots lock messages catalogues clean

install: $(INSTALLED)

# The lock file lists every package: --no-deps keeps pip's resolver out, which refuses a
# pinned package asked for with an extra (coverage[toml]) once a newer release exists;
# pip check then says whether the lock is complete.
$(INSTALLED): $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(REQUIREMENTS)
	$(VENV)/bin/pip check --disable-pip-version-check
	rm -f $(VENV)/.installed-*
	touch $@

## run: set up and serve the portal with the full seed content on SQLite (var/db.sqlite3)
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_seed_content
	$(PY) manage.py create_demo_accounts
	@echo "Portal: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: lint, Django checks and the whole suite on PostgreSQL (see scripts/with-postgres.sh)
test: install
	scripts/with-postgres.sh $(MAKE) --no-print-directory check pytest

check:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=baltmet.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=baltmet.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=baltmet.settings.production ALLOWED_HOSTS=portal.example.org \
	  SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  $(PY) manage.py check --deploy --fail-level WARNING

pytest:
	$(PY) -m pytest -n $(PYTEST_WORKERS) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

## bench: serve the portal as in production on a large data set and measure it (bench/README.md)
bench: install
	scripts/with-postgres.sh $(PY) bench/run.py

## audit: Lighthouse and the Nu HTML checker on every public page type (audit/run.py)
# npm ci without install scripts: vnu-jar's would download a Java runtime, and nothing may
# download a browser (Lighthouse uses Debian's Chromium, CHROMIUM_PATH).
AUDIT_NPM := audit/node_modules/.installed-$(shell sha1sum audit/package-lock.json | cut -c1-12)

$(AUDIT_NPM): audit/package-lock.json
	cd audit && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

audit: install $(AUDIT_NPM)
	$(PY) audit/run.py

## screenshots: the README's pictures (docs/screenshots/), taken by the browser tests
screenshots: install
	SCREENSHOTS_DIR=docs/screenshots scripts/with-postgres.sh $(PY) -m pytest -p no:cacheprovider \
	  --no-cov -q tests/browser/test_accessibility.py -k screenshots

## messages: update the interface's translations (locale/*/LC_MESSAGES/django.po) from the
## templates and code, and compile them (needs gettext); the .mo files are committed, so
## `make run` needs no gettext. baltmet/languages/tests/test_catalogues.py runs the same.
LANGUAGES := da de et fi lt lv nb pl ru sv
MESSAGES_SOURCES := --ignore=.venv --ignore=var --ignore=audit --ignore=bench --ignore=scripts \
  --ignore=tests --ignore="*/tests/*" --ignore="*/node_modules/*"

messages: install
	$(MAKE) --no-print-directory catalogues

catalogues:
	DJANGO_SETTINGS_MODULE=baltmet.settings.test $(PY) manage.py makemessages \
	  $(addprefix -l ,$(LANGUAGES)) $(MESSAGES_SOURCES) --no-obsolete
	DJANGO_SETTINGS_MODULE=baltmet.settings.test $(PY) manage.py compilemessages \
	  --ignore=.venv --ignore=var

## lock: recompile the pinned requirements from pyproject.toml
lock:
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.txt

clean:
	rm -rf $(VENV) var .coverage htmlcov audit/node_modules
