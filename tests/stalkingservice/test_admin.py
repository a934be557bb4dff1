"""The admin site: administrators only; account changes go through the account service,
so a change of role is always audited and is_staff follows the role."""

import pytest
from django.core.management import call_command

from stalkingservice import services
from stalkingservice.models import AuditEvent, RoleChangeRequest, User
from stalkingservice.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern orbit pebble moss"


def test_administrator_creates_an_account_with_a_role(
    as_user, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(administrator).post(
            "/admin/stalkingservice/user/add/",
            {
                "username": "new.worker",
                "email": "new.worker@example.org",
                "role": Role.CASEWORKER,
            },
        )
    assert response.status_code == 302, response.text
    user = User.objects.get(username="new.worker")
    assert user.role == Role.CASEWORKER
    assert user.is_active
    assert not user.is_staff
    # Nobody chose a password for them: they choose one through the link emailed to them.
    assert not user.has_usable_password()
    assert [m.to for m in mailoutbox] == [["new.worker@example.org"]]
    assert "/account/reset/" in mailoutbox[0].body
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE)
    assert event.user == administrator
    assert event.account == user
    assert "new.worker: new account -> Caseworker (ISAC)" in event.detail


def test_a_new_account_needs_an_email_address(as_user, administrator):
    response = as_user(administrator).post(
        "/admin/stalkingservice/user/add/", {"username": "new.worker", "role": Role.CASEWORKER}
    )
    assert response.status_code == 200
    assert "This field is required" in response.text
    assert not User.objects.filter(username="new.worker").exists()


def test_role_change_in_the_admin_is_audited(
    as_user, administrator, caseworker, mailoutbox, django_capture_on_commit_callbacks
):
    caseworker.email = "cw.one@example.org"
    caseworker.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(administrator).post(
            f"/admin/stalkingservice/user/{caseworker.pk}/change/",
            _change_post(caseworker, role=Role.COMMISSIONER, email=caseworker.email),
        )
    assert response.status_code == 302, response.text
    caseworker.refresh_from_db()
    assert caseworker.role == Role.COMMISSIONER
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE)
    assert (
        event.detail
        == f"{caseworker.username}: Caseworker (ISAC) -> Commissioner's contract manager"
    )
    assert event.user == administrator
    assert event.account == caseworker
    # The owner is told.
    assert [m.to for m in mailoutbox] == [["cw.one@example.org"]]
    assert "Your role is now Commissioner's contract manager" in mailoutbox[0].body


def test_an_edit_that_keeps_the_role_is_not_a_role_change(administrator, caseworker):
    caseworker.job_title = "Senior ISAC"
    services.user_account_save(user=caseworker, by=administrator)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE).exists()


def test_only_administrators_get_the_admin_flag(administrator, manager):
    user = UserFactory(role=Role.CASEWORKER, is_staff=True)
    services.user_role_change(user=user, role=Role.COMMISSIONER, by=administrator)
    user.refresh_from_db()
    assert not user.is_staff
    services.user_role_change(user=user, role=Role.ADMINISTRATOR, by=administrator)
    user.refresh_from_db()
    assert not user.is_staff  # not until a second person approves
    change = RoleChangeRequest.objects.get(user=user)
    services.role_change_decide(change=change, by=manager, approve=True)
    user.refresh_from_db()
    assert user.role == Role.ADMINISTRATOR
    assert user.is_staff
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE_APPROVED).count() == 1


def test_administrator_cannot_see_casework_in_the_admin(as_user, administrator):
    index = as_user(administrator).get("/admin/")
    assert index.status_code == 200
    for casework in ("Cases", "Clients", "Case notes", "Referrals", "Risk"):
        assert f">{casework}<" not in index.text


def test_createsuperuser_makes_an_administrator(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD_PASSWORD)
    call_command(
        "createsuperuser", username="first.admin", email="a@example.org", interactive=False
    )
    user = User.objects.get(username="first.admin")
    assert user.role == Role.ADMINISTRATOR
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def _change_post(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": "",
        "role": user.role,
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    "change", [{"role": Role.MANAGER}, {"is_active": None}], ids=["demoted", "deactivated"]
)
def test_the_last_administrator_cannot_be_demoted_or_deactivated(as_user, administrator, change):
    response = as_user(administrator).post(
        f"/admin/stalkingservice/user/{administrator.pk}/change/",
        _change_post(administrator, **change),
    )
    assert response.status_code == 200
    assert "the only active administrator" in response.text
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    assert administrator.is_active


def test_an_administrator_can_be_demoted_when_another_remains(as_user, administrator):
    other = UserFactory(role=Role.ADMINISTRATOR, username="second.admin")
    response = as_user(administrator).post(
        f"/admin/stalkingservice/user/{other.pk}/change/",
        _change_post(other, role=Role.CASEWORKER),
    )
    assert response.status_code == 302, response.text
    other.refresh_from_db()
    assert other.role == Role.CASEWORKER


def test_administrator_resets_a_workers_two_factor(client, as_user, administrator, caseworker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    worker_session = client
    worker_session.force_login(caseworker)
    admin = as_user(administrator)
    home = admin.get("/")
    assert f"Reset two-factor for {caseworker.username}" in home.text

    response = admin.post(f"/accounts/{caseworker.pk}/reset-two-factor/", follow=True)
    assert "was reset and they were signed out everywhere" in response.text
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert f"Reset two-factor for {caseworker.username}" not in response.text
    event = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR_RESET)
    assert event.user == administrator
    assert caseworker.username in event.detail
    # Their old session no longer reaches any page.
    assert worker_session.get("/cases/").status_code == 302


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.COMMISSIONER])
def test_only_administrators_can_reset_two_factor(as_user, caseworker, role):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    other = UserFactory(role=role, username=f"not.admin.{role}")
    assert as_user(other).post(f"/accounts/{caseworker.pk}/reset-two-factor/").status_code == 404
    assert TOTPDevice.objects.filter(user=caseworker).exists()
    assert as_user(other).get(f"/accounts/{caseworker.pk}/reset-two-factor/").status_code == 404
