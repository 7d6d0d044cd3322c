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

N ?= 50

.PHONY: lab test setup sandbox benchmark coverage classroom student-edition zh clean guide site slides site-test web-deps

setup: $(STAMP) sandbox

$(STAMP): pyproject.toml classroom/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,classroom]'
	# PySAL's inequality (a test-only reference implementation) without its libpysal/geopandas stack,
	# which the modules the tests use never import; the pin is the reference-nodeps extra in pyproject.toml.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		$$($(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['reference-nodeps'])")
	# rfc3987-syntax builds a grammar on every `import nbformat` (2+ s per notebook); nothing in
	# the course needs the IRI format check it provides. See README, "Why these dependencies".
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	# The classroom's proxy (configurable-http-proxy, npm) goes into classroom/node_modules, pinned by
	# its package-lock.json. Without npm the classroom cannot start; everything else still works.
	if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix classroom --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the JupyterHub classroom (classroom/) needs Node.js and npm for its proxy"; \
	fi
	touch $(STAMP)

# jupyter-config/ holds the course's JupyterLab settings: no "official Jupyter news" prompt, no news
# feed, no update check (each is a network request; the course runs offline). It is added to the
# config path, so a student's own settings still win.
LAB_CONFIG := JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"
# The grading sandbox needs bubblewrap (Debian: apt-get install bubblewrap). Installed here when we may
# (root with apt, as on CI); otherwise a note, and the grading tests say they were skipped and why.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's bubblewrap for the grading sandbox..."; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null; } \
				|| echo "Could not install bubblewrap: grading (and its tests) need it."; \
		else echo "Note: bubblewrap (bwrap) is not installed; grading needs it: sudo apt-get install bubblewrap"; fi; }

lab: $(STAMP)
	$(LAB_CONFIG) $(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

# The whole suite in one pytest run: the website and slides are built first (from stored outputs, no kernel;
# nothing is rebuilt when no input changed), then every test, including the site's browser tests (tests/site).
test: site
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax -p no:cacheprovider \
		tests notebooks exercises/source $(PYTEST_ARGS)

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

# A simulated class of N students on a real JupyterHub (root: one Unix user per student), graded
# end to end; prints phase timings, memory per student server and peak load. See classroom/README.md.
classroom: $(STAMP)
	$(BIN)/python classroom/simulate.py --students $(N)

# The Chinese edition (translations/README.md): merge the English text into the catalogues
# (translations/zh/*.po, course/locale/...), then rebuild and execute notebooks/zh/ for every lesson
# whose catalogue is complete.
zh: $(STAMP)
	$(BIN)/python scripts/translations.py update
	$(BIN)/python scripts/translations.py build --all
	$(BIN)/python scripts/translations.py status

coverage: $(STAMP)
	$(BIN)/python -m course.syllabus

# What students receive (lessons, datasets, the course package, released problem sets), without
# instructor material: DEST=dir to choose the folder.
student-edition: $(STAMP)
	$(BIN)/python exercises/grade.py student-edition $(or $(DEST),dist/student-edition) --force
# The instructor guide (instructor-only: answers, model answers, rubrics) as Markdown in build/guide/.
guide: $(STAMP)
	$(BIN)/python -m instructor.guide build build/guide

# ---- website and slides ------------------------------------------------------------------------
# Python side: the `site` extra of pyproject.toml (Sphinx, MyST-NB, Furo). JavaScript side: reveal.js and
# MathJax from the npm registry into web/node_modules (pinned by web/package-lock.json), copied next to
# the pages at build time, so nothing is loaded from a CDN when a page is viewed.
SITE_STAMP := $(VENV)/.installed-site
WEB_STAMP  := web/node_modules/.installed

$(SITE_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,classroom,site]'
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(SITE_STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix web --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(WEB_STAMP)

web-deps: $(SITE_STAMP) $(WEB_STAMP)

# Slides: one reveal.js deck per lesson from its cells tagged `slide` (CONTRIBUTING.md, section 8).
slides: web-deps
	$(BIN)/python -m web.slides build/slides

# The student site (build/site/, with the slides and the Chinese pages in build/site/zh/) and the instructor
# guide site (build/instructor-site/), both from stored outputs: no notebook is executed. The instructor site
# is built at the same time as the slides and the student site (its guide's numbers are computed in Python
# while Sphinx builds the other), and nothing is rebuilt when none of the inputs below changed since the
# last build (build/.site-built); `make clean` or deleting that file forces a rebuild.
SITE_INPUTS := $(wildcard notebooks/*.ipynb notebooks/zh/*.ipynb instructor/*.py instructor/lessons/*.md \
	instructor/problem_sets/*.md web/*.py course/*.py datasets/*.csv datasets/*.json datasets/README.md \
	tests/lesson_answers.py exercises/source/*/*.ipynb exercises/README.md) \
	notebooks $(wildcard notebooks/zh) instructor/lessons instructor/problem_sets
build/.site-built: $(SITE_INPUTS) $(SITE_STAMP) $(WEB_STAMP)
	@mkdir -p build
	$(BIN)/python -m web.website instructor & inst=$$!; \
	$(BIN)/python -m web.slides build/slides && $(BIN)/python -m web.website student; st=$$?; \
	wait $$inst; it=$$?; [ $$st = 0 ] && [ $$it = 0 ]
	touch $@

site: build/.site-built

# Builds the site and slides, then opens them in headless Chromium (tests/site/).
site-test: site
	$(BIN)/python -m pytest -p no:cacheprovider tests/site $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) classroom/node_modules web/node_modules build
