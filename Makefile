# One command sets everything up and runs the main job; another runs the tests.
# Both create .venv with a CPU build of torch first, so no multi-GB CUDA build is pulled.
#   TORCH_SPEC   the torch requirement installed first (default: torch==2.13.0)
#   PIP_TORCH    extra pip options for that step, e.g.
#                PIP_TORCH="--index-url https://download.pytorch.org/whl/cpu"
PYTHON ?= python3
VENV ?= .venv
TORCH_SPEC ?= torch==2.13.0
PIP_TORCH ?=
BIN := $(VENV)/bin

.PHONY: demo test lint docs install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_TORCH) "$(TORCH_SPEC)"

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"

demo: install
	$(BIN)/vae-augment demo --output demo-output

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The documentation site, into site/; any warning (a broken link, a docstring that does
# not parse) fails the build. The variable silences Material's banner about MkDocs 2.
docs: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) demo-output site .pytest_cache .ruff_cache .hypothesis
