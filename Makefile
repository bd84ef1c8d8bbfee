# Every target sets up what it needs on a fresh Debian 12 machine (as root):
# Debian packages through scripts/setup-system.sh, then a virtualenv in .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system demo test lint bench clean

setup: system $(STAMP)

system:
	bash scripts/setup-system.sh

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: check every template; render each blank and pre-filled; fill the
# blank forms with the sample records through real fillers; read every form back
# into records, CSV and XLSX under output/; print the summary.
demo: setup
	$(BIN)/dangan validate industries/
	$(BIN)/dangan roundtrip --output output

test: setup
	$(BIN)/ruff check engine tests
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: setup
	$(BIN)/ruff format --check engine tests
	$(BIN)/mypy engine

# Speed beside docxtpl, WeasyPrint and pypdf; writes docs/benchmarks.md. About 12 minutes
# on two cores. docxtpl is only a benchmark baseline, so only this target installs it.
bench: setup
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run.py

clean:
	rm -rf output .pytest_cache
