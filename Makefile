# The course in two commands:
#   make start       install (once) and open JupyterLab on the first notebook
#   make test        install (once) and run every check (what CI runs)
#   make test-quick  lint and the fast unit tests, for the inner loop
#
# The course runs on Python 3.11 to 3.13 (TensorFlow 2.21 has no packages for other versions):
# the first of python3, python3.13, python3.12, python3.11 in that range is used, unless you
# choose one with `make start PYTHON=python3.12`.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
	&& { echo $$p; exit 0; }; done; echo python3)
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: start test test-quick install clean-notebooks check-notebooks refresh-notebooks student offline-data benchmark

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt -e .
	@touch $@

install: $(VENV)/.installed

start: install
	$(BIN)/python tools/lab.py $(LAB_ARGS)

test: install
	$(BIN)/python tools/run_checks.py

test-quick: install
	$(BIN)/python tools/run_checks.py --quick

clean-notebooks: install
	$(BIN)/python tools/notebooks.py clean

check-notebooks: install
	$(BIN)/python tools/notebooks.py check

refresh-notebooks: install
	$(BIN)/python tools/notebooks.py refresh $(NB)

student: install
	$(BIN)/python tools/notebooks.py student

# every data set and weight file of the course into DIR, for machines without internet
offline-data: install
	@test -n "$(DIR)" || { echo "say where to put the files: make offline-data DIR=course-data"; exit 2; }
	$(BIN)/python -m helpers.data.offline $(DIR)

benchmark: install
	$(BIN)/python benchmarks/run_benchmarks.py
