# Two commands for a fresh machine (Python 3.11+ and pip are all it needs):
#   make lab    set up .venv if needed and open the course in JupyterLab at lesson 00
#   make test   set up .venv if needed and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to start as root (CI, containers) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=

.PHONY: lab test setup benchmark coverage clean guide

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	# PySAL's inequality (a test-only reference implementation) without its libpysal/geopandas stack,
	# which the modules the tests use never import; the pin is the reference-nodeps extra in pyproject.toml.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		$$($(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['reference-nodeps'])")
	# rfc3987-syntax builds a grammar on every `import nbformat` (2+ s per notebook); nothing in
	# the course needs the IRI format check it provides. See README, "Why these dependencies".
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(STAMP)

# jupyter-config/ holds the course's JupyterLab settings: no "official Jupyter news" prompt, no news
# feed, no update check (each is a network request; the course runs offline). It is added to the
# config path, so a student's own settings still win.
LAB_CONFIG := JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"

lab: $(STAMP)
	$(LAB_CONFIG) $(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax -p no:cacheprovider \
		tests notebooks exercises/source $(PYTEST_ARGS)

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

coverage: $(STAMP)
	$(BIN)/python -m course.syllabus

# The instructor guide (instructor-only: answers, model answers, rubrics) as Markdown in build/guide/.
guide: $(STAMP)
	$(BIN)/python -m instructor.guide build build/guide

clean:
	rm -rf $(VENV)
