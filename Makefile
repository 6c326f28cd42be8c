# Hearback: `make run` to try it, `make test` to check it. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The lock pins every package with its hash; the stamp re-installs only when the lock changes.
STAMP := $(VENV)/.installed-from-lock

.PHONY: setup run test bench serve backup lock lint format admin browser

setup: $(STAMP)

$(STAMP): requirements/lock.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/lock.txt
	@mkdir -p var
	@touch $@

# A staff account for /admin/ on the development database (`make run`'s settings).
admin: setup
	@mkdir -p var
	DEBUG=$${DEBUG:-on} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-on} $(BIN)/python manage.py createsuperuser

run: setup
	@mkdir -p var
	DEBUG=$${DEBUG:-on} $(BIN)/python manage.py migrate --noinput
	@echo ""
	@echo "  Hearback is starting at http://127.0.0.1:8000/"
	@echo "  New here? Create your account at http://127.0.0.1:8000/accounts/signup/"
	@echo ""
	DEBUG=$${DEBUG:-on} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests (tests/browser) drive Debian's Chromium: installed here when it is
# missing and apt-get can (as root, or through sudo). Where it cannot, the browser tests
# skip with the reason, or fail under CI=true.
browser:
	@if [ -z "$${HEARBACK_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
		echo "== installing Debian's chromium for the browser tests"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
			|| echo "   could not install chromium: the browser tests will say so"; \
	fi

bench: setup
	$(BIN)/python bench/run.py

# ruff (pinned in the lock; settings in pyproject.toml): `lint` checks, `format` rewrites.
# lint runs both checks, even when the first fails, so one run lists everything.
lint: setup
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	exit $$status

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production: gunicorn (config/gunicorn.conf.py: GUNICORN_BIND, WEB_CONCURRENCY) with
# whitenoise for the static files. Set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL first.
serve: setup
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	exec $(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi

# A consistent backup of the configured database, taken while it runs, into BACKUP_DIR.
BACKUP_DIR ?= var/backups
backup: setup
	@mkdir -p $(BACKUP_DIR)
	$(BIN)/python manage.py backup_database $(BACKUP_DIR)

# Re-pin after editing pyproject.toml (needs the network to PyPI).
lock:
	$(PYTHON) -m venv /tmp/hearback-lock && /tmp/hearback-lock/bin/pip install --quiet pip-tools==7.6.2
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= /tmp/hearback-lock/bin/pip-compile --quiet --generate-hashes \
		--strip-extras --extra dev --allow-unsafe -o requirements/lock.txt pyproject.toml
