# Two commands: `make run` sets everything up and serves the portal; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup venv lint check bench clean lock

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The virtualenv installs exactly the versions in requirements.lock; `make lock` updates it on purpose.
$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

venv: $(STAMP)

setup: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_geography
	$(PY) manage.py load_demo
	$(PY) manage.py simulate_round --province 30 $(if $(DEMO_DATE),--date $(DEMO_DATE))

run: setup
	@echo "INFO portal: http://$(HOST):$(PORT)/  (demo accounts above, password info-demo-2568)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

check: venv
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache

# Re-extract the Thai msgids into the English catalogue (new texts get an empty msgstr) and compile it.
.PHONY: messages
messages: venv
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=static --ignore=media --ignore=test-artifacts --no-obsolete && $(PY) manage.py compilemessages -l en --ignore=.venv

# Re-resolve the dependencies of pyproject.toml into requirements.lock (then `make venv` installs them).
lock: | $(PY)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml
