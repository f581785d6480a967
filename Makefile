# The two commands of the README: `make run` and `make test`. Both build the
# virtual environment first (python3 and pip are all a fresh machine needs).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEEDS  ?= ../shared/seeds
DB     ?= warlog.db

.PHONY: run test test-fast lint bench clean-env

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

## the main job on the seed pages (or SEEDS=any/folder)
run: $(BIN)/.installed
	$(BIN)/warlog run --db $(DB) $(SEEDS)

## the whole test suite, slow and browser tests included, and the linter
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

## quick loop while developing: skips tests marked slow
test-fast: $(BIN)/.installed
	$(BIN)/pytest -m "not slow" -q

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_ingest.py

clean-env:
	rm -rf $(VENV)
