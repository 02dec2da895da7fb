# The two commands of the README. Both create .venv and install Switchboard into it when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the server on :8080 with the example workflows, on SQLite, and the simulators on :9090
run: $(STAMP)
	$(BIN)/switchboard serve --demo

## test: lint, type-check and the whole test suite
test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

## bench: the benchmarks of bench/, whose figures go into BENCHMARKS.md
bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/plivo.py
	$(BIN)/python bench/server.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
