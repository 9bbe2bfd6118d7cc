# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2

.PHONY: run test install lint migrate data schema clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

data: migrate
	$(BIN)/python manage.py load_place_catalog

run: data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn violetvibes.wsgi:application --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS)

# pytest's exit 5 (no tests collected) is a failure too. CLOCK=<ISO instant> runs the suite as if it
# were then (pytest --clock), e.g. make test CLOCK=2026-12-13T01:30-05:00.
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(if $(CLOCK),--clock=$(CLOCK)); status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

lint: install
	$(BIN)/ruff check .

schema: install
	$(BIN)/python manage.py spectacular --file openapi.yaml --validate

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
