"""Every third-party import in the apps is in requirements.lock, the lock the production
image installs (Dockerfile). In a virtualenv built from that lock alone, under production
settings, every module of every app must import. Demo and benchmark code needs faker and
psutil (requirements-dev.lock only): it lives in the dev-only `demo` app, which production
settings do not install, and is left out here for that reason.

The virtualenv is built once per version of the lock, under var/ (a minute or two; CI
builds it on its clean clone); after that the test takes a few seconds."""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
NOT_IN_PRODUCTION = {"demo", "tests"}

# Run inside the production virtualenv: set Django up, then import every module of the
# apps named in argv, reporting each failure as (module, missing name or error).
IMPORT_EVERYTHING = """
import importlib, importlib.util, json, pkgutil, sys, traceback

import django
from django.conf import settings

django.setup()
failures = []


def failed(module, exc):
    if isinstance(exc, ModuleNotFoundError):
        failures.append([module, f"No module named {exc.name!r}"])
    else:
        failures.append([module, "".join(traceback.format_exception_only(exc)).strip()])


def on_package_error(name):
    failed(name, sys.exc_info()[1])


for app in sys.argv[1:]:
    try:
        package = importlib.import_module(app)
    except Exception as exc:  # reported, not raised: the test lists every failure at once
        failed(app, exc)
        continue
    for info in pkgutil.walk_packages(package.__path__, app + ".", onerror=on_package_error):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # as above
            failed(info.name, exc)

print(json.dumps({
    "failures": failures,
    "installed_apps": list(settings.INSTALLED_APPS),
    "dev_only_installed": [
        name for name in ("faker", "psutil", "locust", "pytest", "factory")
        if importlib.util.find_spec(name) is not None
    ],
}))
"""


def app_packages() -> list[str]:
    """The repository's top-level packages that are Django apps, as production runs them."""
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if path.parent.name not in NOT_IN_PRODUCTION and (path.parent / "__init__.py").exists()
    )


def production_python() -> Path:
    """The interpreter of a virtualenv holding requirements.lock and nothing else, built
    once per version of the lock (keyed by its hash). A lock file makes parallel test
    workers wait for one build; the marker is written last, so a build that was cut short
    is started again rather than used."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]
    var = ROOT / "var"
    venv = var / f"production-venv-{digest}"
    python = venv / "bin" / "python"
    marker = venv / ".complete"
    var.mkdir(exist_ok=True)
    with open(var / "production-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return python
        for old in var.glob("production-venv-*"):
            if old.is_dir():  # an earlier lock's, or a build that was cut short
                shutil.rmtree(old)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # pip's own configuration applies (/etc/pip.conf: this machine's package mirror).
        install = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(LOCK)],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert install.returncode == 0, f"pip install -r requirements.lock:\n{install.stderr}"
        marker.touch()
    return python


def production_env() -> dict[str, str]:
    """What production settings refuse to start without (as `make check-deploy` sets
    them), and nothing of this shell's virtualenv. Nothing here connects to a database."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "stalkingservice.settings.production",
        "SECRET_KEY": "packaging-test-only-not-a-real-secret-key-0123456789abcdef",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "ALLOWED_HOSTS": "cases.example.org",
        "FIELD_ENCRYPTION_KEYS": "Ia1cFNOr0ZQ2KxcSPOw8pQ4-lTbHx7zh1Go8bRW3X1I=",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def test_every_app_module_imports_with_only_the_production_lock_installed():
    apps = app_packages()
    assert {"stalkingservice", "referrals", "cases", "risk", "reporting"} <= set(apps)
    result = subprocess.run(
        [str(production_python()), "-c", IMPORT_EVERYTHING, *apps],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # The virtualenv is what the image has: no development packages in it.
    assert found["dev_only_installed"] == []
    assert "demo" not in found["installed_apps"]
    failures = "\n".join(f"{module}: {error}" for module, error in found["failures"])
    assert not failures, f"Modules that do not import from requirements.lock alone:\n{failures}"
