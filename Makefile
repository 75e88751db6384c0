# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The sample plan is for 2022: the demo is served as of a day in that year (see README). Empty = the real date.
DEMO_TODAY ?= 2022-07-08

.PHONY: run test lint format bench load browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Front-end packages come from the npm registry at set-up and are served from this machine (no CDN).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# `ecotarget run` starts the real server (gunicorn, `ecotarget serve`, which collects the static files, hashed and
# compressed, first) and the background worker (`ecotarget worker`), and starts again either one that stops.
run: $(VENV)/.installed node_modules/.package-lock.json
	$(BIN)/ecotarget load-demo
	ECOTARGET_TODAY=$(DEMO_TODAY) $(BIN)/ecotarget run $(HOST)

# Browser tests need Debian's chromium (and CJK fonts for readable screenshots); install them when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	  else echo "chromium is missing: sudo apt-get install chromium fonts-noto-cjk (browser tests will be skipped)"; fi; }

test: $(VENV)/.installed node_modules/.package-lock.json browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/ecotarget makemigrations --check --dry-run
	$(BIN)/pytest

lint format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/parse_bench.py
	$(BIN)/python bench/pages_bench.py
	$(BIN)/python bench/progress_bench.py
	$(BIN)/python bench/standards_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/reports_bench.py
	$(BIN)/python bench/uploads_bench.py --runs 1
	$(BIN)/python bench/stations_bench.py
	$(BIN)/python bench/accounts_bench.py
	$(BIN)/python bench/jobs_bench.py
	$(BIN)/python bench/backup_bench.py --db-mb 50 --evidence-mb 50
	-$(BIN)/python bench/assessment_bench.py  # exits 1 while gathering misses its 200 ms target

# A county's load on the real server (locust, 50 users for 60 s, a few minutes): see bench/load.py.
load: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache
