# Two commands do all the set-up from a fresh clone:
#   make run   - create .venv, install the bot, start it (reads .env); with nothing configured
#                (no BOT_TOKEN, no BOT_TOKEN_FILE, no .env) it starts practice mode instead
#   make test  - create .venv, install the bot with its test tools, lint, run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run practice drill test lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed-run

# Practice mode only when no token is configured at all and someone is at a terminal: a .env, or
# either variable set (even to nothing, as an unexpanded secret leaves it), or no terminal (a
# service manager, a container, cron) runs the real bot, which then stops with a clear error
# rather than quietly practising on a server.
run: $(VENV)/.installed-run
	@if [ -z "$${BOT_TOKEN+set}" ] && [ -z "$${BOT_TOKEN_FILE+set}" ] && [ ! -e .env ] \
		&& [ -t 1 ]; then \
		echo "make run: no BOT_TOKEN, BOT_TOKEN_FILE or .env, so this is PRACTICE MODE."; \
		exec $(BIN)/python -m bot practice; \
	else \
		exec $(BIN)/python -m bot; \
	fi

# Practice mode whatever is configured; drill adds the scenario (a rally, two people detained,
# a hearing tomorrow). Both use data/practice.sqlite3 and never the real database.
practice: $(VENV)/.installed-run
	$(BIN)/python -m bot practice

drill: $(VENV)/.installed-run
	$(BIN)/python -m bot practice --drill

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
