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

.PHONY: start test test-quick install install-dev badges clean-notebooks check-notebooks refresh-notebooks student offline-data benchmark site

# One stamp per package set. `make start` installs what the notebooks need (requirements.txt);
# `make test` adds the tools that check the course (requirements-dev.txt, which includes
# requirements.txt), so a learner who later runs `make test` gets them then.
$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

start: install
	$(BIN)/python tools/lab.py $(LAB_ARGS)

test: install-dev
	$(BIN)/python tools/run_checks.py

test-quick: install-dev
	$(BIN)/python tools/run_checks.py --quick

clean-notebooks: install
	$(BIN)/python tools/notebooks.py clean

check-notebooks: install
	$(BIN)/python tools/notebooks.py check

refresh-notebooks: install-dev
	$(BIN)/python tools/notebooks.py refresh $(NB)

student: install
	$(BIN)/python tools/notebooks.py student

# the website of the executed course in build/site/ (index.html): runs every notebook once, in
# fast mode, with the notebook checks, then builds the pages from those runs; no network needed
site: install-dev
	$(BIN)/python tools/run_checks.py --only notebooks,site

# every data set and weight file of the course into DIR, for machines without internet
offline-data: install
	@test -n "$(DIR)" || { echo "say where to put the files: make offline-data DIR=course-data"; exit 2; }
	$(BIN)/python -m helpers.data.offline $(DIR)

benchmark: install-dev
	$(BIN)/python benchmarks/run_benchmarks.py

# the course's public address (pyproject.toml) and every notebook's Colab and Binder badges:
# `make badges` rewrites them, `make badges REPO=owner/name` moves the course first
badges: install
	$(BIN)/python tools/badges.py $(if $(REPO),--repo $(REPO))
