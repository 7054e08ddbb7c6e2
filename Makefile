# Samenspel: every target sets up its own virtual environment when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run play test test-compat compat-env lint validate bench clean

# The newest Python the project supports, when this machine has it (empty if not).
COMPAT_PYTHON ?= $(shell for p in python3.13 $$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3 \
	/usr/bin/python3.13 /usr/local/bin/python3.13 2>/dev/null | sort -V -r); do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null && echo $$p && break; done)
COMPAT_VENV := .venv-compat

# --no-compile: Python compiles what is imported when it is first imported, instead of
# every file of every package at install (a third of the install's time).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -e '.[test]'
	touch $(STAMP)

## The default scenario, headless; results in out/
run: $(STAMP)
	$(BIN)/samenspel run neighbourhood --charts --out out/neighbourhood

## The game (a window; Dutch by default)
play: $(STAMP)
	$(BIN)/samenspel play

test: $(STAMP)
	$(BIN)/ruff check sim lab game tests bench conftest.py
	$(BIN)/samenspel validate scenarios/*.toml scenarios/validation/*.toml
	$(BIN)/pytest -n auto --dist loadgroup --durations=15

## The model's tests on the newest supported Python with the newest Mesa it gets;
## Mesa's deprecation warnings fail the run. COMPAT_READY=1: the environment was just
## built (CI), so pip is not asked again.
test-compat: $(if $(COMPAT_READY),,compat-env)
	$(COMPAT_VENV)/bin/python -c "import sys, mesa; print('test-compat: Python', sys.version.split()[0], 'Mesa', mesa.__version__)"
	$(COMPAT_VENV)/bin/pytest -n auto -m "not slow" -W error::FutureWarning -W error::DeprecationWarning tests/sim

## The newest Python's environment, with the newest Mesa it gets (CI builds it while
## `make test` runs).
compat-env:
	@test -n "$(COMPAT_PYTHON)" || { echo "test-compat: no Python 3.13 on this machine"; exit 3; }
	$(COMPAT_PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/pip install --quiet --upgrade pip
	$(COMPAT_VENV)/bin/pip install --quiet --upgrade --no-compile -e '.[test]'

lint: $(STAMP)
	$(BIN)/ruff check sim lab game tests bench conftest.py

validate: $(STAMP)
	$(BIN)/samenspel validate scenarios/*.toml scenarios/validation/*.toml

bench: $(STAMP)
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) $(COMPAT_VENV) out .pytest_cache .ruff_cache

print-compat-python:
	@echo $(COMPAT_PYTHON)
