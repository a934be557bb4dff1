from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from cases.events import label_for
from cases.models.client import SafeContact
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case, CaseEvent
from cases.services.client import client_update, safe_contact_update
from cases.services.common import FUTURE_TIME
from cases.services.contact import contact_attempt_record
from cases.services.lifecycle import (
    ALLOCATE_NOT_WAITING,
    BREAK_GLASS_NOT_ALLOWED,
    BREAK_GLASS_NOT_NEEDED,
    BREAK_GLASS_RESTRICTED,
    CLOSED_CASE,
    CO_WORKER_SAME,
    NOT_A_CASEWORKER,
    REALLOCATE_SAME,
    break_glass_grant,
    case_allocate,
    case_reallocate,
    case_set_restricted,
    case_transition,
)
from cases.services.notes_tasks import (
    NOTE_NOT_EDITABLE,
    TASK_ALREADY_DONE,
    note_add,
    note_edit,
    task_complete,
)
from cases.statuses import ALLOWED_TRANSITIONS, CaseStatus
from stalkingservice.domain import DomainError, StaleEdit
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Role
from tests.factories_cases import (
    BreakGlassGrantFactory,
    CaseFactory,
    TaskFactory,
    UserFactory,
    WaitingCaseFactory,
)

pytestmark = pytest.mark.django_db

ALL_MOVES = [(a, b) for a in CaseStatus for b in CaseStatus]


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_transition_table(current, target, manager):
    case = CaseFactory(status=current)
    if target in ALLOWED_TRANSITIONS[current]:
        case_transition(case=case, to=target, by=manager)
        case.refresh_from_db()
        assert case.status == target
        event = CaseEvent.objects.get(case=case, kind="status_changed")
        assert (event.from_status, event.to_status) == (current, target)
    else:
        with pytest.raises(DomainError, match="cannot be moved to"):
            case_transition(case=case, to=target, by=manager)
        case.refresh_from_db()
        assert case.status == current
        assert not CaseEvent.objects.filter(case=case).exists()


def test_transition_stamps_the_date_of_each_step_once(manager):
    case = WaitingCaseFactory()
    case_transition(case=case, to=CaseStatus.ALLOCATED, by=manager)
    first = Case.objects.get(pk=case.pk).allocated_at
    assert first is not None
    case_transition(case=case, to=CaseStatus.WAITING, by=manager)
    case_transition(case=case, to=CaseStatus.ALLOCATED, by=manager)
    assert Case.objects.get(pk=case.pk).allocated_at == first


def test_transition_records_history_with_reason(manager):
    case = WaitingCaseFactory()
    case_transition(case=case, to=CaseStatus.ALLOCATED, by=manager)
    assert case.history.first().history_change_reason == "Status waiting -> allocated"


# ---- allocation ------------------------------------------------------------------------


def test_allocate_sets_workers_status_and_first_contact_due(manager, caseworker, caseworker2):
    case = WaitingCaseFactory(referred_at=timezone.make_aware(datetime(2026, 3, 6, 10)))
    case_allocate(case=case, worker=caseworker, co_worker=caseworker2, by=manager)
    case.refresh_from_db()
    assert case.status == CaseStatus.ALLOCATED
    assert (case.allocated_to, case.co_worker) == (caseworker, caseworker2)
    assert case.first_contact_due == date(2026, 3, 10)  # Friday + 2 working days
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"allocated", "status_changed"} <= kinds


@pytest.mark.parametrize("status", [s for s in CaseStatus if s not in ("waiting", "triaged")])
def test_allocate_refused_unless_waiting(status, manager, caseworker):
    case = CaseFactory(status=status, allocated_to=None)
    with pytest.raises(DomainError, match=ALLOCATE_NOT_WAITING):
        case_allocate(case=case, worker=caseworker, by=manager)


def test_allocate_refuses_commissioner_and_same_co_worker(manager, caseworker, commissioner):
    case = WaitingCaseFactory()
    with pytest.raises(DomainError, match=NOT_A_CASEWORKER):
        case_allocate(case=case, worker=commissioner, by=manager)
    with pytest.raises(DomainError, match=CO_WORKER_SAME):
        case_allocate(case=case, worker=caseworker, co_worker=caseworker, by=manager)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WAITING


