# Two commands on a fresh machine with the Python of .python-version (3.11): `make run` and `make test`.
# Empty means unset, as for every variable (.env.example).
PYTHON := $(or $(strip $(PYTHON)),python$(shell cat .python-version))
VENV := .venv
BIN := $(VENV)/bin
PORT := $(or $(strip $(PORT)),8000)
HOST := $(or $(strip $(HOST)),127.0.0.1)

.PHONY: run test install install-runtime lint migrate data schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Two stamps: `make run` installs what the service needs, `make test` adds the development tools
# (pytest, ruff, schemathesis: most of the download), so `make run` then `make test` installs both.
$(BIN)/.installed-runtime: requirements.txt | $(BIN)/python
	@echo "Installing the service's requirements (requirements.txt) into $(VENV)"
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	@echo "Installing the service's and the development requirements (requirements-dev.txt) into $(VENV)"
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $@ $(BIN)/.installed-runtime

# What the service needs (make run); `install` is everything, development tools included
# (make test, lint, schema, bench/stack).
install-runtime: $(BIN)/.installed-runtime

install: $(BIN)/.installed-dev

migrate: install-runtime
	$(BIN)/python manage.py migrate --noinput

data: migrate
	$(BIN)/python manage.py load_place_catalog

# Workers and threads come from gunicorn.conf.py (WEB_CONCURRENCY...; one worker without REDIS_URL).
# gunicorn reads WEB_CONCURRENCY itself and fails on an empty value, so an empty one is removed.
run: data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(if $(strip $(WEB_CONCURRENCY)),,env -u WEB_CONCURRENCY) $(BIN)/gunicorn violetvibes.wsgi:application --config gunicorn.conf.py --bind $(HOST):$(PORT)

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
