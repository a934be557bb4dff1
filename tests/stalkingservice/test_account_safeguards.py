"""Administrators cannot become managers (issue 13, point 5).

No screen lets an administrator set another person's password: the owner is emailed a
one-time link instead. A role of manager or administrator is only given when a second
person (a manager or another administrator, not the one who asked, not the account's
owner) approves. Every password set, role change and two-factor reset is an audit row that
managers see, and the owner is emailed. What administrators see of the audit is ids and
actions: no client's name, case reference or free text, and nothing to search it by."""

import re

import pytest
from django.urls import reverse

from cases.services.lifecycle import break_glass_grant
from stalkingservice.models import AuditEvent, RoleChangeRequest, User
from stalkingservice.roles import Role
from tests.factories import PASSWORD, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern orbit pebble moss"
LINK = re.compile(r"https?://[^/\s]+(/account/reset/[^\s]+/)")


@pytest.fixture
def worker(db):
    return UserFactory(username="kit.worker", role=Role.CASEWORKER, email="kit@example.org")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Emails go after the change commits: run those callbacks inside each block."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def _link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _link_in(outbox) -> str:
    """The link in the one email that carries one."""
    (message,) = [m for m in outbox if LINK.search(m.body)]
    return _link(message)


def _change_post(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "is_active": "on",
    }
    data.update(changes)
    return data


# ---- No administrator screen sets another person's password ----------------------------


def test_no_admin_screen_offers_a_password_form_for_another_user(as_user, administrator, worker):
    admin = as_user(administrator)
    before = User.objects.get(pk=worker.pk).password
    pages = [
        "/",
        "/admin/stalkingservice/user/",
        "/admin/stalkingservice/user/add/",
        f"/admin/stalkingservice/user/{worker.pk}/change/",
        f"/admin/stalkingservice/user/{worker.pk}/password/",
    ]
    for page in pages:
        response = admin.get(page, follow=True)
        assert response.status_code in (200, 404), page
        assert 'type="password"' not in response.text, page
        assert f"/{worker.pk}/password/" not in response.text, page
    # Django's own "set password" page for a user is gone, whatever is posted to it.
    response = admin.post(
        f"/admin/stalkingservice/user/{worker.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code in (302, 404)
    # The admin site's own "change password" is the product's page (for their own only).
    assert admin.get("/admin/password_change/")["Location"] == reverse("password_change")
    # Nor can a password be smuggled into the account forms.
    admin.post(
        f"/admin/stalkingservice/user/{worker.pk}/change/",
        _change_post(worker, password=NEW_PASSWORD, password1=NEW_PASSWORD, password2=NEW_PASSWORD),
    )
    admin.post(
        "/admin/stalkingservice/user/add/",
        {
            "username": "smuggled",
            "email": "smuggled@example.org",
            "role": Role.CASEWORKER,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert User.objects.get(pk=worker.pk).password == before
    assert not User.objects.get(username="smuggled").has_usable_password()


def test_a_reset_link_goes_to_the_owner_only_and_works_once(
    client, as_user, administrator, manager, worker, mailoutbox, run_on_commit
):
    admin = as_user(administrator)
    assert f"Email {worker.username} a link to choose a password" in admin.get("/").text
    with run_on_commit():
        response = admin.post(reverse("account_password_reset_send", args=[worker.pk]), follow=True)
    assert f"{worker.username} was emailed a one-time link" in response.text
    assert [m.to for m in mailoutbox] == [[worker.email]]
    link = _link(mailoutbox[0])
    token = link.rstrip("/").rsplit("/", 1)[-1]
    # The administrator is never shown the link.
    assert token not in response.text
    assert "/account/reset/" not in response.text

    # The owner follows it, signed out, and chooses a password.
    page = client.get(link, follow=True)
    assert "Choose your password" in page.text
    with run_on_commit():
        done = client.post(
            page.redirect_chain[-1][0] if page.redirect_chain else link,
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            follow=True,
        )
    assert "Your password is set" in done.text
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    # The owner is told their password changed.
    assert mailoutbox[-1].to == [worker.email]
    assert "password for your account was just changed" in mailoutbox[-1].body

    # The link works once.
    again = client.get(link, follow=True)
    assert "already been used or has run out" in again.text

    # Both are audit rows a manager sees.
    sent = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_RESET_SENT)
    assert (sent.user, sent.account) == (administrator, worker)
    password_set = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_SET)
    assert (password_set.user, password_set.account) == (worker, worker)
    audit = as_user(manager).get("/audit/").text
    assert "Password reset link sent" in audit
    assert "Password set" in audit
    assert f"{worker.username} set their password" in audit


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("kit.worker.2026", "too similar"),
    ],
)
def test_a_password_chosen_through_the_link_follows_the_rules(
    client, as_user, administrator, worker, mailoutbox, run_on_commit, password, message
):
    with run_on_commit():
        as_user(administrator).post(reverse("account_password_reset_send", args=[worker.pk]))
    page = client.get(_link(mailoutbox[0]), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 200
    assert message in response.text
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_no_link_for_an_account_without_an_email(as_user, administrator, mailoutbox):
    nobody = UserFactory(username="no.mail", role=Role.CASEWORKER, email="")
    response = as_user(administrator).post(
        reverse("account_password_reset_send", args=[nobody.pk]), follow=True
    )
    assert "has no email address" in response.text
    assert mailoutbox == []


def test_the_admin_action_emails_the_link_to_the_owner(
    as_user, administrator, worker, mailoutbox, run_on_commit
):
    with run_on_commit():
        response = as_user(administrator).post(
            "/admin/stalkingservice/user/",
            {"action": "send_password_link", "_selected_action": [worker.pk], "index": 0},
            follow=True,
        )
    # (The admin capitalises the first letter of a message.)
    assert f"{worker.username.capitalize()} was emailed a one-time link" in response.text
    assert [m.to for m in mailoutbox] == [[worker.email]]
    token = _link(mailoutbox[0]).split("/")[4]
    assert token not in response.text


def test_changing_your_own_password_is_audited_and_you_are_told(
    as_user, worker, manager, mailoutbox, run_on_commit
):
    with run_on_commit():
        response = as_user(worker).post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            follow=True,
        )
    assert "Your password has been changed" in response.text
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_SET)
    assert event.account == worker
    assert [m.to for m in mailoutbox] == [[worker.email]]


