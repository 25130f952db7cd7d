# Two commands a new user needs: `make lab` and `make test`. Everything else is
# for maintainers. Each target installs what it needs into .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
# Maintainers' extras: the browser and JupyterHub suites that `make test` runs too.
STAMP_ALL := $(VENV)/.installed-all
# nbgrader shells out to alembic from the environment's bin/.
export PATH := $(BIN):$(PATH)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab test test-fast demo bench strip lessons assignments clean

setup: $(STAMP)

$(STAMP): pyproject.toml etc/lab-overrides.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/01-start-here.ipynb

$(STAMP_ALL): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,browser,hub]'
	bash .ci/hub-node
	touch $@

# System packages (Chromium, PostgreSQL, bubblewrap) are installed first when running as root;
# otherwise the suites that need a missing one are skipped with its name (under CI they fail).
test: $(STAMP_ALL)
	bash .ci/system-packages
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/python -m pytest -m "not slow and not browser and not hub"

demo: setup
	$(BIN)/leninsmoscow demo

bench: setup
	$(BIN)/python benchmarks/run.py $(ARGS)

# Lessons are edited as text in lessons/*.md; this rebuilds the notebooks students open
# (cell ids, no outputs) and the reading guide (tools/lessons.py says how).
lessons: setup
	$(BIN)/python tools/lessons.py

# Assignments are edited as text in solutions-text/*.md; this rebuilds the teacher's
# notebooks in solutions/ and, through nbgrader, the student versions in assignments/.
assignments: setup
	$(BIN)/python tools/assignments.py

strip: setup
	$(BIN)/nbstripout --extra-keys "metadata.celltoolbar metadata.toc metadata.widgets cell.metadata.execution cell.metadata.tags" notebooks/*.ipynb solutions/*/*.ipynb

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
