# Homeward: `make run` for a local demo site, `make test` for the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench clean

# (Re)install only when pyproject.toml changes.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs in TEST_WORKERS processes (pytest-xdist; 0 runs it in this one). Each has
# its own test database, and with REDIS_URL its own Redis database: the next ones after
# REDIS_URL's. The production fault suite then runs alone: its processes share the test
# database with the test process, and the test database's flush and restore around each
# scenario must not meet another test's (it is skipped without PostgreSQL and Redis).
TEST_WORKERS ?= 4

test: lint
	DEBUG=1 $(BIN)/python manage.py check --fail-level WARNING
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --ignore=tests/production
	$(BIN)/pytest -n 0 tests/production

# Benchmarks: not part of `make test`. Needs PostgreSQL, Redis and wrk (see docs/PERFORMANCE.md).
bench: $(INSTALLED)
	$(BIN)/python -m tests.bench.bench_pages

clean:
	rm -rf $(VENV) var *.egg-info
