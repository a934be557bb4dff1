"""Every write for police and court liaison, orders, handovers, outcome measures, exit
and closure, and the service-level records. Keyword-only, atomic, one event each."""

from .. import advocacy_events as ev  # noqa: I001 - registers the event kinds first

import datetime as dt

from django.db import transaction
from django.utils import timezone

from stalkingservice.roles import Capability

from .. import events
from cases.models.notes_tasks import Task
from cases.models.lifecycle import Case, ClosureReason
from cases.models.service_records import AwarenessSession, Feedback
from cases.models.outcomes import EXIT_MEASURES, OutcomeAnswer, OutcomeAssessment, OutcomeMeasure
from cases.models.handover import HandoverReferral
from cases.models.orders import (
    ORDER_TRANSITIONS,
    OrderBreach,
    OrderStatus,
    OrderStatusChange,
    ProtectiveOrder,
)
from cases.models.police_court import (
    INVESTIGATION_TRANSITIONS,
    CourtSupport,
    Hearing,
    InvestigationStatus,
    InvestigationStatusChange,
    PoliceContact,
    PoliceInvestigation,
    VictimsCodeCheck,
)
from cases.models.lifecycle import ClosureRequest, ExitPlan
from .lifecycle import case_record_event, case_transition, with_unique_reference
from stalkingservice.domain import DomainError, bump_version, check_version
from ..statuses import CaseStatus

# ---- messages shared with the forms and the tests -------------------------------------

FUTURE_DATE = "The date cannot be in the future"
INVESTIGATION_MOVE = "An investigation that is {current} cannot move to {target}."
HEARING_BEFORE_CHARGE = "The hearing date cannot be before the charge date ({charged})."
ORDER_MOVE = "An order that is {current} cannot move to {target}."
ORDER_GRANTED_BEFORE_APPLIED = "An order cannot be granted before it was applied for ({applied})."
ORDER_NEEDS_APPLICATION_DATE = "Enter the date the order was applied for before it is granted."
HANDOVER_NEEDS_CONSENT = (
    "A managed handover needs the client's consent to share information. Without consent, "
    "give information (signposting) instead."
)
CONTACT_CONSENT_NEEDS_SHARING_CONSENT = (
    "Consent to share contact details needs consent to share information first."
)
HANDOVER_NEEDS_WHAT_SHARED = "Write exactly what was shared with the service."
ACK_BEFORE_HANDOVER = "The acknowledgement cannot be before the handover was made."
RATING_RANGE = "Ratings are from 1 to 5. Choose 'not asked' or 'declined' if there is no rating."
SATISFACTION_AT_EXIT_ONLY = "Satisfaction is asked at exit only."
EXIT_OUTCOMES_NEED_ENTRY = "Record the entry outcome measures before the exit ones."
EXIT_PLAN_NEEDS_ACTIVE = "Exit planning starts once support is active."
CLOSURE_REASON_REQUIRED = "Select the reason for closing the case"
CLOSURE_SUMMARY_REQUIRED = "Enter the closing summary"
CLOSURE_NOT_OPEN = "Only a case in active support or exit planning can be closed here."
CLOSURE_OPEN_TASKS = "Resolve or carry over every open task before closing: {titles}."
CLOSURE_LETTER_UNSAFE = (
    "Post is not a safe route for this client, so no closing letter can be sent."
)
CLOSURE_ALREADY_PENDING = "A closure request for this case is already waiting for a manager."
CLOSURE_NOT_PENDING = "This closure request has already been decided."
CLOSURE_RETURN_NEEDS_COMMENT = "Say why the closure is returned, so the caseworker can act on it"
CLOSURE_APPROVER_ONLY = "Only a service manager can approve or return a closure."
REOPEN_NOT_CLOSED = "Only a closed case can be reopened as a new episode."
REOPEN_ALREADY = "This case has already been reopened as {reference}."
FEEDBACK_DATE_ORDER = "The {what} date cannot be before the date it was received."

EARLY_CLOSURE_DAYS = 14


def _not_future(value: dt.date | None):
    if value and value > timezone.localdate():
        raise DomainError(FUTURE_DATE)


def _save(obj, reason: str):
    obj._change_reason = reason
    obj.save()
    return obj


