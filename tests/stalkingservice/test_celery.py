"""A real round trip: the task goes through Redis to a `celery worker` process started by
the fixture (not eager mode) and the result comes back through Redis."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from stalkingservice.celery import app, clear_expired_sessions, ping


@pytest.mark.services
@pytest.mark.xdist_group("celery")
def test_round_trip_through_a_real_worker(celery_worker_process):
    assert not app.conf.task_always_eager
    result = ping.delay("x")
    assert result.get(timeout=30) == "pong:x"
    # It really went through the worker's own queue, not in-process.
    assert result.state == "SUCCESS"
    assert app.control.inspect(destination=[f"{celery_worker_process}@localhost"]).ping()


def test_celery_is_configured_for_safe_retries():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.timezone == "Europe/London"
    assert conf.beat_schedule  # periodic work is defined in code


@pytest.mark.services
@pytest.mark.xdist_group("celery")
def test_expired_sessions_and_their_drafts_are_deleted_by_the_worker(celery_worker_process):
    """A self-referral draft left in an expired session does not stay in the database:
    the scheduled task, run by a real worker, deletes it; a live session is kept."""
    stale = SessionStore()
    stale["self_referral_draft"] = "ciphertext"
    stale.create()
    live = SessionStore()
    live["x"] = 1
    live.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    clear_expired_sessions.delay().get(timeout=30)

    assert not Session.objects.filter(session_key=stale.session_key).exists()
    assert Session.objects.filter(session_key=live.session_key).exists()
    assert "clear-expired-sessions" in app.conf.beat_schedule
