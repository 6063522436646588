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
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k pgettext:1c,2 -k lazy_pgettext:1c,2 --no-location --sort-output --project=Roundtable -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l fil --no-fuzzy-matching --ignore-obsolete

## The local demo turns two-step sign-in off so it can be tried without a phone; production refuses this.
run: export ROUNDTABLE_DEMO_WITHOUT_TWO_FACTOR := 1
run: translations
	$(BIN)/flask migrate
	$(BIN)/flask seed-demo
	@echo "Roundtable is at http://127.0.0.1:5000  (stop with Ctrl+C)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## axe-core for the browser accessibility tests, pinned by tests/browser/package-lock.json (the file is the stamp).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/browser && npm ci --no-audit --no-fund --silent && touch node_modules/axe-core/axe.min.js; \
	else echo "npm not found: the browser accessibility tests will be skipped"; fi

test: translations $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .coverage .coverage.*