def _edit(obj, *, version, fields: dict, reason: str):
    check_version(obj, version)
    for name, value in fields.items():
        setattr(obj, name, value)
    bump_version(obj)
    return _save(obj, reason)


def _task_create(*, case: Case, title: str, due_on: dt.date, by) -> Task:
    """A follow-up task for the case's worker (or the person recording, when unallocated)."""
    task = Task(
        case=case,
        title=title[:200],
        due_on=due_on,
        assignee=case.allocated_to or by,
        created_by=by,
    )
    _save(task, "Follow-up task")
    case_record_event(case=case, kind=events.TASK_ADDED, by=by, summary=task.title)
    return task


# ---- police liaison ------------------------------------------------------------------


def investigation_can_move(current: str, target: str) -> bool:
    return target in INVESTIGATION_TRANSITIONS.get(current, frozenset())


@transaction.atomic
def investigation_create(*, case: Case, data: dict, by) -> PoliceInvestigation:
    """Record a crime report (crime reference, force, officer in case)."""
    _not_future(data.get("reported_on"))
    inv = PoliceInvestigation(case=case, status=InvestigationStatus.REPORTED, **data)
    inv.status_changed_on = inv.reported_on
    _save(inv, "Crime report recorded")
    InvestigationStatusChange.objects.create(
        investigation=inv,
        to_status=inv.status,
        changed_on=inv.reported_on,
        note="Reported",
        by=by,
    )
    case_record_event(
        case=case, kind=ev.INVESTIGATION_RECORDED, by=by, summary=f"Crime reference {inv}"
    )
    return inv


@transaction.atomic
def investigation_update(
    *, investigation: PoliceInvestigation, data: dict, version, by
) -> PoliceInvestigation:
    """Edit officer details and the CPS decision; the status moves only by transition."""
    _not_future(data.get("cps_decision_on"))
    _edit(investigation, version=version, fields=data, reason="Police details updated")
    case_record_event(
        case=investigation.case,
        kind=ev.INVESTIGATION_RECORDED,
        by=by,
        summary=f"Details updated for {investigation}",
    )
    return investigation


@transaction.atomic
def investigation_transition(
    *, investigation: PoliceInvestigation, to: str, on: dt.date, note: str = "", by
) -> PoliceInvestigation:
    """Move the investigation along the transition table, keeping a dated history."""
    investigation = PoliceInvestigation.objects.select_for_update().get(pk=investigation.pk)
    current = investigation.status
    if not investigation_can_move(current, to):
        raise DomainError(
            INVESTIGATION_MOVE.format(
                current=InvestigationStatus(current).label.lower(),
                target=InvestigationStatus(to).label.lower(),
            )
        )
    _not_future(on)
    if on < investigation.status_changed_on:
        raise DomainError(
            f"The date cannot be before the last change ({investigation.status_changed_on:%d/%m/%Y})."
        )
    investigation.status = to
    investigation.status_changed_on = on
    if to == InvestigationStatus.CHARGED:
        investigation.charged_on = on
    bump_version(investigation)
    _save(investigation, f"Status {current} -> {to}")
    InvestigationStatusChange.objects.create(
        investigation=investigation,
        from_status=current,
        to_status=to,
        changed_on=on,
        note=note[:300],
        by=by,
    )
    case_record_event(
        case=investigation.case,
        kind=ev.INVESTIGATION_STATUS,
        by=by,
        summary=f"{investigation.crime_reference}: {InvestigationStatus(to).label}",
        from_status="",
        data={"from": current, "to": to, "on": on.isoformat()},
    )
    return investigation


@transaction.atomic
def police_contact_create(
    *,
    case: Case,
    data: dict,
    follow_up_title: str = "",
    follow_up_due: dt.date | None = None,
    by,
) -> PoliceContact:
    """Log a contact with police; optionally create its follow-up task."""
    _not_future(data.get("contacted_on"))
    contact = PoliceContact(case=case, by=by, **data)
    if follow_up_title:
        contact.follow_up_task = _task_create(
            case=case,
            title=follow_up_title,
            due_on=follow_up_due or timezone.localdate() + dt.timedelta(days=7),
            by=by,
        )
    _save(contact, "Police contact logged")
    case_record_event(
        case=case, kind=ev.POLICE_CONTACT, by=by, summary=f"{contact.who}: {contact.purpose}"
    )
    return contact


