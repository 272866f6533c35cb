# Two commands work on a fresh machine (Python 3.11, pip, gcc):
#   make demo   set up .venv, install scratchgrad, run the main job (a CNN on digits)
#   make test   set up .venv, install the dev extras (torch as the oracle), run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# pip, not uv: torch==2.13.0 comes from the machine's local wheel folder (pip's find-links).

.PHONY: setup setup-dev demo examples test test-reference quality lint fmt type bench docs check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(BIN)/scratchgrad train digits-cnn

examples: $(VENV)/.installed
	$(BIN)/python examples/run_all.py

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q
	$(MAKE) test-reference

# The NumPy reference path of every op that has a compiled kernel (SCRATCHGRAD_KERNELS=numpy).
test-reference: $(VENV)/.installed-dev
	SCRATCHGRAD_KERNELS=numpy $(BIN)/python -m pytest -q \
		tests/kernels tests/ops/spatial tests/ops/neural tests/optim tests/ml

quality: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -m slow

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests examples benchmarks tools
	$(BIN)/ruff format --check src tests examples benchmarks tools
	$(BIN)/mypy

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests examples benchmarks tools
	$(BIN)/ruff check --fix src tests examples benchmarks tools

type: $(VENV)/.installed-dev
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

docs: $(VENV)/.installed
	$(BIN)/python -m tools.ops_catalog > docs/ops.md

check: lint test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
