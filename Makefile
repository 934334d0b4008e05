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

.PHONY: demo test lint dist docs bench bench-smoke install clean

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

# ruff: lint, format and complexity (C901); lint-imports: the layers contract of
# pyproject.toml (no upward imports, hence no cycles; see docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The sdist and wheel a release uploads, into dist/ (build/ is setuptools' scratch).
# twine checks their metadata (the README must render on a package index);
# .ci/check_dist.py what they hold (the licence, py.typed, the data, one version).
dist: install
	rm -rf dist build
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
	$(BIN)/python .ci/check_dist.py dist

# The documentation site, into site/; any warning (a broken link, a docstring that does
# not parse) fails the build. The variable silences Material's banner about MkDocs 2.
docs: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

# The comparison with SDV's TVAE and GaussianCopula (benchmarks/compare.py) runs in a
# virtual environment of its own: SDV pins its own pandas, and it is never a dependency
# of the package. `bench` writes docs/benchmarks.md; `bench-smoke` checks the suite runs.
BENCH_VENV ?= .venv-bench
BENCH_BIN := $(BENCH_VENV)/bin

$(BENCH_BIN)/python:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_BIN)/python -m pip install --quiet --upgrade pip
	$(BENCH_BIN)/python -m pip install --quiet $(PIP_TORCH) "$(TORCH_SPEC)"
	$(BENCH_BIN)/python -m pip install --quiet -e ".[bench]"

bench: $(BENCH_BIN)/python
	$(BENCH_BIN)/python benchmarks/compare.py

bench-smoke: $(BENCH_BIN)/python
	$(BENCH_BIN)/python benchmarks/compare.py --fast --output $(BENCH_VENV)/compare-smoke.json

clean:
	rm -rf $(VENV) $(BENCH_VENV) demo-output site dist build *.egg-info .pytest_cache \
		.ruff_cache .hypothesis