# ---- A manager or administrator role takes a second person ------------------------------


def test_a_promotion_waits_for_a_second_person(
    as_user, administrator, manager, worker, mailoutbox, run_on_commit
):
    admin = as_user(administrator)
    with run_on_commit():
        response = admin.post(
            f"/admin/stalkingservice/user/{worker.pk}/change/",
            _change_post(worker, role=Role.MANAGER),
            follow=True,
        )
    assert "until another manager or administrator approves" in response.text
    worker.refresh_from_db()
    assert worker.role == Role.CASEWORKER
    # Not a manager yet: manager pages are still not theirs.
    assert as_user(worker).get(reverse("cases:all_cases")).status_code == 404
    assert "asked for your role to become Service manager" in mailoutbox[-1].body

    # The one who asked cannot approve it.
    page = admin.get(reverse("role_changes")).text
    assert f"Approve {worker.username} as Service manager" not in page
    assert "Another manager or administrator must approve this." in page
    change = RoleChangeRequest.objects.get(user=worker)
    refused = admin.post(
        reverse("role_change_decide", args=[change.pk]), {"decision": "approve"}, follow=True
    )
    assert "You asked for this change of role, so you cannot approve it" in refused.text
    worker.refresh_from_db()
    assert worker.role == Role.CASEWORKER

    # A manager approves: now it takes effect.
    boss = as_user(manager)
    assert f"Approve {worker.username} as Service manager" in boss.get(reverse("role_changes")).text
    with run_on_commit():
        approved = boss.post(
            reverse("role_change_decide", args=[change.pk]), {"decision": "approve"}, follow=True
        )
    assert f"The change of {worker.username} to Service manager was approved" in approved.text
    worker.refresh_from_db()
    assert worker.role == Role.MANAGER
    assert as_user(worker).get(reverse("cases:all_cases")).status_code == 200
    assert mailoutbox[-1].to == [worker.email]
    assert "Your role is now Service manager" in mailoutbox[-1].body

    # Asked, then approved: both in the audit managers read.
    audit = boss.get("/audit/", {"action": AuditEvent.Action.ROLE_CHANGE_REQUESTED}).text
    assert f"{worker.username}: Caseworker (ISAC) -&gt; Service manager" in audit
    audit = boss.get("/audit/", {"action": AuditEvent.Action.ROLE_CHANGE_APPROVED}).text
    assert f"by {administrator.username}" in audit
    approved_row = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE_APPROVED)
    assert (approved_row.user, approved_row.account) == (manager, worker)


