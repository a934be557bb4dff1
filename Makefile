# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install run test lint format migrations-check check-deploy audit bench screenshots worker beat clean

$(STAMP): requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_SETTINGS_MODULE=stalkingservice.settings.dev $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=stalkingservice.settings.dev $(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "  Open http://127.0.0.1:$(PORT) and sign in as caseworker, caseworker2, manager,"
	@echo "  commissioner or admin with the password demo-password-2026"
	@echo ""
	DJANGO_SETTINGS_MODULE=stalkingservice.settings.dev $(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=stalkingservice.settings.test $(MANAGE) makemigrations --check --dry-run

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=stalkingservice.settings.production \
	SECRET_KEY=throwaway-$$(date +%s)-not-a-real-secret-key-for-checks-only-0123456789 \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	ALLOWED_HOSTS=cases.example.org \
	FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	$(MANAGE) check --deploy --fail-level WARNING

audit: $(STAMP)
	# --strict: a package that could not be checked (e.g. no network) fails the audit
	# instead of passing silently. Ignore a vulnerability only with --ignore-vuln ID and
	# a comment here saying why it does not apply.
	$(BIN)/pip-audit -r requirements.lock --progress-spinner off --strict
	# demo too: it is not deployed, but it runs SQL of its own on developers' databases.
	$(BIN)/bandit -q -c pyproject.toml -r stalkingservice cases referrals risk reporting dataprotection demo

bench: $(STAMP)
	$(PY) tests/benchmark/run.py

screenshots: $(STAMP)
	$(PY) tests/screenshots.py

worker: $(STAMP)
	$(BIN)/celery -A stalkingservice worker -l info

beat: $(STAMP)
	$(BIN)/celery -A stalkingservice beat -l info

clean:
	rm -rf $(VENV) var/dev.sqlite3 var/production-venv-* staticfiles