def test_reallocate_records_reason_and_refuses_no_change(manager, caseworker, caseworker2):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError, match=REALLOCATE_SAME):
        case_reallocate(case=case, worker=caseworker, reason="x", by=manager)
    case_reallocate(case=case, worker=caseworker2, reason="Caseworker on leave", by=manager)
    case.refresh_from_db()
    assert case.allocated_to == caseworker2
    event = CaseEvent.objects.get(case=case, kind="reallocated")
    assert "Caseworker on leave" in event.summary
    assert case.history.first().history_change_reason.startswith("Reallocated")


# ---- first contact -----------------------------------------------------------------------


def test_first_attempt_then_reached_makes_case_active(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    earlier = timezone.now() - timedelta(hours=2)
    contact_attempt_record(
        case=case, method="phone", outcome="no_answer", at=earlier, by=caseworker
    )
    case.refresh_from_db()
    assert case.first_attempt_at == earlier
    assert case.status == CaseStatus.ALLOCATED
    assert case.last_contact_at is None
    contact_attempt_record(case=case, method="phone", outcome="reached", by=caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.first_attempt_at == earlier
    assert case.first_contact_at is not None and case.last_contact_at == case.first_contact_at
    assert CaseEvent.objects.filter(case=case, kind="first_contact").count() == 1


@pytest.mark.parametrize(
    ("method", "flags", "voicemail"),
    [
        ("post", {"post_allowed": False}, False),
        ("text", {"text_allowed": False}, False),
        ("email", {"email_allowed": False}, False),
        ("phone", {"phone_allowed": False}, False),
        ("phone", {"voicemail_allowed": False}, True),
    ],
)
def test_unsafe_route_blocked_without_override(method, flags, voicemail, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    SafeContact.objects.filter(client=case.client).update(**flags)
    case = Case.objects.select_related("client__safe_contact").get(pk=case.pk)
    with pytest.raises(DomainError, match="tick the override"):
        contact_attempt_record(
            case=case, method=method, outcome="sent", voicemail_left=voicemail, by=caseworker
        )
    # Ticking the override without a reason is still refused.
    with pytest.raises(DomainError, match="tick the override"):
        contact_attempt_record(
            case=case,
            method=method,
            outcome="sent",
            voicemail_left=voicemail,
            override_unsafe=True,
            unsafe_route_reason="  ",
            by=caseworker,
        )
    assert not ContactAttempt.objects.filter(case=case).exists()
    attempt = contact_attempt_record(
        case=case,
        method=method,
        outcome="sent",
        voicemail_left=voicemail,
        override_unsafe=True,
        unsafe_route_reason="Police asked us to make contact today",
        by=caseworker,
    )
    assert attempt.unsafe_route_reason == "Police asked us to make contact today"
    assert CaseEvent.objects.filter(case=case, kind="unsafe_route_override").exists()


def test_safe_route_is_not_blocked(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    SafeContact.objects.filter(client=case.client).update(post_allowed=True)
    case = Case.objects.get(pk=case.pk)
    attempt = contact_attempt_record(case=case, method="post", outcome="sent", by=caseworker)
    assert attempt.unsafe_route_reason == ""


def test_contact_attempt_refused_on_closed_case_and_in_future(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    with pytest.raises(DomainError, match=FUTURE_TIME):
        contact_attempt_record(
            case=case,
            method="phone",
            outcome="reached",
            at=timezone.now() + timedelta(days=1),
            by=caseworker,
        )
    closed = CaseFactory(allocated_to=caseworker, status=CaseStatus.CLOSED)
    with pytest.raises(DomainError, match=CLOSED_CASE):
        contact_attempt_record(case=closed, method="phone", outcome="reached", by=caseworker)


# ---- notes and tasks ---------------------------------------------------------------------


def test_note_event_never_holds_the_note_text(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    note_add(
        case=case, note_type="call", summary="Client disclosed X", sensitive=True, by=caseworker
    )
    event = CaseEvent.objects.get(case=case, kind="note_added")
    assert "disclosed" not in event.summary
    assert "sensitive" in event.summary


def test_note_edit_keeps_history_with_who_and_why(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    note = note_add(case=case, note_type="call", summary="First text", by=caseworker)
    note_edit(
        note=note,
        reason="Typo in name",
        version=note.version,
        by=caseworker,
        data={"summary": "Fixed text"},
    )
    versions = list(note.history.order_by("history_date"))
    assert [v.summary for v in versions] == ["First text", "Fixed text"]
    assert versions[-1].history_change_reason == "Typo in name"
    with pytest.raises(StaleEdit):
        note_edit(note=note, reason="again", version=1, by=caseworker, data={"summary": "Lost?"})
    other = UserFactory(role=Role.CASEWORKER)
    with pytest.raises(DomainError, match=NOTE_NOT_EDITABLE):
        note_edit(note=note, reason="x", version=None, by=other, data={"summary": "y"})


def test_task_done_once(caseworker):
    task = TaskFactory(case=CaseFactory(allocated_to=caseworker))
    task_complete(task=task, by=caseworker)
    with pytest.raises(DomainError, match=TASK_ALREADY_DONE):
        task_complete(task=task, by=caseworker)
    assert CaseEvent.objects.filter(kind="task_done").count() == 1


# ---- break-glass and edits -----------------------------------------------------------------


def test_break_glass_grant_is_time_limited_and_audited(caseworker, caseworker2):
    case = CaseFactory(allocated_to=caseworker)
    grant = break_glass_grant(case=case, user=caseworker2, reason="Duty cover today")
    assert grant.expires_at - grant.granted_at == timedelta(hours=8)
    audit = AuditEvent.objects.get(action=AuditEvent.Action.BREAK_GLASS)
    # The reason is kept on the grant; the audit, which is never anonymised, names it.
    assert (audit.user, audit.case_id, audit.detail) == (
        caseworker2,
        case.pk,
        f"Break-glass grant {grant.pk} for 8 hours",
    )
    assert grant.reason == "Duty cover today"
    event = CaseEvent.objects.get(case=case, kind="break_glass")
    assert event.label == label_for("break_glass") and "Duty cover today" in event.summary
    with pytest.raises(DomainError, match=BREAK_GLASS_NOT_NEEDED):
        break_glass_grant(case=case, user=caseworker2, reason="again")


def test_break_glass_refused_on_restricted_case_and_for_managers(caseworker2, manager):
    case = CaseFactory(restricted=True)
    with pytest.raises(DomainError, match=BREAK_GLASS_RESTRICTED):
        break_glass_grant(case=case, user=caseworker2, reason="Duty cover")
    with pytest.raises(DomainError, match=BREAK_GLASS_NOT_ALLOWED):
        break_glass_grant(case=CaseFactory(), user=manager, reason="Duty cover")


def test_restricting_ends_live_break_glass(caseworker2, manager):
    from cases.permissions import cases_visible_to

    case = CaseFactory()
    BreakGlassGrantFactory(case=case, user=caseworker2)
    assert cases_visible_to(caseworker2).filter(pk=case.pk).exists()
    case_set_restricted(case=case, restricted=True, reason="Known to staff", by=manager)
    assert not cases_visible_to(caseworker2).filter(pk=case.pk).exists()


def test_client_update_refuses_stale_version(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    client = case.client
    client_update(
        client=client,
        case=case,
        version=client.version,
        by=caseworker,
        data={"pronouns": "she/her"},
    )
    with pytest.raises(StaleEdit) as exc:
        client_update(client=client, case=case, version=1, by=caseworker, data={"pronouns": "they"})
    assert exc.value.current.pronouns == "she/her"
    event = CaseEvent.objects.get(case=case, kind="client_updated")
    assert "she/her" not in event.summary  # names the field, never the value


def test_safe_contact_update_sets_blind_index(caseworker):
    from stalkingservice.crypto import blind_index

    case = CaseFactory(allocated_to=caseworker)
    sc = safe_contact_update(
        client=case.client,
        case=case,
        version=case.client.safe_contact.version,
        by=caseworker,
        data={"safe_phone": "+44 7700 900456"},
    )
    assert sc.safe_phone_index == blind_index("07700900456", "phone")