def test_an_administrator_cannot_promote_themselves_alone(as_user, administrator):
    second = UserFactory(username="second.admin", role=Role.ADMINISTRATOR, is_staff=True)
    admin = as_user(administrator)
    admin.post(
        f"/admin/stalkingservice/user/{administrator.pk}/change/",
        _change_post(administrator, role=Role.MANAGER),
    )
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    change = RoleChangeRequest.objects.get(user=administrator)
    refused = admin.post(
        reverse("role_change_decide", args=[change.pk]), {"decision": "approve"}, follow=True
    )
    assert "You asked for this change of role" in refused.text
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    change.refresh_from_db()
    assert change.status == RoleChangeRequest.Status.PENDING
    # Another administrator may approve it.
    as_user(second).post(reverse("role_change_decide", args=[change.pk]), {"decision": "approve"})
    administrator.refresh_from_db()
    assert administrator.role == Role.MANAGER


def test_nobody_decides_a_change_to_their_own_role(as_user, administrator):
    target = UserFactory(username="second.admin", role=Role.ADMINISTRATOR, is_staff=True)
    as_user(administrator).post(
        f"/admin/stalkingservice/user/{target.pk}/change/",
        _change_post(target, role=Role.MANAGER),
    )
    change = RoleChangeRequest.objects.get(user=target)
    response = as_user(target).post(
        reverse("role_change_decide", args=[change.pk]), {"decision": "approve"}, follow=True
    )
    assert "This change is to your own role" in response.text
    target.refresh_from_db()
    assert target.role == Role.ADMINISTRATOR


