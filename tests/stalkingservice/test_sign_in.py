"""Signing in: audit of every attempt, lock-out, two-factor, idle expiry, sign-out
everywhere and the password rules."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stalkingservice.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# ---- Sign-in, audit and lock-out ------------------------------------------------------


def test_sign_in_success_and_failure_are_audited(client, caseworker):
    response = sign_in(client, caseworker.username, "wrong-password-1")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.text
    response = sign_in(client, caseworker.username)
    assert response.status_code == 302
    assert response["Location"] == "/"
    events = list(AuditEvent.objects.order_by("at", "id").values_list("action", "username"))
    assert events == [
        (AuditEvent.Action.SIGN_IN_FAILED, caseworker.username),
        (AuditEvent.Action.SIGN_IN, caseworker.username),
    ]
    assert "wrong-password-1" not in str(AuditEvent.objects.values_list("detail", flat=True))


def test_unknown_username_gets_the_same_message(client, caseworker):
    known = sign_in(client, caseworker.username, "wrong-password-1")
    unknown = sign_in(client, "nobody-here", "wrong-password-1")
    assert "Enter a correct username and password" in unknown.text
    assert known.status_code == unknown.status_code == 200


def test_lock_out_after_repeated_failures_with_a_clear_message(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, caseworker.username, "wrong-password-1").status_code == 200
    locked = sign_in(client, caseworker.username, "wrong-password-1")
    assert locked.status_code == 429
    assert "Your account is locked for now" in locked.text
    assert "locked for 30 minutes" in locked.text
    # Even the right password is refused while locked, from any computer.
    other_computer = Client(REMOTE_ADDR="10.9.8.7")
    response = sign_in(other_computer, caseworker.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in other_computer.session
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.SIGN_IN_FAILED, username=caseworker.username
        ).count()
        == settings.AXES_FAILURE_LIMIT + 1
    )


def test_lock_out_is_per_account_not_per_office(client, caseworker, caseworker2, settings):
    # Colleagues share the office's address: one person's typos must not lock them out.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, caseworker.username, "wrong-password-1")
    assert sign_in(client, caseworker2.username).status_code == 302


def test_administrator_can_unlock_an_account(client, as_user, administrator, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, caseworker.username, "wrong-password-1")
    admin = as_user(administrator)
    home = admin.get("/")
    assert "Locked out" in home.text
    response = admin.post(f"/accounts/{caseworker.pk}/unlock/", follow=True)
    assert f"{caseworker} can sign in again." in response.text
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCOUNT_UNLOCK, detail__contains=caseworker.username
    ).exists()
    assert sign_in(Client(), caseworker.username).status_code == 302


def test_only_administrators_can_unlock(as_user, manager, caseworker):
    assert as_user(manager).post(f"/accounts/{caseworker.pk}/unlock/").status_code == 404


# ---- Two-factor -----------------------------------------------------------------------


@pytest.fixture
def two_factor_on(settings):
    settings.REQUIRE_2FA = True


def test_password_alone_reaches_only_the_setup_step(client, caseworker, two_factor_on):
    response = sign_in(client, caseworker.username)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup/")
    for path in ("/", "/cases/mine/", "/audit/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/two-factor/setup/")
    page = client.get("/account/two-factor/setup/")
    assert "Set up two-factor authentication" in page.text
    assert "<svg" in page.text


def test_setting_up_two_factor_with_a_correct_code_lets_you_in(client, caseworker, two_factor_on):
    sign_in(client, caseworker.username)
    client.get("/account/two-factor/setup/")
    # The enrolment's secret is in the session until a code confirms it (see
    # test_two_factor_enrolment.py); the app would have it from the QR code.
    unsaved = TOTPDevice(key=client.session["two_factor_setup_secret"])
    response = client.post("/account/two-factor/setup/", {"token": current_token(unsaved)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=caseworker).confirmed
    assert client.get("/").status_code == 200


@pytest.fixture
def device(caseworker):
    return TOTPDevice.objects.create(user=caseworker, name="Phone", confirmed=True)


def test_with_a_device_the_password_reaches_only_the_code_step(
    client, caseworker, device, two_factor_on
):
    sign_in(client, caseworker.username)
    response = client.get("/cases/mine/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Fcases%2Fmine%2F"
    page = client.get(response["Location"])
    assert "Enter your code" in page.text
    response = client.post(response["Location"], {"token": current_token(device)})
    assert response.status_code == 302
    assert response["Location"] == "/cases/mine/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_shows_the_error_and_keeps_you_out(client, caseworker, device, two_factor_on):
    sign_in(client, caseworker.username)
    right = current_token(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/account/two-factor/", {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert "Error:" in response.text  # the page title says so too
    assert client.get("/")["Location"].startswith("/account/two-factor/")


def test_a_code_that_is_not_six_numbers_is_explained(client, caseworker, device, two_factor_on):
    sign_in(client, caseworker.username)
    response = client.post("/account/two-factor/", {"token": "abcdef"})
    assert "The code is 6 numbers" in response.text


def test_without_require_2fa_a_password_is_enough(client, caseworker, device):
    sign_in(client, caseworker.username)
    assert client.get("/").status_code == 200


# ---- Sessions -------------------------------------------------------------------------


def test_session_ends_after_thirty_minutes_idle(client, caseworker, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    sign_in(client, caseworker.username)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes the expiry 30 minutes ahead...
    left = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    # ...so 30 minutes without one ends the session on the server.
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_sign_out_everywhere_ends_other_devices_sessions(caseworker):
    office, phone = Client(), Client()
    sign_in(office, caseworker.username)
    sign_in(phone, caseworker.username)
    assert phone.get("/").status_code == 200
    response = office.post("/account/sign-out-everywhere/", follow=True)
    assert "You have been signed out on every device." in response.text
    for client in (office, phone):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)
    # Signing in again works.
    assert sign_in(phone, caseworker.username).status_code == 302


def test_sign_out_needs_a_post_and_is_audited(caseworker):
    client = Client()
    sign_in(client, caseworker.username)
    assert client.get("/account/sign-out/").status_code == 405
    client.post("/account/sign-out/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, user=caseworker).exists()


# ---- Password rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("casey.walker.77", "too similar"),
        ("418275903216", "entirely numeric"),
    ],
)
def test_password_rules(password, message):
    from stalkingservice.models import User

    user = User(username="casey.walker", first_name="Casey", last_name="Walker")
    with pytest.raises(ValidationError) as raised:
        validate_password(password, user)
    assert message in " ".join(raised.value.messages)


def test_a_good_password_passes_the_rules():
    validate_password("lantern orbit pebble moss")


def test_changing_your_password_applies_the_rules(client, caseworker):
    sign_in(client, caseworker.username)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "lantern orbit pebble moss",
            "new_password2": "lantern orbit pebble moss",
        },
        follow=True,
    )
    assert "Your password has been changed." in response.text
    caseworker.refresh_from_db()
    assert caseworker.check_password("lantern orbit pebble moss")


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from stalkingservice.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
