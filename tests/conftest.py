"""Shared fixtures. Service-backed fixtures (Redis, a Celery worker, Chromium) skip when
the service is missing on a developer's machine, but with REQUIRE_SERVICES=1 (CI) a
missing service is a failure: a suite that skips them proves nothing."""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.test import Client as HttpClient

from stalkingservice.roles import Role

from .factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def service_missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"Required service missing (REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)


# ---- people -------------------------------------------------------------------------


@pytest.fixture
def caseworker(db):
    return UserFactory(username="cw_one", role=Role.CASEWORKER)


@pytest.fixture
def caseworker2(db):
    return UserFactory(username="cw_two", role=Role.CASEWORKER)


@pytest.fixture
def manager(db):
    return UserFactory(username="mgr", role=Role.MANAGER)


@pytest.fixture
def commissioner(db):
    return UserFactory(username="commish", role=Role.COMMISSIONER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="sysadmin", role=Role.ADMINISTRATOR, is_staff=True)


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def as_user():
    """as_user(user) -> a test client signed in as that user."""
    return signed_in


# ---- Redis and Celery ---------------------------------------------------------------


@pytest.fixture
def redis_url(settings):
    import redis

    url = settings.REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError):
        service_missing(f"Redis not reachable at {url}")
    return url


@pytest.fixture
def celery_worker_process(django_db_serialized_rollback, transactional_db, settings, redis_url):
    """A real `celery worker` process on Redis, using this test's database. Tasks sent
    with `.apply_async(queue=...)`/`.delay()` go to it (eager mode is switched off).
    Serialized rollback: a transactional test ends with a flush, which would otherwise
    delete the reference data loaded by data migrations (districts, referral sources,
    closure reasons) for every later test on the same worker."""
    from django.db import connection

    from stalkingservice.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stalkingservice.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = open(ROOT / "var" / f"celery-{queue}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stalkingservice",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    old = (
        app.conf.task_always_eager,
        app.conf.task_default_queue,
        app.conf.broker_url,
        app.conf.result_backend,
    )
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = redis_url
    app.conf.result_backend = redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Celery worker exited: see var/celery-{queue}.log")
            replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
            if replies:
                break
        else:
            pytest.fail("Celery worker did not start within 60 seconds")
        yield queue
    finally:
        (
            app.conf.task_always_eager,
            app.conf.task_default_queue,
            app.conf.broker_url,
            app.conf.result_backend,
        ) = old
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# ---- Browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        service_missing(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def browser_sign_in(page, username, password=PASSWORD):
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