@transaction.atomic
def victims_code_record(*, case: Case, right: int, data: dict, by) -> VictimsCodeCheck:
    """Record whether one Victims' Code right was explained and met; an escalation where
    it was not met."""
    _not_future(data.get("checked_on"))
    if data.get("met") == VictimsCodeCheck.Met.NOT_MET and not data.get("escalation"):
        raise DomainError("Where a right was not met, record the escalation made.")
    check, _ = VictimsCodeCheck.objects.get_or_create(case=case, right=right, defaults={"by": by})
    for name, value in data.items():
        setattr(check, name, value)
    check.by = by
    bump_version(check)
    _save(check, "Victims' Code right recorded")
    kind = ev.VICTIMS_CODE_ESCALATED if check.escalation else ev.VICTIMS_CODE_CHECKED
    case_record_event(case=case, kind=kind, by=by, summary=check.get_right_display())
    return check


# ---- court ---------------------------------------------------------------------------


def charge_date_for(*, case: Case, investigation: PoliceInvestigation | None) -> dt.date | None:
    if investigation is not None and investigation.charged_on:
        return investigation.charged_on
    dates = [d for d in case.investigations.values_list("charged_on", flat=True) if d]
    return min(dates) if dates else None


@transaction.atomic
def hearing_create(*, case: Case, data: dict, by) -> Hearing:
    """Record a court hearing. Criminal hearings cannot be dated before the charge."""
    hearing = Hearing(case=case, by=by, **data)
    if hearing.hearing_type in Hearing.CRIMINAL_TYPES:
        charged = charge_date_for(case=case, investigation=hearing.investigation)
        if charged and hearing.hearing_on < charged:
            raise DomainError(HEARING_BEFORE_CHARGE.format(charged=f"{charged:%-d %B %Y}"))
    _save(hearing, "Hearing recorded")
    case_record_event(
        case=case,
        kind=ev.HEARING_RECORDED,
        by=by,
        summary=f"{hearing.get_hearing_type_display()} at {hearing.court}",
    )
    return hearing


@transaction.atomic
def court_support_save(*, case: Case, data: dict, version, by) -> CourtSupport:
    for name in ("vps_offered_on", "vps_made_on", "witness_care_last_contact_on"):
        _not_future(data.get(name))
    support, created = CourtSupport.objects.get_or_create(case=case)
    if not created:
        check_version(support, version)
    for name, value in data.items():
        setattr(support, name, value)
    bump_version(support)
    _save(support, "Court support updated")
    case_record_event(case=case, kind=ev.COURT_SUPPORT_UPDATED, by=by)
    return support


# ---- orders --------------------------------------------------------------------------

_ORDER_DATE_FIELD = {
    OrderStatus.CONSIDERED: "considered_on",
    OrderStatus.APPLIED: "applied_on",
    OrderStatus.INTERIM: "interim_on",
    OrderStatus.GRANTED: "granted_on",
    OrderStatus.REFUSED: "refused_on",
    OrderStatus.VARIED: "varied_on",
    OrderStatus.EXPIRED: "expired_on",
}


def order_can_move(current: str, target: str) -> bool:
    return target in ORDER_TRANSITIONS.get(current, frozenset())


def _check_order_dates(order: ProtectiveOrder):
    for name in _ORDER_DATE_FIELD.values():
        _not_future(getattr(order, name))
    if order.status in (OrderStatus.GRANTED, OrderStatus.INTERIM) and not order.applied_on:
        raise DomainError(ORDER_NEEDS_APPLICATION_DATE)
    for name in ("interim_on", "granted_on"):
        value = getattr(order, name)
        if value and order.applied_on and value < order.applied_on:
            raise DomainError(
                ORDER_GRANTED_BEFORE_APPLIED.format(applied=f"{order.applied_on:%-d %B %Y}")
            )


