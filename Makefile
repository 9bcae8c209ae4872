# Two commands do all the set-up from a fresh clone:
#   make run   - create .venv, install the bot, start it (reads .env)
#   make test  - create .venv, install the bot with its test tools, lint, run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python -m bot

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint --failure-threshold info Dockerfile

test: lint
	$(BIN)/python -m pytest

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark suite (issue 8): figures next to their targets, bench/results/*.json.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run

# After changing a user-facing string: re-extract it into locales/*.po, then translate it there.
messages: $(VENV)/.installed-dev
	$(BIN)/python -m bot.catalogs

clean:
	rm -rf $(VENV) build *.egg-info
