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
from django.test import testcases as _django_testcases

from stalkingservice.roles import Role

from .factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# ---- Reference data in transactional tests -------------------------------------------
# Transactional tests (live server, Celery worker) empty every table when they end,
# including the reference data that data migrations load (districts, referral sources,
# closure reasons...). It is snapshotted once after the test database is created and put
# back at the start of every transactional test, so factories can rely on it everywhere.
PROJECT_APPS = ("stalkingservice", "referrals", "cases", "risk", "reporting", "dataprotection")
_reference_data: list[str] = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.apps import apps
    from django.core import serializers

    app_list = [(apps.get_app_config(label), None) for label in PROJECT_APPS]
    with django_db_blocker.unblock():
        objects = []
        for model in serializers.sort_dependencies(app_list, allow_cycles=True):
            objects.extend(model._base_manager.order_by("pk"))
        _reference_data[:] = [serializers.serialize("json", objects)]
    yield


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    if not _is_transactional(request) or not _reference_data:
        return
    request.getfixturevalue("transactional_db")
    from django.core import serializers
    from django.db import transaction

    with transaction.atomic():
        for obj in serializers.deserialize("json", _reference_data[0]):
            obj.save()


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


class FormClient(HttpClient):
    """A test client that posts as a browser does from a page: a form that makes records
    always carries its one-time token (stalkingservice.once), so each post here is given
    a fresh one unless the test sends its own. Tests of the token itself (a repeat, a
    missing token) send their own data through a plain `HttpClient`, or pass
    `submission_id` explicitly."""

    def post(self, path, data=None, *args, **kwargs):
        if isinstance(data, dict) and "submission_id" not in data:
            data = {**data, "submission_id": uuid.uuid4().hex}
        return super().post(path, data, *args, **kwargs)


def signed_in(user) -> HttpClient:
    http = FormClient()
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


def _database_url(settings_dict) -> str:
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "postgres")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _route_celery_to(app, *, queue: str, eager: bool) -> None:
    """Point this process's Celery app at a queue. Celery caches its queues and router on
    first use, so the cached AMQP helper is dropped and rebuilt from the new config."""
    app.conf.task_always_eager = eager
    app.conf.task_default_queue = queue
    app.__dict__.pop("amqp", None)


@pytest.fixture
def celery_worker_process(transactional_db, settings, redis_url):
    """A real `celery worker` process on Redis, using this test's database. Tasks sent with
    `.delay()`/`.apply_async()` go to it (eager mode is off for the test). Tests using it
    should be marked `@pytest.mark.xdist_group("celery")` so they share one xdist worker.

    The worker listens on a queue of its own, so a worker left over from an interrupted run
    (or another test process on the same Redis) can never take this test's tasks."""
    from django.db import connection

    from stalkingservice.celery import app

    queue = f"test-{uuid.uuid4().hex[:10]}"
    node = f"{queue}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stalkingservice.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log_path = ROOT / "var" / f"celery-{queue}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed in the finally below
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
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
            "-n",
            node,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _route_celery_to(app, queue=queue, eager=False)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Celery worker exited early:\n{_log_tail(log_path)}")
            if app.control.ping(destination=[node], timeout=1):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not answer in 60 seconds:\n{_log_tail(log_path)}")
        yield queue
    finally:
        _route_celery_to(app, queue=old[1], eager=old[0])
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()
        # Keep the log only when something went wrong, so var/ does not fill up.
        if proc.returncode == 0:
            log_path.unlink(missing_ok=True)
        # The worker's queue is dead now; leave neither its list nor its bindings in Redis.
        import redis

        client = redis.Redis.from_url(redis_url)
        client.delete(queue)
        for key in client.scan_iter(f"_kombu.binding*.{queue}"):
            client.delete(key)


# ---- Browser ------------------------------------------------------------------------

# MEDIA_URL is None on purpose (protected files are served only by permission-checked
# views), but the live server's media handler assumes a string. Point it at a host that
# never matches, so the live server, like production, serves no media directly.
_django_testcases._MediaFilesHandler.get_base_url = lambda self: "https://no-public-media.invalid/"


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
    """A Chromium page whose relative URLs go to the live test server."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in_with_browser(page, username, password=PASSWORD):
    """Sign in through the real sign-in form and wait for the page that follows."""
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def browser_sign_in():
    """browser_sign_in(page, username, password=PASSWORD): sign in through the form."""
    return sign_in_with_browser