@transaction.atomic
def order_create(*, case: Case, data: dict, by) -> ProtectiveOrder:
    """Record an order at the stage it has reached (considered, applied, interim, granted);
    the dates up to that stage are checked."""
    order = ProtectiveOrder(case=case, by=by, **data)
    if order.status not in (
        OrderStatus.CONSIDERED,
        OrderStatus.APPLIED,
        OrderStatus.INTERIM,
        OrderStatus.GRANTED,
    ):
        raise DomainError("A new order starts as considered, applied for, interim or granted.")
    date_field = _ORDER_DATE_FIELD[order.status]
    if getattr(order, date_field) is None:
        setattr(order, date_field, timezone.localdate())
    _check_order_dates(order)
    _save(order, "Order recorded")
    OrderStatusChange.objects.create(
        order=order, to_status=order.status, changed_on=getattr(order, date_field), by=by
    )
    case_record_event(
        case=case,
        kind=ev.ORDER_RECORDED,
        by=by,
        summary=str(order),
        data={"order_type": order.order_type, "status": order.status},
    )
    return order


@transaction.atomic
def order_transition(
    *,
    order: ProtectiveOrder,
    to: str,
    on: dt.date,
    conditions: str = "",
    expires_on: dt.date | None = None,
    note: str = "",
    by,
) -> ProtectiveOrder:
    """Move an order along the transition table; granted/interim/varied may bring new
    conditions and an expiry date."""
    order = ProtectiveOrder.objects.select_for_update().get(pk=order.pk)
    current = order.status
    if not order_can_move(current, to):
        raise DomainError(
            ORDER_MOVE.format(
                current=OrderStatus(current).label.lower(), target=OrderStatus(to).label.lower()
            )
        )
    order.status = to
    setattr(order, _ORDER_DATE_FIELD[to], on)
    if conditions:
        order.conditions = conditions
    if expires_on:
        order.expires_on = expires_on
    _check_order_dates(order)
    bump_version(order)
    _save(order, f"Status {current} -> {to}")
    OrderStatusChange.objects.create(
        order=order, from_status=current, to_status=to, changed_on=on, note=note[:300], by=by
    )
    case_record_event(
        case=order.case,
        kind=ev.ORDER_STATUS,
        by=by,
        summary=f"{order.get_order_type_display()}: {OrderStatus(to).label}",
        data={"order_type": order.order_type, "from": current, "to": to},
    )
    return order


@transaction.atomic
def order_breach_create(*, order: ProtectiveOrder, data: dict, by) -> OrderBreach:
    _not_future(data.get("occurred_on"))
    breach = OrderBreach(order=order, case=order.case, by=by, **data)
    _save(breach, "Breach recorded")
    case_record_event(
        case=order.case,
        kind=ev.ORDER_BREACH,
        by=by,
        summary=f"Breach of {order.get_order_type_display().lower()}"
        + (" reported to police" if breach.reported_to_police else ""),
    )
    return breach


# ---- signposting and handover --------------------------------------------------------


@transaction.atomic
def handover_create(*, case: Case, data: dict, by) -> HandoverReferral:
    """Signpost (information given) or hand over with a warm introduction. A managed
    handover needs consent to share; contact details go only when consent covers them.
    A managed handover gets a follow-up task until it is acknowledged."""
    handover = HandoverReferral(case=case, by=by, **data)
    _not_future(handover.made_on)
    if handover.kind == HandoverReferral.Kind.MANAGED and not handover.consent_to_share:
        raise DomainError(HANDOVER_NEEDS_CONSENT)
    if handover.consent_covers_contact_details and not handover.consent_to_share:
        raise DomainError(CONTACT_CONSENT_NEEDS_SHARING_CONSENT)
    if handover.consent_to_share and not handover.information_shared.strip():
        raise DomainError(HANDOVER_NEEDS_WHAT_SHARED)
    if handover.kind == HandoverReferral.Kind.MANAGED:
        handover.follow_up_task = _task_create(
            case=case,
            title=f"Check {handover.service} has acknowledged the handover",
            due_on=handover.made_on + dt.timedelta(days=5),
            by=by,
        )
    _save(handover, "Handover recorded")
    case_record_event(
        case=case,
        kind=ev.HANDOVER_MADE,
        by=by,
        summary=f"{handover.get_kind_display()}: {handover.service}",
        data={"service": handover.service.code, "kind": handover.kind},
    )
    return handover


