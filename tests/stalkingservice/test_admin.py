"""The admin site: administrators only; account changes go through the account service,
so a change of role is always audited and is_staff follows the role."""

import pytest
from django.core.management import call_command

from stalkingservice import services
from stalkingservice.models import AuditEvent, User
from stalkingservice.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern orbit pebble moss"


def test_administrator_creates_an_account_with_a_role(as_user, administrator):
    response = as_user(administrator).post(
        "/admin/stalkingservice/user/add/",
        {
            "username": "new.worker",
            "role": Role.CASEWORKER,
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.text
    user = User.objects.get(username="new.worker")
    assert user.role == Role.CASEWORKER
    assert not user.is_staff
    assert user.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE)
    assert event.user == administrator
    assert "new.worker: new account -> Caseworker (ISAC)" in event.detail


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("new.worker.2026", "too similar"),
    ],
)
def test_admin_refuses_passwords_that_break_the_rules(as_user, administrator, password, message):
    response = as_user(administrator).post(
        "/admin/stalkingservice/user/add/",
        {
            "username": "new.worker",
            "role": Role.CASEWORKER,
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.filter(username="new.worker").exists()


def test_role_change_in_the_admin_is_audited(as_user, administrator, caseworker):
    response = as_user(administrator).post(
        f"/admin/stalkingservice/user/{caseworker.pk}/change/",
        {
            "username": caseworker.username,
            "first_name": caseworker.first_name,
            "last_name": caseworker.last_name,
            "email": "",
            "job_title": "Team leader",
            "role": Role.MANAGER,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.text
    caseworker.refresh_from_db()
    assert caseworker.role == Role.MANAGER
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE)
    assert event.detail == f"{caseworker.username}: Caseworker (ISAC) -> Service manager"
    assert event.user == administrator


def test_an_edit_that_keeps_the_role_is_not_a_role_change(administrator, caseworker):
    caseworker.job_title = "Senior ISAC"
    services.user_account_save(user=caseworker, by=administrator)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE).exists()


def test_only_administrators_get_the_admin_flag(administrator):
    user = UserFactory(role=Role.CASEWORKER, is_staff=True)
    services.user_role_change(user=user, role=Role.COMMISSIONER, by=administrator)
    user.refresh_from_db()
    assert not user.is_staff
    services.user_role_change(user=user, role=Role.ADMINISTRATOR, by=administrator)
    user.refresh_from_db()
    assert user.is_staff
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE).count() == 2


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
