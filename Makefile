# forktree: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: compile run test bench lint screenshots soak clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "forktree needs Python 3.11+")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Bytecode for a fast start: pip compiles installed packages, not this editable source,
# and where PYTHONDONTWRITEBYTECODE is set Python would compile it again at every start.
compile: $(STAMP)
	@$(PY) -m compileall -q tui

run: compile
	$(PY) -m tui

test: compile lint
	$(PY) -m pytest -q -n auto

# ruff; the import contracts in pyproject.toml (engine below app and CLI, store below
# the engine's parts, providers and tools below the facade); and the type checker
lint: $(STAMP)
	$(PY) -m ruff check tui tests
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy

bench: compile
	$(PY) -m tests.bench $(ARGS)

screenshots: $(STAMP)
	$(PY) -m tests.screenshots

soak: $(STAMP)
	FORKTREE_SOAK_KILLS=500 FORKTREE_SOAK_OPS=2000 $(PY) -m pytest -q -m timeout_budget tests/reliability

clean:
	rm -rf $(VENV) .bench