@transaction.atomic
def handover_acknowledge(
    *, handover: HandoverReferral, acknowledged_on: dt.date, acknowledgement: str, by
) -> HandoverReferral:
    """The receiving service confirmed it has the referral: the follow-up task is done."""
    _not_future(acknowledged_on)
    if acknowledged_on < handover.made_on:
        raise DomainError(ACK_BEFORE_HANDOVER)
    handover.acknowledged_on = acknowledged_on
    handover.acknowledgement = acknowledgement
    bump_version(handover)
    _save(handover, "Acknowledged")
    task = handover.follow_up_task
    if task is not None and task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = by
        bump_version(task)
        _save(task, "Handover acknowledged")
        case_record_event(case=handover.case, kind=events.TASK_DONE, by=by, summary=task.title)
    case_record_event(
        case=handover.case, kind=ev.HANDOVER_ACKNOWLEDGED, by=by, summary=str(handover.service)
    )
    return handover


def handover_summary_logged(*, handover: HandoverReferral, by) -> None:
    """Viewing the summary for sharing is itself recorded on the case."""
    case_record_event(
        case=handover.case,
        kind=ev.HANDOVER_SUMMARY_PRINTED,
        by=by,
        summary=f"Summary for {handover.service}"
        + ("" if handover.may_include_contact_details else " (no contact details)"),
    )


# ---- outcome measures ----------------------------------------------------------------


@transaction.atomic
def outcomes_record(
    *, case: Case, stage: str, answers: dict[str, str], recorded_on: dt.date, by
) -> OutcomeAssessment:
    """Save the client's ratings at entry or exit. Each answer is "1".."5", "not_asked",
    "declined" or "not_relevant"; anything else is refused."""
    _not_future(recorded_on)
    measures = EXIT_MEASURES if stage == OutcomeAssessment.Stage.EXIT else EXIT_MEASURES[:-1]
    if stage == OutcomeAssessment.Stage.ENTRY and answers.get(OutcomeMeasure.SATISFACTION):
        raise DomainError(SATISFACTION_AT_EXIT_ONLY)
    if (
        stage == OutcomeAssessment.Stage.EXIT
        and not case.outcome_assessments.filter(stage=OutcomeAssessment.Stage.ENTRY).exists()
    ):
        raise DomainError(EXIT_OUTCOMES_NEED_ENTRY)
    rows = []
    for measure in measures:
        raw = str(answers.get(measure, OutcomeAnswer.Response.NOT_ASKED) or "not_asked")
        if raw in OutcomeAnswer.Response.values and raw != OutcomeAnswer.Response.RATED:
            rows.append((measure, raw, None))
            continue
        try:
            rating = int(raw)
        except ValueError:
            raise DomainError(RATING_RANGE) from None
        if not 1 <= rating <= 5:
            raise DomainError(RATING_RANGE)
        rows.append((measure, OutcomeAnswer.Response.RATED, rating))
    assessment, created = OutcomeAssessment.objects.get_or_create(
        case=case, stage=stage, defaults={"by": by, "recorded_on": recorded_on}
    )
    if not created:
        assessment.recorded_on = recorded_on
        assessment.by = by
        bump_version(assessment)
        _save(assessment, "Outcomes re-recorded")
        assessment.answers.all().delete()
    for measure, response, rating in rows:
        _save(
            OutcomeAnswer(assessment=assessment, measure=measure, response=response, rating=rating),
            "Outcome answer",
        )
    case_record_event(
        case=case,
        kind=ev.OUTCOMES_RECORDED,
        by=by,
        summary=f"{assessment.get_stage_display()} outcome measures",
        data={"stage": stage},
    )
    return assessment


# ---- exit planning and closure -------------------------------------------------------


@transaction.atomic
def exit_plan_save(*, case: Case, data: dict, version, by) -> ExitPlan:
    """Save the exit plan; the first save moves an active case into exit planning."""
    if case.status not in (CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING):
        raise DomainError(EXIT_PLAN_NEEDS_ACTIVE)
    plan = ExitPlan.objects.filter(case=case).first()
    if plan is None:
        plan = ExitPlan(case=case, by=by, **data)
        _save(plan, "Exit plan written")
    else:
        data = {**data, "by": by}
        _edit(plan, version=version, fields=data, reason="Exit plan updated")
    case_record_event(case=case, kind=ev.EXIT_PLAN_SAVED, by=by)
    if case.status == CaseStatus.ACTIVE:
        case_transition(case=case, to=CaseStatus.EXIT_PLANNING, by=by, summary="Exit planning")
    return plan


