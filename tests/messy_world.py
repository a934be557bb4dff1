"""A service on a bad week, for the pages people look at most: overdue first contacts and
reviews, high-risk and restricted cases, a closed case, a queue of tasks longer than one
page, a waiting list with high risk on it, and a high-risk closure waiting for a manager
with its risk history, a live order, carried-over tasks, an exit plan and outcome ratings.

Accessibility checks and the "what comes first" tests run on this, not only on tidy data:
tinted overdue rows, badges and long lists are where contrast and layout break."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cases.models.lifecycle import Case, ClosureRequest
from cases.services.lifecycle import closure_request, exit_plan_save
from cases.services.outcomes import outcomes_record
from cases.statuses import CaseStatus
from stalkingservice.roles import Role

from .factories import CaseFactory, TaskFactory, UserFactory
from .factories_advocacy import OrderFactory, reason
from .factories_cases import CaseEventFactory, WaitingCaseFactory

TASKS = 13  # "Task 01".."Task 13" on the caseload: more than one page of "My tasks"
OPEN_TASKS = TASKS + 1  # and the task carried over by the closure waiting for approval


@dataclass
class MessyWorld:
    caseworker: object
    other_caseworker: object
    manager: object
    cases: dict = field(default_factory=dict)  # what the case is -> Case
    closure: ClosureRequest | None = None


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def _case(factory=CaseFactory, **kwargs):
    """A case whose dates make sense: referred a few days before it was taken on."""
    taken_on = kwargs.get("allocated_at") or kwargs.get("accepted_at") or timezone.now()
    kwargs.setdefault("referred_at", taken_on - dt.timedelta(days=3))
    return factory(**kwargs)


def build_messy_world(
    *, caseworker="cw_messy", other="cw_other", manager="mgr_messy"
) -> MessyWorld:
    cw = UserFactory(username=caseworker, role=Role.CASEWORKER)
    cw2 = UserFactory(username=other, role=Role.CASEWORKER)
    mgr = UserFactory(username=manager, role=Role.MANAGER)
    world = MessyWorld(caseworker=cw, other_caseworker=cw2, manager=mgr)
    c = world.cases

    def mine(**kwargs):
        kwargs.setdefault("allocated_to", cw)
        kwargs.setdefault("allocated_at", _ago(40))
        return _case(**kwargs)

    # The caseworker's caseload, in the order "Needs doing today" must show it.
    c["high_review_overdue"] = mine(
        status=CaseStatus.ACTIVE,
        risk_level="high",
        first_attempt_at=_ago(39),
        first_contact_at=_ago(39),
        last_contact_at=_ago(20),
        next_review_due=_days(-3),
    )
    c["high_first_overdue_restricted"] = mine(
        status=CaseStatus.ALLOCATED,
        risk_level_at_intake="high",
        allocated_at=_ago(6),
        first_contact_due=_days(-1),
        restricted=True,
        restricted_reason="The client is known to staff",
    )
    c["medium_new"] = mine(
        status=CaseStatus.ALLOCATED,
        risk_level="medium",
        allocated_at=_ago(0),
        first_contact_due=_days(2),
    )
    c["standard_first_overdue_long"] = mine(
        status=CaseStatus.ALLOCATED,
        risk_level="standard",
        allocated_at=_ago(12),
        first_contact_due=_days(-8),
    )
    c["standard_review_overdue"] = mine(
        status=CaseStatus.ACTIVE,
        risk_level="standard",
        first_attempt_at=_ago(60),
        first_contact_at=_ago(60),
        last_contact_at=_ago(30),
        next_review_due=_days(-2),
    )
    c["nothing_due"] = mine(
        status=CaseStatus.ACTIVE,
        risk_level="standard",
        first_attempt_at=_ago(30),
        first_contact_at=_ago(30),
        last_contact_at=_ago(1),
        next_review_due=_days(30),
    )
    c["closed"] = mine(
        status=CaseStatus.CLOSED,
        allocated_at=_ago(201),
        risk_level="high",
        first_attempt_at=_ago(200),
        first_contact_at=_ago(200),
        closed_at=_ago(10),
        closure_reason=reason(),
    )
    # Another worker's overdue high-risk case (the managers' lists).
    c["other_high_overdue"] = _case(
        allocated_to=cw2,
        allocated_at=_ago(9),
        status=CaseStatus.ALLOCATED,
        risk_level="high",
        first_contact_due=_days(-4),
    )
    # The waiting list: high risk at referral, medium, and a restricted one.
    c["waiting_high"] = _case(WaitingCaseFactory, risk_level_at_intake="high", accepted_at=_ago(3))
    c["waiting_medium"] = _case(
        WaitingCaseFactory, risk_level_at_intake="medium", accepted_at=_ago(8)
    )
    c["waiting_restricted"] = _case(
        WaitingCaseFactory, restricted=True, restricted_reason="Known to staff", accepted_at=_ago(1)
    )

    # More tasks than one page: overdue ones first, spread over the caseload.
    spread = [c["high_review_overdue"], c["standard_review_overdue"], c["nothing_due"]]
    for n in range(TASKS):
        TaskFactory(
            case=spread[n % len(spread)],
            title=f"Task {n + 1:02d}",
            due_on=_days(n - 4),
            assignee=cw,
            created_by=cw,
        )

    world.closure = _pending_high_risk_closure(world)
    return world


def _pending_high_risk_closure(world: MessyWorld) -> ClosureRequest:
    """A high-risk case closing (so a manager must approve) with everything to weigh."""
    cw = world.caseworker
    case = _case(
        allocated_to=cw,
        allocated_at=_ago(90),
        status=CaseStatus.ACTIVE,
        risk_level="high",
        risk_assessed_at=_ago(5),
        first_attempt_at=_ago(89),
        first_contact_at=_ago(89),
        last_contact_at=_ago(2),
        next_review_due=_days(9),
    )
    world.cases["closing_high"] = case
    for days, kind, summary in (
        (80, "risk_assessment_completed", "S-DASH: score 4, medium risk"),
        (80, "risk_level_changed", "Not assessed to Medium"),
        (5, "risk_assessment_completed", "S-DASH: score 8, high risk"),
        (5, "risk_level_changed", "Medium to High"),
    ):
        CaseEventFactory(case=case, kind=kind, summary=summary, at=_ago(days), by=cw)
    OrderFactory(
        case=case,
        status="granted",
        applied_on=_days(-60),
        granted_on=_days(-30),
        expires_on=_days(700),
        conditions="Not to enter Stafford town centre",
    )
    OrderFactory(case=case, status="refused", applied_on=_days(-70), refused_on=_days(-65))
    carried = TaskFactory(
        case=case, title="Check the order is served", due_on=_days(7), assignee=cw, created_by=cw
    )
    outcomes_record(
        case=case,
        stage="entry",
        answers={"safer": "1", "health": "2", "coping": "2", "informed": "1", "justice": "2"},
        recorded_on=_days(-85),
        by=cw,
    )
    outcomes_record(
        case=case,
        stage="exit",
        answers={
            "safer": "4",
            "health": "3",
            "coping": "2",
            "informed": "5",
            "justice": "not_relevant",
            "satisfaction": "5",
        },
        recorded_on=_days(-1),
        by=cw,
    )
    exit_plan_save(
        case=case,
        data={
            "readiness": "Feels ready; the order is in place.",
            "ongoing_safety": "Order in force; safety plan kept at home.",
            "who_to_contact": "999 in an emergency; the officer in the case.",
            "how_to_come_back": "Call the service; a new episode opens at once.",
            "agreed_with_client": True,
        },
        version=None,
        by=cw,
    )
    case = Case.objects.get(pk=case.pk)
    return closure_request(
        case=case,
        reason=reason(),
        summary="Order granted; client feels safer.",
        carried_over=[carried],
        by=cw,
    )
