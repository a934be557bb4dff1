"""Break-glass reads, it does not act (issue 13, point 4).

A caseworker holding a live break-glass grant may read the case but change nothing: the
services refuse (whatever path the change comes by), every POST on a case URL is refused
with the "Break-glass access is read-only" page, write buttons are hidden, and a note's
history never shows them a version they could not see now. (The walk over every case URL
of every app is tests/security/test_case_tabs_one_rule.py.)"""

import re

import pytest
from django.urls import reverse

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.models.notes_tasks import CaseNote
from cases.services.client import client_update, safe_contact_update
from cases.services.lifecycle import (
    BREAK_GLASS_READ_ONLY,
    break_glass_grant,
    case_allocate,
    case_reallocate,
    case_reopen,
    closure_request,
)
from cases.services.notes_tasks import note_add, note_edit
from cases.statuses import CaseStatus
from referrals.services import referral_decide
from stalkingservice.domain import DomainError
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.factories_referrals import make_triaged_referral

pytestmark = pytest.mark.django_db

READ_ONLY = "Break-glass access is read-only"


# ---- The services refuse -------------------------------------------------------------------


def test_services_refuse_every_change_by_a_break_glass_holder(world, caseworker2):
    case, users = world
    glass = users["break_glass"]
    calls = {
        "reallocate": lambda: case_reallocate(
            case=case, worker=caseworker2, reason="Cover", version=case.version, by=glass
        ),
        "close": lambda: closure_request(case=case, reason=None, summary="Done", by=glass),
        "client details": lambda: client_update(
            client=case.client,
            case=case,
            data={"first_name": "Changed"},
            version=case.client.version,
            by=glass,
        ),
        "safe contact": lambda: safe_contact_update(
            client=case.client, case=case, data={"phone": "07700 900999"}, version=None, by=glass
        ),
        "note": lambda: note_add(case=case, note_type="call", summary="Rang", by=glass),
    }
    for name, call in calls.items():
        with pytest.raises(DomainError, match="Break-glass access is read-only"):
            call()
        case.refresh_from_db()
        assert case.allocated_to == users["allocated"], name
    assert Client.objects.get(pk=case.client_id).first_name != "Changed"
    assert not CaseNote.objects.filter(case=case).exists()
    # The allocated worker and a manager still act.
    note_add(case=case, note_type="call", summary="Rang", by=users["allocated"])
    note_add(case=case, note_type="call", summary="Rang again", by=users["manager"])


def test_a_break_glass_holder_cannot_open_a_new_episode(world):
    case, users = world
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    case.refresh_from_db()
    with pytest.raises(DomainError, match=READ_ONLY):
        case_reopen(case=case, reason="Back again", by=users["break_glass"])
    assert not Case.objects.filter(previous_case=case).exists()
    assert BREAK_GLASS_READ_ONLY.startswith(READ_ONLY)


# ---- The pages refuse, and hide the buttons ------------------------------------------------

WRITES = [
    ("cases:note_add", {"note_type": "call", "summary": "Forged"}),
    ("cases:closure_request", {"summary": "Forged"}),
    ("cases:client_edit", {"first_name": "Forged"}),
    ("cases:safe_contact_edit", {"phone": "07700 900111"}),
    ("cases:contact_attempt_add", {}),
    ("risk:incident_new", {"summary": "Forged"}),
    ("risk:safety_action_add", {"description": "Forged"}),
]


@pytest.mark.parametrize(
    "actor,expected",
    [
        ("signed_out", "login"),
        ("allocated", "acts"),
        ("co_worker", "acts"),
        ("break_glass", 403),
        ("other_caseworker", 404),
        ("manager", "acts"),
        ("commissioner", 404),
        ("administrator", 404),
    ],
)
def test_role_matrix_posting_to_a_case(world, actor, expected, client):
    """Who may write on a case: its workers and managers; a break-glass holder gets the
    read-only page, everyone else what they get for any case they cannot see."""
    case, users = world
    http = client if actor == "signed_out" else signed_in(users[actor])
    for name, data in WRITES:
        response = http.post(reverse(name, args=[case.pk]), data)
        if expected == "login":
            assert response.status_code == 302 and "/sign-in/" in response["Location"], name
        elif expected == "acts":
            # Reached the form (saved, or shown again with what is missing): not refused.
            assert response.status_code in (200, 302), (name, response.status_code)
            assert READ_ONLY not in response.text
        else:
            assert response.status_code == expected, (name, response.status_code)
            if expected == 403:
                assert READ_ONLY in response.text
    if expected != "acts":
        assert not CaseNote.objects.filter(summary="Forged").exists()


def _case_forms(page: str) -> list[str]:
    """The forms that post somewhere other than signing out."""
    return [f for f in re.findall(r"<form[^>]*>", page) if "sign-out" not in f and "get" not in f]


def test_a_break_glass_holder_sees_the_case_without_write_buttons(world):
    case, users = world
    glass = signed_in(users["break_glass"])
    allocated = signed_in(users["allocated"])
    for name in ("cases:detail", "cases:contact", "cases:exit", "risk:incidents"):
        url = reverse(name, args=[case.pk])
        theirs, mine = glass.get(url), allocated.get(url)
        assert theirs.status_code == 200 and mine.status_code == 200
        assert case.reference in theirs.text
        assert not _case_forms(theirs.text), name
        assert _case_forms(mine.text) or name != "cases:contact", name
    add_incident = reverse("risk:incident_new", args=[case.pk])
    assert add_incident in allocated.get(reverse("risk:incidents", args=[case.pk])).text
    assert add_incident not in glass.get(reverse("risk:incidents", args=[case.pk])).text
    detail = glass.get(reverse("cases:detail", args=[case.pk])).text
    assert reverse("cases:client_edit", args=[case.pk]) not in detail
    assert (
        reverse("cases:client_edit", args=[case.pk])
        in allocated.get(reverse("cases:detail", args=[case.pk])).text
    )
    form = glass.get(reverse("cases:closure_request", args=[case.pk]))
    assert READ_ONLY in form.text and not _case_forms(form.text)


def test_a_decided_referral_cannot_be_posted_through_break_glass(manager, caseworker):
    referral = make_triaged_referral(by=manager)
    referral = referral_decide(
        referral=referral, outcome="accepted", notes="", version=referral.version, by=manager
    )
    case_allocate(case=referral.case, worker=caseworker, by=manager)
    glass = UserFactory(role="caseworker")
    break_glass_grant(case=referral.case, user=glass, reason="Duty cover")
    url = reverse("referrals:triage", args=[referral.pk])
    http = signed_in(glass)
    assert http.get(url).status_code == 200
    response = http.post(url, {"notes": "Forged"})
    assert response.status_code == 403 and READ_ONLY in response.text


# ---- History never shows a version the user could not see now -----------------------------


def test_note_history_hides_versions_saved_while_the_note_was_sensitive(world):
    case, users = world
    author = users["allocated"]
    note = note_add(
        case=case,
        note_type="call",
        summary="Client is staying at her sister's at 4 Elm Road",
        sensitive=True,
        by=author,
    )
    note_edit(
        note=note,
        reason="Address redacted",
        data={"summary": "Client is staying with family", "sensitive": False},
        version=note.version,
        by=author,
    )
    url = reverse("cases:note_history", args=[case.pk, note.pk])
    theirs = signed_in(users["break_glass"]).get(url)
    assert theirs.status_code == 200
    assert "Client is staying with family" in theirs.text
    assert "4 Elm Road" not in theirs.text
    for actor in ("allocated", "manager"):
        assert "4 Elm Road" in signed_in(users[actor]).get(url).text
