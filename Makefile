# Two commands matter: `make run` (demo on http://127.0.0.1:5000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
TRANSLATIONS := marketplace/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
export FLASK_APP := wsgi:app

.PHONY: run test lint worker translations extract-messages bench bench-web bench-claims bench-load evaluate clean

run: $(VENV)/.run-deps translations
	$(BIN)/flask db upgrade
	$(BIN)/flask load-reference
	$(BIN)/flask seed-demo
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.dev-deps translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Background export jobs and this host's matching builds when REDIS_URL is set (without Redis
# exports run inside the request and `flask matching-refresh` builds in its own process).
worker: $(VENV)/.run-deps
	$(BIN)/rq worker --url "$${REDIS_URL:?set REDIS_URL}" exports "$${MATCHING_QUEUE:-matching-$$(hostname)}"

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

translations: $(MO_FILES)

%.mo: %.po | $(VENV)/.run-deps
	$(BIN)/pybabel compile -i $< -o $@

# After adding or changing user-facing strings: refresh the catalogue and the .po files.
extract-messages: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

bench: $(VENV)/.run-deps
	$(BIN)/python -m matching bench

evaluate: $(VENV)/.run-deps
	$(BIN)/python -m matching evaluate

bench-web: $(VENV)/.run-deps translations
	$(BIN)/python -m marketplace.demo.bench

# BENCH_DATABASE_URL=postgresql+psycopg://… to measure on PostgreSQL (its public schema is dropped).
bench-claims: $(VENV)/.run-deps translations
	$(BIN)/python -m marketplace.demo.bench_claims

# Pages under production gunicorn (2 workers x 4 threads) driven by wrk (apt-get install wrk),
# against a hello-world ceiling. BENCH_DATABASE_URL=postgresql+psycopg://… is read, never reset.
bench-load: $(VENV)/.run-deps translations
	$(BIN)/python -m marketplace.demo.bench_load

# A national-size database (demo logins included) for bench-load, into DATABASE_URL:
# DATABASE_URL=postgresql+psycopg://… make seed-scale  (refuses a database that holds one already).
SCALE_CANDIDATES ?= 100000
SCALE_VACANCIES ?= 20000
SCALE_SEED ?= 2026
.PHONY: seed-scale
seed-scale: $(VENV)/.run-deps translations
	$(BIN)/flask db upgrade
	$(BIN)/flask load-reference
	$(BIN)/flask seed-scale --candidates $(SCALE_CANDIDATES) --vacancies $(SCALE_VACANCIES) --seed $(SCALE_SEED)

clean:
	rm -rf $(VENV) instance/marketplace.db $(MO_FILES)
