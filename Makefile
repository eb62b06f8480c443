# Tamyr: `make demo` to try it, `make test` to check it. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test install install-dev messages makemessages lint format typecheck pytest \
        pytest-postgres system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled in pure Python (babel), so a fresh machine needs no gettext to run the demo.
messages: $(VENV)/.installed
	@$(BIN)/pybabel compile --domain django --directory tamyr/locale 2>&1 | grep -v '^compiling' || true

# For developers adding strings: needs GNU gettext (scripts/system-deps installs it).
makemessages: install-dev
	cd tamyr && ../$(BIN)/python ../manage.py makemessages --no-location --no-obsolete -l kk -l ru -l en

demo: install messages
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)/
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	 $(BIN)/python manage.py run_huey --quiet & WORKER=$$!; \
	 $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

system-deps:
	@scripts/system-deps

CODE := tamyr tests $(wildcard bench)

lint: install-dev
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/ruff check $(CODE)

format: install-dev
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev messages system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL (DATABASE_URL, default: the local server's `test` database).
pytest-postgres: install-dev messages system-deps
	@scripts/ensure-postgres
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
