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


def test_the_timeline_refuses_every_kind_of_casework_to_a_break_glass_holder(world):
    """The rule sits where every change writes its event, so a service in any app that
    forgets to ask still cannot act for a break-glass holder: every kind of casework is
    refused to them, and only the kinds that are not a change to the case are let by."""
    from cases import events
    from cases.models.lifecycle import CaseEvent
    from cases.services.lifecycle import case_record_event

    case, users = world
    kinds = events.all_kinds()
    assert len(kinds) > 40  # the apps' kinds are registered, not only the spine's
    let_by = set()
    for kind in kinds:
        try:
            case_record_event(case=case, kind=kind.code, by=users["break_glass"])
            let_by.add(kind.code)
        except DomainError as exc:
            assert str(exc) == BREAK_GLASS_READ_ONLY, kind.code
        case_record_event(case=case, kind=kind.code, by=users["allocated"])
        case_record_event(case=case, kind=kind.code, by=users["manager"])
    assert let_by == {
        "break_glass",
        "group_attendance",
        "chronology_exported",
        "handover_summary",
        "safety_plan_client_copy",
    }
    assert not CaseEvent.objects.filter(case=case, by=users["other_caseworker"]).exists()
    with pytest.raises(DomainError, match=READ_ONLY):
        case_record_event(case=case, kind="note_added", by=users["other_caseworker"])


def test_services_of_every_app_refuse_a_break_glass_holder_and_keep_nothing(world):
    """Risk, police and court services have no check of their own: the timeline's rule
    refuses them and their transaction keeps nothing."""
    import datetime as dt

    from django.utils import timezone

    from cases.models.police_court import Hearing, PoliceInvestigation
    from cases.services.police_court import hearing_create, investigation_create
    from risk.models.assessment import RiskAssessment
    from risk.models.incidents import Incident
    from risk.services.incidents import incident_record
    from tests.factories_risk import complete_dash

    case, users = world
    glass = users["break_glass"]
    yesterday = timezone.now() - dt.timedelta(days=1)
    calls = {
        Incident: lambda: incident_record(
            case=case,
            data={"occurred_at": yesterday, "behaviour": "threats", "description": "Forged"},
            by=glass,
        ),
        RiskAssessment: lambda: complete_dash(case, glass, 20),
        PoliceInvestigation: lambda: investigation_create(
            case=case,
            data={"crime_reference": "SP-26-001234", "force": "Staffordshire Police"},
            by=glass,
        ),
        Hearing: lambda: hearing_create(
            case=case,
            data={"hearing_type": "order", "court": "Stafford", "hearing_on": yesterday.date()},
            by=glass,
        ),
    }
    for model, call in calls.items():
        with pytest.raises(DomainError, match=READ_ONLY):
            call()
        assert not model.objects.filter(case=case).exists(), model.__name__
    case.refresh_from_db()
    assert case.risk_level == ""


def test_nobody_breaks_glass_into_a_case_without_a_worker(manager, caseworker):
    """A referral at triage (perhaps flagged because the suspect is known to staff, which
    only managers are told) and a case on the waiting list are the managers': not another
    worker's case, so there is no break-glass to them, by the form or the service."""
    from cases.models.suspects import Suspect
    from cases.services.lifecycle import BREAK_GLASS_UNALLOCATED
    from referrals.models import Referral
    from referrals.services import referral_create
    from tests.factories_referrals import intake_data

    # The suspect shares a name with the caseworker: the conflict check flags it.
    suspect = {
        "name": f"{caseworker.first_name} {caseworker.last_name}",
        "relationship": Suspect.Relationship.COLLEAGUE,
    }
    referral = referral_create(data=intake_data(suspects=[suspect]), by=manager)
    assert Referral.objects.get(pk=referral.pk).conflict_flag
    case = referral.case
    with pytest.raises(DomainError) as refused:
        break_glass_grant(case=case, user=caseworker, reason="Curious")
    assert str(refused.value) == BREAK_GLASS_UNALLOCATED
    web = signed_in(caseworker)
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:break_glass", args=[case.pk]),
        reverse("referrals:triage", args=[referral.pk]),
    ):
        assert web.get(url).status_code == 404, url
    assert (
        web.post(reverse("cases:break_glass", args=[case.pk]), {"reason": "x"}).status_code == 404
    )


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
