"""Production settings, run the way production runs them: in a fresh interpreter."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet

from tests.conftest import ROOT

THROWAWAY = {
    "DJANGO_SETTINGS_MODULE": "stalkingservice.settings.production",
    "SECRET_KEY": "throwaway-" + Fernet.generate_key().decode() + "-for-tests-only",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "ALLOWED_HOSTS": "cases.example.org",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
}


def run(args, **env_changes):
    # A clean environment: none of the test run's own variables leak into "production".
    leaks = {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REQUIRE_2FA", "DEBUG"}
    env = {k: v for k, v in os.environ.items() if k not in THROWAWAY and k not in leaks}
    env.update(THROWAWAY)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


START_DJANGO = ["-c", "import django; django.setup(); print('started')"]


def test_production_refuses_to_start_without_secret_key():
    result = run(START_DJANGO, SECRET_KEY=None)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY must be set in the environment for production." in result.stderr


def test_production_refuses_an_empty_secret_key():
    result = run(START_DJANGO, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    result = run(START_DJANGO, FIELD_ENCRYPTION_KEYS=None)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_production_starts_with_its_secrets():
    result = run(START_DJANGO)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_database_connections_skip_jit_and_are_kept_between_requests():
    """Short OLTP queries: PostgreSQL's JIT compiler cost more than it saved (the dashboard
    took twice as long with it, docs/benchmark.md), so every connection turns it off."""
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.db import connection; "
            "c = connection.cursor(); c.execute('SHOW jit'); "
            "print('jit', c.fetchone()[0], 'age', connection.settings_dict['CONN_MAX_AGE'])",
        ]
    )
    assert result.returncode == 0, result.stderr
    assert "jit off age 60" in result.stdout


def test_check_deploy_passes_with_no_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_static_files_collect_under_production_settings(tmp_path):
    """The Docker image runs this at build time: a vendored file pointing at a missing
    source map, or a CSS url() to nothing, would break the build (and every page)."""
    result = run(["manage.py", "collectstatic", "--noinput"], STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()


def test_production_security_settings():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, "
        "s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    result = run(["-c", script])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "True",
        "Europe/London",
        "en-gb",
    ]


def test_dev_settings_work_with_nothing_installed():
    """`make run` on a fresh machine: SQLite in var/ and Celery in eager mode."""
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.REQUIRE_2FA)"
    )
    result = run(
        ["-c", script],
        DJANGO_SETTINGS_MODULE="stalkingservice.settings.dev",
        DATABASE_URL=None,
        SECRET_KEY=None,
        FIELD_ENCRYPTION_KEYS=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "False"]
