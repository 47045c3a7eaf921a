# The README's commands. `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= sqlite

.PHONY: demo test bench lint serve migrate clean help

help:
	@echo "make demo   - set up, migrate, seed demo data and serve at http://127.0.0.1:8000"
	@echo "make test   - set up and run the whole test suite"
	@echo "make bench  - benchmarks against a live server (DB=sqlite|postgresql)"
	@echo "make lint   - ruff and mypy"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/booking demo

serve: $(STAMP)
	$(BIN)/booking serve

migrate: $(STAMP)
	$(BIN)/booking db upgrade

# The OpenID Connect tests start a real provider (npm's oidc-provider) on loopback; without npm they are
# skipped (CI sets BOOKING_REQUIRE_OIDC=1, which turns that skip into a failure).
OIDC_MODULES := tests/oidc/node_modules/.package-lock.json
$(OIDC_MODULES): tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/oidc && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the OpenID Connect tests will be skipped"; fi

# `make test` runs the tests in PYTEST_WORKERS processes (pytest-xdist), each with its own databases,
# live server, browser and ports; PYTEST_WORKERS=0 runs them serially in one process, PYTEST_WORKERS=auto
# one per core. `--dist loadfile --no-loadscope-reorder`: a test file runs whole on one worker in file
# order, and the files are handed out in collection order (tests/browser/conftest.py counts on that order).
# (Not loadgroup: with pytest 9.2, xdist 3.8's xdist_group no longer changes the node ids it groups by.)
# PYTEST_ARGS is for the caller (.ci/run passes its own) and adds to this.
PYTEST_WORKERS ?= 2
PYTEST_XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder)

test: $(STAMP) $(OIDC_MODULES)
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --db $(DB) $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check booking tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
