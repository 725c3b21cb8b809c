# Deep Learning Foundations: one Makefile for students, instructors and CI.
#   make lab      create .venv (runtime) and open JupyterLab on the course
#   make test     create .venv with the dev extras and run ruff + the test suite
#   make release  regenerate release/ from source/ with nbgrader
#   make bench    run the benchmarks under benchmarks/
#   make grade    grade every submission of ASSIGNMENT=psNN_name in a sandbox
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The torch pin is read from pyproject.toml and installed first, so no other
# package can pull a CUDA build. TORCH_INDEX lets machines without a local CPU
# wheel point pip at PyTorch's CPU index (e.g. https://download.pytorch.org/whl/cpu).
TORCH_PIN := $(shell sed -n 's/^ *"\(torch==[^"]*\)",*/\1/p' pyproject.toml)
TORCH_INDEX ?=
# two workers for two cores; tests sharing a module-scoped batch stay on one worker
PYTEST_ARGS ?= -n 2 --dist loadgroup
# nbgrader runs the `alembic` command it installs next to itself: keep .venv/bin first.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_PORT ?= 8888
LAB_ARGS ?=

.PHONY: lab test lint release bench env-file clean-venv system-deps grade student-edition

# Debian packages the project needs: bubblewrap sandboxes student code when grading;
# chromium runs the real-browser tests (driven by Playwright, which downloads no browser).
system-deps:
	@missing=""; command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
		elif command -v sudo >/dev/null; then sudo apt-get install -y -qq $$missing; \
		else echo "please install:$$missing (Debian/Ubuntu: apt-get install$$missing)"; exit 1; fi; \
	fi

$(VENV)/.runtime: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX),) "$(TORCH_PIN)"
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PIP) install --quiet -e ".[dev]"
	touch $@

lab: $(VENV)/.runtime
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" --port=$(LAB_PORT) \
		--LabApp.default_url=/lab/tree/course $(ROOT_FLAG) $(LAB_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

test: $(VENV)/.dev system-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Grade a whole class: make grade ASSIGNMENT=ps01_neuron [GRADE_ARGS="--workers 4"]
grade: $(VENV)/.runtime system-deps
	$(PY) -m autograder grade $(ASSIGNMENT) $(GRADE_ARGS)

release: $(VENV)/.runtime
	$(PY) -m autograder release

bench: $(VENV)/.dev
	$(PY) -m benchmarks

env-file: $(VENV)/.runtime
	$(PY) tools/sync_environment.py

clean-venv:
	rm -rf $(VENV)

# The student edition, ready to push as its own repository or branch (no solutions,
# hidden tests or gradebook): make student-edition STUDENT_EDITION_DIR=../dlcourse-student
# [STUDENT_EDITION_REPO=owner/name for the Binder badge] [STUDENT_EDITION_ARGS=--force].
# It checks first that release/ matches source/ cell by cell (`make test` checks byte by byte).
STUDENT_EDITION_DIR ?=
STUDENT_EDITION_REPO ?= your-org/dlcourse-student
STUDENT_EDITION_ARGS ?=
student-edition: | $(VENV)/.runtime
	@test -n "$(STUDENT_EDITION_DIR)" || { echo "usage: make student-edition \
STUDENT_EDITION_DIR=path [STUDENT_EDITION_REPO=owner/name]" >&2; exit 2; }
	$(PY) tools/student_edition.py "$(STUDENT_EDITION_DIR)" --repo "$(STUDENT_EDITION_REPO)" \
		$(STUDENT_EDITION_ARGS)
