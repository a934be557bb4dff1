"""Rules of police liaison, orders, handover, outcomes, exit and closure."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases.models.client import SafeContact
from cases.models.lifecycle import Case, CaseEvent, ClosureRequest
from cases.models.orders import ORDER_TRANSITIONS, OrderStatus
from cases.models.outcomes import OutcomeAnswer
from cases.models.police_court import INVESTIGATION_TRANSITIONS, InvestigationStatus
from cases.services.common import FUTURE_DATE
from cases.services.handover import HANDOVER_NEEDS_CONSENT, handover_acknowledge, handover_create
from cases.services.lifecycle import (
    CLOSURE_REASON_REQUIRED,
    CLOSURE_RETURN_NEEDS_COMMENT,
    REOPEN_NOT_CLOSED,
    case_reopen,
    closure_approve,
    closure_request,
    closure_return,
    exit_plan_save,
)
from cases.services.orders import order_create, order_transition
from cases.services.outcomes import outcomes_record
from cases.services.police_court import (
    hearing_create,
    investigation_transition,
    police_contact_create,
    victims_code_record,
)
from cases.services.service_records import feedback_create
from cases.statuses import CaseStatus
from stalkingservice.domain import DomainError
from tests.factories import TaskFactory
from tests.factories_advocacy import (
    InvestigationFactory,
    OrderFactory,
    active_case,
    reason,
    service,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today
IS = InvestigationStatus
OS = OrderStatus


# ---- transitions, as tables ----------------------------------------------------------

INVESTIGATION_TABLE = [
    (IS.REPORTED, IS.UNDER_INVESTIGATION, True),
    (IS.REPORTED, IS.NO_FURTHER_ACTION, True),
    (IS.REPORTED, IS.CHARGED, True),
    (IS.REPORTED, IS.BAILED, False),
    (IS.REPORTED, IS.RELEASED_UNDER_INVESTIGATION, False),
    (IS.UNDER_INVESTIGATION, IS.RELEASED_UNDER_INVESTIGATION, True),
    (IS.UNDER_INVESTIGATION, IS.BAILED, True),
    (IS.UNDER_INVESTIGATION, IS.CHARGED, True),
    (IS.UNDER_INVESTIGATION, IS.REPORTED, False),
    (IS.RELEASED_UNDER_INVESTIGATION, IS.BAILED, True),
    (IS.RELEASED_UNDER_INVESTIGATION, IS.NO_FURTHER_ACTION, True),
    (IS.BAILED, IS.CHARGED, True),
    (IS.BAILED, IS.REPORTED, False),
    (IS.NO_FURTHER_ACTION, IS.UNDER_INVESTIGATION, True),
    (IS.NO_FURTHER_ACTION, IS.CHARGED, False),
    (IS.CHARGED, IS.UNDER_INVESTIGATION, False),
    (IS.CHARGED, IS.NO_FURTHER_ACTION, False),
]


def test_investigation_table_covers_every_status():
    assert set(INVESTIGATION_TRANSITIONS) == set(InvestigationStatus)


@pytest.mark.parametrize(("current", "target", "allowed"), INVESTIGATION_TABLE)
def test_investigation_transitions(caseworker, current, target, allowed):
    inv = InvestigationFactory(case=active_case(allocated_to=caseworker), status=current)
    if allowed:
        investigation_transition(investigation=inv, to=target, on=TODAY(), by=caseworker)
        inv.refresh_from_db()
        assert inv.status == target
        change = inv.status_changes.get()
        assert (change.from_status, change.to_status, change.changed_on) == (
            current,
            target,
            TODAY(),
        )
        assert CaseEvent.objects.filter(case=inv.case, kind="investigation_status").exists()
    else:
        with pytest.raises(DomainError, match="cannot move to"):
            investigation_transition(investigation=inv, to=target, on=TODAY(), by=caseworker)
        inv.refresh_from_db()
        assert inv.status == current


def test_charge_sets_charge_date_and_future_date_refused(caseworker):
    inv = InvestigationFactory(case=active_case(allocated_to=caseworker))
    with pytest.raises(DomainError, match=re.escape(FUTURE_DATE)):
        investigation_transition(
            investigation=inv, to=IS.CHARGED, on=TODAY() + dt.timedelta(days=1), by=caseworker
        )
    investigation_transition(
        investigation=inv, to=IS.CHARGED, on=TODAY() - dt.timedelta(days=3), by=caseworker
    )
    inv.refresh_from_db()
    assert inv.charged_on == TODAY() - dt.timedelta(days=3)


ORDER_TABLE = [
    (OS.CONSIDERED, OS.APPLIED, True),
    (OS.CONSIDERED, OS.GRANTED, False),
    (OS.APPLIED, OS.INTERIM, True),
    (OS.APPLIED, OS.GRANTED, True),
    (OS.APPLIED, OS.REFUSED, True),
    (OS.APPLIED, OS.EXPIRED, False),
    (OS.INTERIM, OS.GRANTED, True),
    (OS.INTERIM, OS.VARIED, True),
    (OS.GRANTED, OS.VARIED, True),
    (OS.GRANTED, OS.EXPIRED, True),
    (OS.GRANTED, OS.APPLIED, False),
    (OS.VARIED, OS.VARIED, True),
    (OS.VARIED, OS.EXPIRED, True),
    (OS.REFUSED, OS.APPLIED, False),
    (OS.EXPIRED, OS.GRANTED, False),
]


def test_order_table_covers_every_status():
    assert set(ORDER_TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize(("current", "target", "allowed"), ORDER_TABLE)
def test_order_transitions(caseworker, current, target, allowed):
    order = OrderFactory(case=active_case(allocated_to=caseworker), status=current)
    if allowed:
        order_transition(order=order, to=target, on=TODAY(), by=caseworker)
        order.refresh_from_db()
        assert order.status == target
        assert order.status_changes.filter(to_status=target).exists()
    else:
        with pytest.raises(DomainError, match="cannot move to"):
            order_transition(order=order, to=target, on=TODAY(), by=caseworker)


def test_order_cannot_be_granted_before_it_was_applied_for(caseworker):
    order = OrderFactory(case=active_case(allocated_to=caseworker), status=OS.APPLIED)
    with pytest.raises(DomainError, match="cannot be granted before it was applied for"):
        order_transition(
            order=order, to=OS.GRANTED, on=order.applied_on - dt.timedelta(days=1), by=caseworker
        )
    with pytest.raises(DomainError, match="cannot be granted before it was applied for"):
        order_create(
            case=order.case,
            data={
                "order_type": "restraining",
                "status": OS.GRANTED,
                "applied_on": TODAY(),
                "granted_on": TODAY() - dt.timedelta(days=2),
            },
            by=caseworker,
        )


def test_hearing_before_charge_date_refused_but_order_application_allowed(caseworker):
    case = active_case(allocated_to=caseworker)
    charged = TODAY() - dt.timedelta(days=10)
    InvestigationFactory(case=case, status=IS.CHARGED, charged_on=charged)
    before = charged - dt.timedelta(days=1)
    with pytest.raises(DomainError, match="before the charge date"):
        hearing_create(
            case=case,
            data={
                "hearing_type": "first",
                "court": "North Staffs Justice Centre",
                "hearing_on": before,
            },
            by=caseworker,
        )
    hearing = hearing_create(
        case=case,
        data={"hearing_type": "order", "court": "Stafford Magistrates", "hearing_on": before},
        by=caseworker,
    )
    assert hearing.pk


def test_police_contact_with_follow_up_creates_task(caseworker):
    case = active_case(allocated_to=caseworker)
    contact = police_contact_create(
        case=case,
        data={"who": "DC Jones", "purpose": "Bail update", "contacted_on": TODAY()},
        follow_up_title="Chase bail conditions",
        by=caseworker,
    )
    assert contact.follow_up_task.title == "Chase bail conditions"
    assert contact.follow_up_task.assignee == caseworker


def test_victims_code_not_met_needs_escalation(caseworker):
    case = active_case(allocated_to=caseworker)
    with pytest.raises(DomainError, match="escalation"):
        victims_code_record(case=case, right=6, data={"met": "not_met"}, by=caseworker)
    check = victims_code_record(
        case=case,
        right=6,
        data={"met": "not_met", "explained": True, "escalation": "Emailed the inspector"},
        by=caseworker,
    )
    assert CaseEvent.objects.filter(case=case, kind="victims_code_escalated").exists()
    # Recording the same right again updates it, never duplicates.
    victims_code_record(
        case=case, right=6, data={"escalation_result": "Update given"}, by=caseworker
    )
    assert case.victims_code_checks.count() == 1
    check.refresh_from_db()
    assert check.escalation_result == "Update given"


# ---- handover ------------------------------------------------------------------------


def test_managed_handover_refused_without_consent(caseworker):
    case = active_case(allocated_to=caseworker)
    with pytest.raises(DomainError, match=re.escape(HANDOVER_NEEDS_CONSENT)):
        handover_create(case=case, data={"service": service(), "kind": "managed"}, by=caseworker)
    assert not case.handovers.exists()


def test_managed_handover_has_follow_up_task_until_acknowledged(caseworker):
    case = active_case(allocated_to=caseworker)
    handover = handover_create(
        case=case,
        data={
            "service": service(),
            "kind": "managed",
            "consent_to_share": True,
            "information_shared": "Name and situation",
        },
        by=caseworker,
    )
    task = handover.follow_up_task
    assert task is not None and task.done_at is None
    handover_acknowledge(
        handover=handover, acknowledged_on=TODAY(), acknowledgement="Email", by=caseworker
    )
    task.refresh_from_db()
    assert task.done_at is not None


def test_information_given_needs_no_consent_and_no_task(caseworker):
    case = active_case(allocated_to=caseworker)
    handover = handover_create(
        case=case,
        data={"service": service("samaritans"), "kind": "information"},
        by=caseworker,
    )
    assert handover.follow_up_task is None


# ---- outcomes ------------------------------------------------------------------------


def test_outcome_change_computed_and_not_asked_excluded(caseworker):
    from cases.selectors.outcomes import outcome_rows

    case = active_case(allocated_to=caseworker)
    outcomes_record(
        case=case,
        stage="entry",
        answers={
            "safer": "2",
            "health": "not_asked",
            "coping": "3",
            "informed": "declined",
            "justice": "1",
        },
        recorded_on=TODAY() - dt.timedelta(days=7),
        by=caseworker,
    )
    outcomes_record(
        case=case,
        stage="exit",
        answers={
            "safer": "4",
            "health": "4",
            "coping": "2",
            "informed": "5",
            "justice": "not_relevant",
            "satisfaction": "5",
        },
        recorded_on=TODAY(),
        by=caseworker,
    )
    _, rows = outcome_rows(case=case)
    change = {r.measure: r.change for r in rows}
    assert change == {
        "safer": 2,
        "health": None,
        "coping": -1,
        "informed": None,
        "justice": None,
        "satisfaction": None,
    }
    not_asked = OutcomeAnswer.objects.get(
        assessment__case=case, assessment__stage="entry", measure="health"
    )
    assert (not_asked.response, not_asked.rating) == ("not_asked", None)


@pytest.mark.parametrize("bad", ["0", "6", "-1", "seven"])
def test_rating_outside_1_to_5_refused(caseworker, bad):
    case = active_case(allocated_to=caseworker)
    with pytest.raises(DomainError, match="1 to 5"):
        outcomes_record(
            case=case, stage="entry", answers={"safer": bad}, recorded_on=TODAY(), by=caseworker
        )
    assert not case.outcome_assessments.exists()


# ---- exit and closure ----------------------------------------------------------------


def test_exit_plan_moves_active_case_to_exit_planning(caseworker):
    case = active_case(allocated_to=caseworker)
    exit_plan_save(
        case=case,
        data={
            "readiness": "Ready",
            "ongoing_safety": "SPO",
            "who_to_contact": "999",
            "how_to_come_back": "Call us",
        },
        version=None,
        by=caseworker,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.EXIT_PLANNING


def _request(case, user, **kwargs):
    kwargs.setdefault("reason", reason())
    kwargs.setdefault("summary", "Goals met; safety plan in place.")
    return closure_request(case=case, by=user, **kwargs)


def test_standard_case_allocated_long_ago_closes_without_approval(caseworker):
    case = active_case(allocated_to=caseworker)
    req = _request(case, caseworker)
    case.refresh_from_db()
    assert req.status == ClosureRequest.Status.CLOSED
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason.code == "support-completed"
    assert case.closure_approved_by is None


@pytest.mark.parametrize(
    ("risk", "days_since_allocation", "needs_approval"),
    [
        ("high", 60, True),
        ("medium", 60, False),
        ("standard", 13, True),
        ("standard", 15, False),
        ("high", 3, True),
    ],
)
def test_approval_needed_for_high_risk_or_early_closure(
    caseworker, manager, risk, days_since_allocation, needs_approval
):
    case = active_case(
        allocated_to=caseworker,
        risk_level=risk,
        allocated_at=timezone.now() - dt.timedelta(days=days_since_allocation),
    )
    req = _request(case, caseworker)
    case.refresh_from_db()
    if not needs_approval:
        assert case.status == CaseStatus.CLOSED
        return
    assert req.status == ClosureRequest.Status.REQUESTED
    assert case.status == CaseStatus.ACTIVE
    with pytest.raises(DomainError, match="Only a service manager"):
        closure_approve(request=req, by=caseworker)
    closure_approve(request=req, by=manager)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_approved_by == manager


def test_manager_returns_closure_with_reason_case_stays_open(caseworker, manager):
    case = active_case(allocated_to=caseworker, risk_level="high")
    req = _request(case, caseworker)
    with pytest.raises(DomainError, match=re.escape(CLOSURE_RETURN_NEEDS_COMMENT)):
        closure_return(request=req, comment=" ", by=manager)
    closure_return(request=req, comment="Review risk first", by=manager)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    # A returned request can be followed by a new one.
    assert _request(case, caseworker).status == ClosureRequest.Status.REQUESTED


def test_closure_without_reason_refused(caseworker):
    case = active_case(allocated_to=caseworker)
    with pytest.raises(DomainError, match=re.escape(CLOSURE_REASON_REQUIRED)):
        _request(case, caseworker, reason=None)


def test_open_tasks_must_be_resolved_or_carried_over(caseworker):
    case = active_case(allocated_to=caseworker)
    task = TaskFactory(case=case, title="Chase the officer")
    with pytest.raises(DomainError, match="Chase the officer"):
        _request(case, caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    req = _request(case, caseworker, carried_over=[task])
    assert list(req.carried_over_tasks.all()) == [task]
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_task_added_while_waiting_for_approval_blocks_approval(caseworker, manager):
    case = active_case(allocated_to=caseworker, risk_level="high")
    req = _request(case, caseworker)
    TaskFactory(case=case, title="New task after request")
    with pytest.raises(DomainError, match="New task after request"):
        closure_approve(request=req, by=manager)


def test_no_closing_letter_when_post_is_unsafe(caseworker):
    case = active_case(allocated_to=caseworker)
    with pytest.raises(DomainError, match="no closing letter"):
        _request(case, caseworker, send_letter=True)
    SafeContact.objects.filter(client=case.client).update(post_allowed=True)
    case = Case.objects.get(pk=case.pk)
    assert _request(case, caseworker, send_letter=True).send_letter


def test_reopen_creates_new_episode_and_old_case_stays_closed(caseworker):
    case = active_case(allocated_to=caseworker)
    _request(case, caseworker)
    case.refresh_from_db()
    new = case_reopen(case=case, reason="Suspect released from prison", by=caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert new.reference != case.reference
    assert (new.episode, new.previous_case, new.client) == (case.episode + 1, case, case.client)
    assert new.status == CaseStatus.ALLOCATED and new.allocated_to == caseworker
    with pytest.raises(DomainError, match=new.reference):
        case_reopen(case=case, reason="again", by=caseworker)
    with pytest.raises(DomainError, match=re.escape(REOPEN_NOT_CLOSED)):
        case_reopen(case=new, reason="open case", by=caseworker)


def test_feedback_dates_cannot_precede_receipt(manager):
    with pytest.raises(DomainError, match="cannot be before the date it was received"):
        feedback_create(
            data={
                "kind": "complaint",
                "received_from": "client",
                "received_on": TODAY(),
                "acknowledged_on": TODAY() - dt.timedelta(days=1),
                "summary": "Not called back",
            },
            by=manager,
        )
