"""Signed-in pages are never cached, and a session has an absolute lifetime as well as the
idle one (issue 13 point 16)."""

import time

import pytest
from django.test import Client

from stalkingservice.middleware import SESSION_STARTED_KEY
from tests.conftest import signed_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(caseworker, manager):
    for http, path in [
        (signed_in(caseworker), "/"),
        (signed_in(caseworker), "/cases/mine/"),
        (signed_in(manager), "/cases/all/"),
        (signed_in(manager), "/account/password/"),
    ]:
        response = http.get(path)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, (path, response["Cache-Control"])


def test_a_redirect_or_refusal_for_a_signed_in_user_is_not_stored_either(caseworker):
    http = signed_in(caseworker)
    for path in ("/cases/all/", "/cases/999999/"):
        response = http.get(path)
        assert response.status_code in (302, 404)
        assert "no-store" in response["Cache-Control"]


def test_public_pages_keep_their_own_caching(client, caseworker):
    # The sign-in page and the health check set their own (Django's never_cache), even
    # for a signed-in visitor: this middleware leaves public pages alone.
    assert "must-revalidate" in client.get("/account/sign-in/")["Cache-Control"]
    assert "must-revalidate" in signed_in(caseworker).get("/healthz")["Cache-Control"]


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(caseworker, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    http = Client()
    http.post("/account/sign-in/", {"username": caseworker.username, "password": PASSWORD})
    assert http.get("/").status_code == 200
    started = http.session[SESSION_STARTED_KEY]
    assert abs(started - time.time()) < 60

    # Eleven hours of activity later the session is still good...
    session = http.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 11 * 60 * 60
    session.save()
    assert http.get("/cases/mine/").status_code == 200

    # ...at twelve it ends, however recently the last request was, and says why.
    session = http.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = http.get("/cases/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    page = http.get(response["Location"])
    assert "You have been signed in for 12 hours, so you were signed out" in page.text
    assert http.get("/").status_code == 302  # signed out for good, not just redirected


def test_the_absolute_lifetime_is_a_setting(caseworker, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 60
    http = Client()
    http.post("/account/sign-in/", {"username": caseworker.username, "password": PASSWORD})
    session = http.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 61
    session.save()
    assert http.get("/").status_code == 302


def test_signing_in_again_starts_a_new_lifetime(caseworker):
    http = Client()
    http.post("/account/sign-in/", {"username": caseworker.username, "password": PASSWORD})
    session = http.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 13 * 60 * 60
    session.save()
    assert http.get("/").status_code == 302
    http.post("/account/sign-in/", {"username": caseworker.username, "password": PASSWORD})
    assert http.get("/").status_code == 200