def closure_approval_reasons(*, case: Case, at=None) -> list[str]:
    """Why a manager must approve this closure (empty when none is needed)."""
    at = at or timezone.now()
    reasons = []
    if case.risk_level == "high":
        reasons.append("the case is high risk")
    if case.allocated_at and at - case.allocated_at < dt.timedelta(days=EARLY_CLOSURE_DAYS):
        reasons.append(f"it is within {EARLY_CLOSURE_DAYS} days of allocation")
    return reasons


def _open_tasks_not_carried(case: Case, carried_over) -> list[Task]:
    carried = {t.pk for t in carried_over}
    return [t for t in case.tasks.filter(done_at__isnull=True) if t.pk not in carried]


def _close(*, request: ClosureRequest, by, approved_by=None) -> Case:
    case = Case.objects.select_for_update().get(pk=request.case_id)
    blocking = _open_tasks_not_carried(case, request.carried_over_tasks.all())
    if blocking:
        raise DomainError(CLOSURE_OPEN_TASKS.format(titles=", ".join(t.title for t in blocking)))
    case.closure_reason = request.reason
    case.closure_summary = request.summary
    case.closure_approved_by = approved_by
    case_transition(case=case, to=CaseStatus.CLOSED, by=by, summary=f"Closed: {request.reason}")
    case_record_event(
        case=case,
        kind=events.CASE_CLOSED,
        by=by,
        summary=str(request.reason),
        data={
            "reason": request.reason.code,
            "approved_by": approved_by.pk if approved_by else None,
        },
    )
    return case


