"""Two-factor enrolment cannot be pre-empted (issue 13 point 9): every enrolment makes its
own secret, kept in that session until a code confirms it, and nothing is stored on GET;
the same holds after an administrator resets an account's two-factor."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stalkingservice.services import user_two_factor_reset
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/setup/"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.REQUIRE_2FA = True


def signed_in_with_password(user) -> Client:
    http = Client()
    http.post("/account/sign-in/", {"username": user.username, "password": PASSWORD})
    return http


def secret_on(page) -> str:
    """The key the page offers to type by hand (base32, as authenticator apps take it)."""
    match = re.search(r'<code class="user-select-all">([A-Z2-7=]+)</code>', page.text)
    assert match, "the set-up page shows no key"
    return match.group(1)


def code_for(secret: str) -> str:
    return f"{totp(b32decode(secret)):06d}"


def test_opening_the_setup_page_stores_nothing(caseworker):
    http = signed_in_with_password(caseworker)
    page = http.get(SETUP)
    assert page.status_code == 200
    assert secret_on(page)
    assert not TOTPDevice.objects.filter(user=caseworker).exists()


def test_each_enrolment_gets_its_own_secret(caseworker):
    """Someone who opened the set-up page (another session, or earlier) and kept the QR
    code cannot end up holding the secret of the device the worker finally confirms."""
    attacker, worker = signed_in_with_password(caseworker), signed_in_with_password(caseworker)
    seen_by_attacker = secret_on(attacker.get(SETUP))
    first_look = secret_on(worker.get(SETUP))
    workers_secret = secret_on(worker.get(SETUP))
    assert len({seen_by_attacker, first_look, workers_secret}) == 3

    response = worker.post(SETUP, {"token": code_for(workers_secret)})
    assert response.status_code == 302
    assert worker.get("/").status_code == 200

    device = TOTPDevice.objects.get(user=caseworker)
    assert device.confirmed
    assert b32decode(workers_secret) == device.bin_key
    assert device.bin_key != b32decode(seen_by_attacker)
    # The attacker's session cannot enrol over it, and their old secret is worth nothing.
    response = attacker.post(SETUP, {"token": code_for(seen_by_attacker)})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/")
    assert attacker.get("/").status_code == 302
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1


def test_a_wrong_code_keeps_the_same_secret_and_stores_nothing(caseworker):
    http = signed_in_with_password(caseworker)
    secret = secret_on(http.get(SETUP))
    right = code_for(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page = http.post(SETUP, {"token": wrong})
    assert page.status_code == 200
    assert "That code is not right" in page.text
    assert secret_on(page) == secret  # the app the worker just scanned still matches
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert http.post(SETUP, {"token": right}).status_code == 302
    assert TOTPDevice.objects.get(user=caseworker).confirmed


def test_a_post_without_an_enrolment_in_the_session_is_refused(caseworker):
    http = signed_in_with_password(caseworker)
    response = http.post(SETUP, {"token": "123456"}, follow=True)
    assert "Your set-up had expired" in response.text
    assert not TOTPDevice.objects.filter(user=caseworker).exists()


def test_after_an_administrators_reset_the_new_enrolment_has_a_fresh_secret(
    caseworker, administrator
):
    http = signed_in_with_password(caseworker)
    old_secret = secret_on(http.get(SETUP))
    http.post(SETUP, {"token": code_for(old_secret)})
    assert TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()

    user_two_factor_reset(user=caseworker, by=administrator)
    assert not TOTPDevice.objects.filter(user=caseworker).exists()

    again = signed_in_with_password(caseworker)
    page = again.get(SETUP)
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    new_secret = secret_on(page)
    assert new_secret != old_secret
    assert again.post(SETUP, {"token": code_for(new_secret)}).status_code == 302
    assert TOTPDevice.objects.get(user=caseworker).bin_key == b32decode(new_secret)
