# The course in two commands:
#   make start   install (once) and open JupyterLab on the first notebook
#   make test    install (once) and run every check (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: start test install lab clean-notebooks check-notebooks refresh-notebooks student benchmark

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt -e .
	@touch $@

install: $(VENV)/.installed

start: install
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

test: install
	$(BIN)/python tools/run_checks.py

clean-notebooks: install
	$(BIN)/python tools/notebooks.py clean

check-notebooks: install
	$(BIN)/python tools/notebooks.py check

refresh-notebooks: install
	$(BIN)/python tools/notebooks.py refresh $(NB)

student: install
	$(BIN)/python tools/notebooks.py student

benchmark: install
	$(BIN)/python benchmarks/run_benchmarks.py
