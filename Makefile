# Course Credits for Open edX. `make demo` and `make test` work on a fresh
# machine with only Python 3.11/3.12, make and git: each builds its own
# virtualenv in .venv and installs what it needs.

PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/db.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv test test-mysql test-all test-matrix test-tutor quality i18n demo demo-setup bench screenshots clean requirements tox

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements/quality.txt requirements/test.txt setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -r requirements/quality.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP) ## build the virtualenv in .venv

test: $(STAMP) ## run the whole test suite (SQLite; MariaDB tests skip when it is absent)
	$(BIN)/python -m pytest

# mysqlclient is the driver Open edX runs on; it compiles against libmariadb-dev (apt), so where
# it cannot be built the suite and the benchmark say so and use PyMySQL.
MYSQLCLIENT = $(BIN)/python -c "import MySQLdb" 2>/dev/null || $(BIN)/python -m pip install --quiet mysqlclient \
	|| echo "mysqlclient could not be built (apt-get install libmariadb-dev pkg-config): using PyMySQL"

test-mysql: $(STAMP) ## run the whole suite on MariaDB/MySQL (127.0.0.1:3306, root)
	$(MYSQLCLIENT)
	CREDITS_TEST_DB=mysql $(BIN)/python -m pytest

# The Tutor plugin (tutor/) is tested with the real tutor and tutor-mfe of each supported
# release, each in its own virtualenv: tutor pins click, jinja2 and more.
TUTOR_RELEASES ?= 21 22

.venv-tutor%/.installed: tutor/pyproject.toml
	test -x .venv-tutor$*/bin/python || $(PYTHON) -m venv .venv-tutor$*
	.venv-tutor$*/bin/python -m pip install --quiet --upgrade pip
	.venv-tutor$*/bin/python -m pip install --quiet "tutor==$*.*" "tutor-mfe==$*.*" -e tutor/
	touch $@

test-tutor: $(STAMP) $(TUTOR_RELEASES:%=.venv-tutor%/.installed) ## render the Tutor plugin with Tutor 21 and 22 (no Docker)
	$(BIN)/python -m pytest tests/tutor

quality: $(STAMP) ## lint, import layers, migrations and PII checks
	$(BIN)/ruff check credits_plugin credits_xblock demo tests bench tutor scripts setup.py
	$(BIN)/python scripts/i18n.py check
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/code_annotations django_find_annotations \
		--config_file .pii_annotations.yml --lint --report --coverage

demo-setup: $(STAMP)
	$(BIN)/python demo/manage.py migrate --noinput
	$(BIN)/python demo/manage.py load_demo_data

demo: demo-setup ## build, migrate, load sample data and serve the demo on http://127.0.0.1:8000
	@echo
	@echo "  Course Credits demo: open http://$(HOST):$(PORT)/"
	@echo "  Learners and authors sign in at http://$(HOST):$(PORT)/accounts/login/ :"
	@echo "    learner / learner (a learner), author / author (a course author, with Studio access)."
	@echo "  The operator signs in at http://$(HOST):$(PORT)/admin/ : staff / staff."
	@echo
	$(BIN)/python demo/manage.py runserver $(HOST):$(PORT)

i18n: $(STAMP) ## extract, merge and compile the French catalogs (scripts/i18n.py)
	$(BIN)/python scripts/i18n.py all

bench: $(STAMP) ## run the benchmarks in bench/
	$(MYSQLCLIENT)
	$(BIN)/python -m bench

# The screenshots in docs/: the MFE widgets (the widget harness, frontend/harness, built with npm,
# each state shot in Debian's Chromium by tests/browser/test_widgets.py) and the demo's pages
# (tests/browser/test_surfaces.py, test_studio_page.py and test_admin.py; the list is DOCS_PAGES in their conftest).
screenshots: $(STAMP) ## rebuild the screenshots in docs/images (widgets and pages)
	test -d frontend/node_modules || (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
	test -d tests/browser/node_modules || (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
	cd frontend && npm run build:harness
	CREDITS_DOCS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_widgets.py \
		tests/browser/test_surfaces.py tests/browser/test_studio_page.py tests/browser/test_admin.py

# The matrix checks the library versions; the demo's browser tests, schemathesis and the
# catalog extraction (which do not depend on them) run once, in make test.
test-matrix: $(STAMP) ## the suite at the floors (Django 4.2) and on the newest releases (Python 3.12), as CI runs it
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/tox -e py311-django42-min,py312-django52-latest -- -m "not schemathesis" \
		--ignore=tests/browser --ignore=tests/test_i18n.py

tox: $(STAMP) ## run the supported Python/Django matrix
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/tox

requirements: ## recompile requirements/*.txt from the .in files
	$(BIN)/python -m pip install --quiet pip-tools
	cd requirements && for f in base test quality dev; do \
		../$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links \
		--strip-extras --allow-unsafe -o $$f.txt $$f.in; done

clean: ## remove the virtualenv, builds and the demo database
	rm -rf $(VENV) .venv-tutor21 .venv-tutor22 build dist *.egg-info .pytest_cache .tox $(DEMO_DB)
