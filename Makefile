# Homeward: `make run` for a local demo site, `make test` for the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo offers every language, drafts included, so that each can be tried; a real
# site offers a language once a fluent speaker has reviewed it (docs/TRANSLATIONS.md).
PUBLIC_LANGUAGES ?= cy,ar,fa,fa-af,ps,ti,ckb,vi,sq

.PHONY: run test lint messages bench clean

# (Re)install only when pyproject.toml changes.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 PUBLIC_LANGUAGES=$(PUBLIC_LANGUAGES) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs in TEST_WORKERS processes (pytest-xdist; 0 runs it in this one). Each has
# its own test database, and with REDIS_URL its own Redis database: the next ones after
# REDIS_URL's. The production fault suite runs beside them in a process of its own (its
# processes share that process's test database, so it cannot be one of a worker's runs),
# with the test database that has no worker's suffix and the Redis database after the
# workers'; it mostly waits on real processes, so beside the rest it costs little time.
# Its output follows the rest's. It is skipped without PostgreSQL and Redis.
TEST_WORKERS ?= 4

test: lint
	DEBUG=1 $(BIN)/python manage.py check --fail-level WARNING
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
ifeq ($(TEST_WORKERS),0)
	$(BIN)/pytest --ignore=tests/production
	$(BIN)/pytest tests/production
else
	@mkdir -p var
	@TEST_REDIS_DATABASE_OFFSET=$(TEST_WORKERS) $(BIN)/pytest -n 0 tests/production \
		> var/production-tests.log 2>&1 & production=$$!; \
	trap 'kill -INT $$production 2>/dev/null' INT TERM; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --ignore=tests/production; suite=$$?; \
	wait $$production; production=$$?; \
	echo "== the production fault suite, run beside the rest:"; \
	cat var/production-tests.log; \
	[ $$suite -eq 0 ] && [ $$production -eq 0 ]
endif

# The public interface's catalogues (site/locale): extract every string, then compile.
# Both results are committed; the suite fails on a catalogue compiled from an older source
# or with a string left untranslated. Needs GNU gettext.
MESSAGE_LANGUAGES := cy ar fa fa_AF ps ti ckb vi sq
messages: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py makemessages --no-location --ignore "tests/*" \
		--ignore "var/*" $(addprefix -l ,$(MESSAGE_LANGUAGES))
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore ".venv" $(addprefix -l ,$(MESSAGE_LANGUAGES))

# Benchmarks: not part of `make test`. Needs PostgreSQL, Redis and wrk (see docs/PERFORMANCE.md).
bench: $(INSTALLED)
	$(BIN)/python -m tests.bench.bench_pages

clean:
	rm -rf $(VENV) var *.egg-info
