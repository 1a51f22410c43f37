# VSS — `make run` and `make test` set everything up on a fresh machine (Python 3.11+).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
PORT   ?= 5000
STAMP  := $(VENV)/.installed-stamp
MO     := vss/translations/en/LC_MESSAGES/messages.mo

LOCK   := requirements.lock

.PHONY: run test install lock translations extract-messages lint bench-seed clean

# Every machine installs the same versions: the lock pins each package (the dev tools too) with
# its hashes, and pip refuses anything else. --no-deps: the lock is already the whole set (pip 23's
# resolver rejected the lock's `coverage` when pytest-cov asked for `coverage[toml]`); pip check
# proves it is complete. The project itself goes in without dependencies.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

## Re-resolve pyproject.toml's ranges into requirements.lock (on purpose: review the diff, commit it).
lock:
	test -x $(VENV)-lock/bin/pip-compile || { $(PYTHON) -m venv $(VENV)-lock && $(VENV)-lock/bin/python -m pip install -q pip-tools; }
	CUSTOM_COMPILE_COMMAND='make lock' $(VENV)-lock/bin/pip-compile -q --generate-hashes --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links\
	  $(if $(UPGRADE),--upgrade) -o $(LOCK) pyproject.toml

$(MO): vss/translations/en/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d vss/translations

install: $(STAMP) $(MO)

translations: $(MO)

## Start the web app on http://127.0.0.1:$(PORT) and the job worker, on SQLite. The app is served
## by gunicorn with keep-alive (Flask's development server closes every connection, so on a real
## link each request would pay its own TCP handshake).
run: install
	$(FLASK) db upgrade
	$(FLASK) seed --if-empty
	@echo "VSS on http://127.0.0.1:$(PORT)  (worker running; Ctrl-C stops both)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -w 2 -k gthread --threads 8 --keep-alive 30 -b 127.0.0.1:$(PORT) app:app

## Lint and run the whole suite (SQLite; PostgreSQL/Redis too when VSS_TEST_* are set).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o vss/translations/messages.pot -k _l --no-location --omit-header .
	$(BIN)/pybabel update -i vss/translations/messages.pot -d vss/translations --no-fuzzy-matching --ignore-obsolete

bench-seed: install
	$(BIN)/python bench/seed_bench.py

clean:
	rm -rf $(VENV) $(VENV)-lock instance vss/static/dist $(MO)