def test_a_new_manager_account_cannot_sign_in_until_approved(
    client, as_user, administrator, manager, mailoutbox, run_on_commit
):
    with run_on_commit():
        as_user(administrator).post(
            "/admin/stalkingservice/user/add/",
            {"username": "new.boss", "email": "boss@example.org", "role": Role.MANAGER},
        )
    user = User.objects.get(username="new.boss")
    assert (user.role, user.is_active) == (Role.CASEWORKER, False)
    # They choose a password with the emailed link, but cannot sign in yet.
    assert {tuple(m.to) for m in mailoutbox} == {("boss@example.org",)}
    page = client.get(_link_in(mailoutbox), follow=True)
    with run_on_commit():
        client.post(
            page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    sign_in = {"username": "new.boss", "password": NEW_PASSWORD}
    assert client.post(reverse("login"), sign_in).status_code == 200  # refused
    change = RoleChangeRequest.objects.get(user=user)
    assert change.is_new_account
    as_user(manager).post(reverse("role_change_decide", args=[change.pk]), {"decision": "approve"})
    user.refresh_from_db()
    assert (user.role, user.is_active) == (Role.MANAGER, True)
    assert client.post(reverse("login"), sign_in).status_code == 302


def test_a_rejected_promotion_changes_nothing(
    as_user, administrator, manager, worker, mailoutbox, run_on_commit
):
    services_change = RoleChangeRequest.objects.create(
        user=worker, from_role=Role.CASEWORKER, to_role=Role.ADMINISTRATOR, requested_by=manager
    )
    with run_on_commit():
        response = as_user(administrator).post(
            reverse("role_change_decide", args=[services_change.pk]),
            {"decision": "reject"},
            follow=True,
        )
    assert "was rejected" in response.text
    worker.refresh_from_db()
    assert worker.role == Role.CASEWORKER
    assert AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE_REJECTED).account == worker
    assert "was rejected" in mailoutbox[-1].body
    # A decided change cannot be decided again.
    again = as_user(manager).post(
        reverse("role_change_decide", args=[services_change.pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert "already rejected" in again.text
    worker.refresh_from_db()
    assert worker.role == Role.CASEWORKER


def test_one_change_of_role_waits_at_a_time(as_user, administrator, worker):
    admin = as_user(administrator)
    admin.post(
        f"/admin/stalkingservice/user/{worker.pk}/change/", _change_post(worker, role=Role.MANAGER)
    )
    response = admin.post(
        f"/admin/stalkingservice/user/{worker.pk}/change/",
        _change_post(worker, role=Role.ADMINISTRATOR),
    )
    assert response.status_code == 200
    assert "already waiting for approval" in response.text
    assert RoleChangeRequest.objects.filter(user=worker).count() == 1


def test_a_demotion_takes_effect_at_once_and_is_told(
    as_user, administrator, manager, mailoutbox, run_on_commit
):
    manager.email = "mgr@example.org"
    manager.save()
    with run_on_commit():
        as_user(administrator).post(
            f"/admin/stalkingservice/user/{manager.pk}/change/",
            _change_post(manager, role=Role.CASEWORKER),
        )
    manager.refresh_from_db()
    assert manager.role == Role.CASEWORKER
    assert "Your role is now Caseworker (ISAC)" in mailoutbox[-1].body


def test_a_two_factor_reset_is_told_to_the_owner_and_seen_by_managers(
    as_user, administrator, manager, worker, mailoutbox, run_on_commit
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    with run_on_commit():
        as_user(administrator).post(reverse("account_two_factor_reset", args=[worker.pk]))
    assert mailoutbox[-1].to == [worker.email]
    assert "reset the two-factor authentication on your account" in mailoutbox[-1].body
    event = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR_RESET)
    assert event.account == worker
    audit = as_user(manager).get("/audit/", {"action": AuditEvent.Action.TWO_FACTOR_RESET})
    assert f"Reset two-factor for {worker.username}" in audit.text


# ---- What administrators see of the audit -------------------------------------------


@pytest.fixture
def case_with_a_telling_audit_row(caseworker2):
    """An audit row whose free text names the client and the case, as break-glass rows
    written before the reason moved onto the grant do."""
    from stalkingservice.audit import audit_record

    case = CaseFactory(client__first_name="Ottoline", client__last_name="Vasquez-Brandt")
    reason = f"Covering for Ottoline Vasquez-Brandt ({case.reference}) while her worker is off"
    break_glass_grant(case=case, user=caseworker2, reason=reason)
    audit_record(
        action=AuditEvent.Action.BREAK_GLASS, user=caseworker2, case_id=case.pk, detail=reason
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS, case_id=case.pk)
    event = event.latest("pk")
    assert "Vasquez-Brandt" in event.detail
    return case, event


def test_the_admin_audit_shows_ids_and_actions_only(
    as_user, administrator, manager, case_with_a_telling_audit_row
):
    case, event = case_with_a_telling_audit_row
    admin = as_user(administrator)
    secrets = ("Ottoline", "Vasquez-Brandt", case.reference, "Covering for")
    changelist = admin.get("/admin/stalkingservice/auditevent/")
    assert changelist.status_code == 200
    assert "Break-glass access" in changelist.text
    detail = admin.get(f"/admin/stalkingservice/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert "Break-glass access" in detail.text
    for page in (changelist, detail):
        for secret in secrets:
            assert secret not in page.text
    # Managers read the whole trail.
    assert "Vasquez-Brandt" in as_user(manager).get("/audit/", {"case": case.pk}).text


def test_the_admin_audit_cannot_be_searched_by_a_clients_name(
    as_user, administrator, case_with_a_telling_audit_row
):
    admin = as_user(administrator)
    plain = admin.get("/admin/stalkingservice/auditevent/")
    assert 'id="searchbar"' not in plain.text  # no search box
    rows = re.findall(r"auditevent/(\d+)/change/", plain.text)
    found = admin.get("/admin/stalkingservice/auditevent/", {"q": "Vasquez-Brandt"})
    missing = admin.get("/admin/stalkingservice/auditevent/", {"q": "Nobody-At-All"})
    # ?q= narrows nothing: a name that is in the audit and one that is not look the same.
    assert re.findall(r"auditevent/(\d+)/change/", found.text) == rows
    assert re.findall(r"auditevent/(\d+)/change/", missing.text) == rows
    # Nor can the address filter on the free text or the page (Django allows any lookup
    # on a model's own fields unless told otherwise).
    for lookup in ("detail__icontains", "page__icontains", "username__icontains"):
        response = admin.get("/admin/stalkingservice/auditevent/", {lookup: "Vasquez"})
        assert response.status_code == 400, lookup
    by_action = admin.get(
        "/admin/stalkingservice/auditevent/", {"action__exact": AuditEvent.Action.BREAK_GLASS}
    )
    assert by_action.status_code == 200


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("MA", "not-a-token"),
        ("%00", "%00"),
        ("x" * 500, "y" * 500),
        ("LTE", "set-password"),  # a negative id, and the step's own name as a token
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "abc-def"),  # an id too big for the column
    ],
)
def test_a_bad_link_says_so_and_never_fails(client, as_user, worker, uidb64, token):
    for http in (client, as_user(worker)):
        path = f"/account/reset/{uidb64}/{token}/"
        page = http.get(path, follow=True)
        assert page.status_code == 200
        assert "already been used or has run out" in page.text
        posted = http.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert posted.status_code == 200
        assert "already been used or has run out" in posted.text
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
