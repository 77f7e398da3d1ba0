# Two commands: `make run` (set up and serve on http://127.0.0.1:5000) and `make test` (run every test).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# The embedded default serves plain http on 127.0.0.1; a real deployment sets APP_ENV=production (the default).
export APP_ENV ?= development

.PHONY: run test setup venv translations extract-messages clean bench

$(BIN)/python:
	$(shell command -v $(PYTHON) || command -v python3) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed

translations: venv
	$(BIN)/pybabel compile -f -d translations

setup: venv translations
	$(BIN)/flask db upgrade
	$(BIN)/flask reference load --if-empty
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask search load-glossary
	$(BIN)/flask search reindex --if-missing

run: setup
	$(BIN)/flask demo accounts
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: venv translations
	$(BIN)/python -m pytest
	@echo "--- the same service, view and API tests on PostgreSQL ---"
	TEST_DATABASE=postgres $(BIN)/python -m pytest --ignore=tests/browser

extract-messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* __pycache__" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l vi --no-fuzzy-matching -w 120

bench: venv
	$(BIN)/python bench/import_speed.py

clean:
	rm -rf $(VENV) instance .pytest_cache
