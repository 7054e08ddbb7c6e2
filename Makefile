# Samenspel: every target sets up its own virtual environment when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run play test lint validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## The default scenario, headless; results in out/
run: $(STAMP)
	$(BIN)/samenspel run neighbourhood --out out/neighbourhood

## The game (a window; Dutch by default)
play: $(STAMP)
	$(BIN)/samenspel play

test: $(STAMP)
	$(BIN)/ruff check sim game tests bench
	$(BIN)/samenspel validate scenarios/*.toml scenarios/validation/*.toml
	$(BIN)/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check sim game tests bench

validate: $(STAMP)
	$(BIN)/samenspel validate scenarios/*.toml scenarios/validation/*.toml

bench: $(STAMP)
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