@transaction.atomic
def closure_request(
    *,
    case: Case,
    reason: ClosureReason | None,
    summary: str,
    carried_over: list[Task] | None = None,
    send_letter: bool = False,
    by,
) -> ClosureRequest:
    """The caseworker asks to close. High-risk cases and closures within 14 days of
    allocation wait for a manager; others close now. Open tasks must be done or carried
    over; no letter where post is not safe."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if reason is None:
        raise DomainError(CLOSURE_REASON_REQUIRED)
    if not summary.strip():
        raise DomainError(CLOSURE_SUMMARY_REQUIRED)
    if case.status not in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING):
        raise DomainError(CLOSURE_NOT_OPEN)
    if case.closure_requests.filter(status=ClosureRequest.Status.REQUESTED).exists():
        raise DomainError(CLOSURE_ALREADY_PENDING)
    carried_over = list(carried_over or [])
    blocking = _open_tasks_not_carried(case, carried_over)
    if blocking:
        raise DomainError(CLOSURE_OPEN_TASKS.format(titles=", ".join(t.title for t in blocking)))
    if send_letter and not _post_allowed(case):
        raise DomainError(CLOSURE_LETTER_UNSAFE)
    needs = closure_approval_reasons(case=case)
    self_approves = by.can(Capability.APPROVE_CLOSURE)
    request = ClosureRequest(
        case=case,
        reason=reason,
        summary=summary,
        send_letter=send_letter,
        requested_by=by,
        approval_needed_because="; ".join(needs),
        status=ClosureRequest.Status.REQUESTED,
    )
    _save(request, "Closure requested")
    request.carried_over_tasks.set(carried_over)
    if needs and not self_approves:
        case_record_event(
            case=case,
            kind=ev.CLOSURE_REQUESTED,
            by=by,
            summary=f"Awaiting manager approval: {request.approval_needed_because}",
        )
        return request
    request.status = ClosureRequest.Status.APPROVED if needs else ClosureRequest.Status.CLOSED
    request.decided_by = by
    request.decided_at = timezone.now()
    _save(request, "Closed")
    _close(request=request, by=by, approved_by=by if needs else None)
    return request


def _post_allowed(case: Case) -> bool:
    safe = getattr(case.client, "safe_contact", None)
    return bool(safe and safe.post_allowed)


@transaction.atomic
def closure_approve(*, request: ClosureRequest, comment: str = "", by) -> ClosureRequest:
    """A manager approves: the case closes with the requested reason and summary."""
    if not by.can(Capability.APPROVE_CLOSURE):
        raise DomainError(CLOSURE_APPROVER_ONLY)
    request = ClosureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ClosureRequest.Status.REQUESTED:
        raise DomainError(CLOSURE_NOT_PENDING)
    request.status = ClosureRequest.Status.APPROVED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.manager_comment = comment
    bump_version(request)
    _save(request, "Approved")
    case_record_event(case=request.case, kind=ev.CLOSURE_APPROVED, by=by, summary=comment)
    _close(request=request, by=by, approved_by=by)
    return request


@transaction.atomic
def closure_return(*, request: ClosureRequest, comment: str, by) -> ClosureRequest:
    """A manager returns the request with a reason; the case stays open."""
    if not by.can(Capability.APPROVE_CLOSURE):
        raise DomainError(CLOSURE_APPROVER_ONLY)
    if not comment.strip():
        raise DomainError(CLOSURE_RETURN_NEEDS_COMMENT)
    request = ClosureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ClosureRequest.Status.REQUESTED:
        raise DomainError(CLOSURE_NOT_PENDING)
    request.status = ClosureRequest.Status.RETURNED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.manager_comment = comment
    bump_version(request)
    _save(request, "Returned")
    case_record_event(case=request.case, kind=ev.CLOSURE_RETURNED, by=by, summary=comment)
    return request


@transaction.atomic
def case_reopen(*, case: Case, reason: str, by) -> Case:
    """A closed case is never reopened in place: a new episode (new reference) is opened
    for the same client, linked to the old one, which stays closed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        raise DomainError(REOPEN_NOT_CLOSED)
    existing = Case.objects.filter(previous_case=case).first()
    if existing is not None:
        raise DomainError(REOPEN_ALREADY.format(reference=existing.reference))
    now = timezone.now()
    worker = case.allocated_to if case.allocated_to and case.allocated_to.is_active else None
    if worker is None and by.can(Capability.WORK_CASES):
        worker = by

    def create(reference):
        new = Case(
            reference=reference,
            client=case.client,
            episode=case.episode + 1,
            previous_case=case,
            status=CaseStatus.ALLOCATED if worker else CaseStatus.WAITING,
            district=case.district,
            allocated_to=worker,
            digital_element=case.digital_element,
            risk_level=case.risk_level,
            risk_level_at_intake=case.risk_level,
            referred_at=now,
            accepted_at=now,
            allocated_at=now if worker else None,
        )
        return _save(new, f"New episode after {case.reference}")

    new = with_unique_reference(create)
    case_record_event(
        case=new,
        kind=events.CASE_REOPENED,
        by=by,
        summary=f"Episode {new.episode}, follows {case.reference}: {reason}"[:300],
    )
    case_record_event(
        case=case,
        kind=events.CASE_REOPENED,
        by=by,
        summary=f"New episode {new.reference} opened: {reason}"[:300],
    )
    return new


# ---- service level -------------------------------------------------------------------


@transaction.atomic
def awareness_session_create(*, data: dict, by) -> AwarenessSession:
    _not_future(data.get("delivered_on"))
    session = AwarenessSession(created_by=by, **data)
    return _save(session, "Awareness session recorded")


def _check_feedback_dates(feedback: Feedback):
    for name in ("received_on", "acknowledged_on", "resolved_on"):
        _not_future(getattr(feedback, name))
    for name, what in (("acknowledged_on", "acknowledged"), ("resolved_on", "resolved")):
        value = getattr(feedback, name)
        if value and value < feedback.received_on:
            raise DomainError(FEEDBACK_DATE_ORDER.format(what=what))


@transaction.atomic
def feedback_create(*, data: dict, by) -> Feedback:
    feedback = Feedback(recorded_by=by, **data)
    _check_feedback_dates(feedback)
    _save(feedback, "Feedback recorded")
    if feedback.case_id:
        case_record_event(
            case=feedback.case,
            kind=ev.FEEDBACK_LINKED,
            by=by,
            summary=feedback.get_kind_display(),
        )
    return feedback


@transaction.atomic
def feedback_update(*, feedback: Feedback, data: dict, version, by) -> Feedback:
    check_version(feedback, version)
    for name, value in data.items():
        setattr(feedback, name, value)
    _check_feedback_dates(feedback)
    bump_version(feedback)
    return _save(feedback, "Feedback updated")
