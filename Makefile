# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := roundtable

.PHONY: run test install translations messages check-messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations -D messages

## Re-extract user-visible strings and merge them into the Filipino catalogue.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project=Roundtable -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l fil --no-fuzzy-matching --ignore-obsolete

run: translations
	$(BIN)/flask migrate
	$(BIN)/flask seed-demo
	@echo "Roundtable is at http://127.0.0.1:5000  (stop with Ctrl+C)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
