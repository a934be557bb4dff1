"""A case from referral to closure: every status change (`case_transition`), the
timeline (`case_record_event`), allocation, break-glass and restriction, exit planning,
closure and a new episode. Each write is atomic and records an event."""

import datetime as dt
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from stalkingservice import workdays
from stalkingservice.audit import BREAK_GLASS_DETAIL, audit_record
from stalkingservice.domain import (
    UNCHECKED,
    DomainError,
    SubmittedVersion,
    bump_version,
    check_version,
)
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability
from stalkingservice.updates import only, record_update, save_with_reason

from .. import events
from ..models.lifecycle import (
    BreakGlassGrant,
    Case,
    CaseEvent,
    ClosureReason,
    ClosureRequest,
    ExitPlan,
)
from ..models.notes_tasks import Task
from ..permissions import cases_visible_to, is_allocated_worker, may_act_on_case
from ..statuses import CaseStatus, can_move
from .common import name_of


def case_record_event(
    *,
    case: Case,
    kind: str,
    by=None,
    summary: str = "",
    at=None,
    data=None,
    from_status: str = "",
    to_status: str = "",
) -> CaseEvent:
    """Append one event to the case timeline. The kind must be registered.

    Every change to a case writes an event here, so this is where the read-only rule of
    break-glass holds for every service in every app, whatever path the change comes by:
    an event of casework (`events.is_act`) by a person is refused unless they may act on
    the case (its workers, managers), or the case has no worker yet and they take
    referrals (intake and triage)."""
    if not events.is_registered(kind):
        raise ValueError(f"Unregistered case event kind: {kind}")
    if by is not None and events.is_act(kind):
        in_intake = case.allocated_to_id is None and by.can(Capability.TRIAGE)
        if not in_intake:
            require_may_act(case, by)
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        by=by,
        summary=summary[:300],
        at=at or timezone.now(),
        data=data or {},
        from_status=from_status,
        to_status=to_status,
    )


# The date each status stamps on the case, the first time the case reaches it.
_STAMPS: dict[str, str] = {
    CaseStatus.TRIAGED: "triaged_at",
    CaseStatus.WAITING: "accepted_at",
    CaseStatus.ALLOCATED: "allocated_at",
    CaseStatus.EXIT_PLANNING: "exit_planning_at",
    CaseStatus.CLOSED: "closed_at",
}


def case_transition(*, case: Case, to: str, by, summary: str = "", at=None) -> Case:
    """The one entry point for status changes: check, write, record."""
    if not can_move(case.status, to):
        raise DomainError(
            f"A case that is {case.get_status_display().lower()} cannot be moved to "
            f"{CaseStatus(to).label.lower()}."
        )
    at = at or timezone.now()
    previous = case.status
    case.status = to
    stamp = _STAMPS.get(to)
    if stamp and getattr(case, stamp) is None:
        setattr(case, stamp, at)
    bump_version(case)
    save_with_reason(case, f"Status {previous} -> {to}")
    case_record_event(
        case=case,
        kind=events.STATUS_CHANGED,
        by=by,
        at=at,
        from_status=previous,
        to_status=to,
        summary=summary or f"{CaseStatus(previous).label} to {CaseStatus(to).label}",
    )
    return case


def next_case_reference(year: int | None = None) -> str:
    """STK-YYYY-NNNNN, numbered within the year the case was referred."""
    year = year or timezone.localdate().year
    prefix = f"STK-{year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def with_unique_reference(create, *, attempts: int = 5):
    """Run create(reference) until the reference is unique: two intakes at the same moment
    may pick the same next number; the loser retries with the next one."""
    for _ in range(attempts):
        try:
            with transaction.atomic():
                return create(next_case_reference())
        except IntegrityError as exc:
            if "reference" not in str(exc):
                raise
    raise DomainError("Could not allocate a case reference; please try again.")


def case_log_view(*, case: Case, user, request=None, page: str = "") -> None:
    """Every view of a case is recorded: who, when, which page."""
    audit_record(
        action=AuditEvent.Action.CASE_VIEW,
        user=user,
        request=request,
        case_id=case.pk,
        page=page or (request.path if request else ""),
    )


# ---- Messages shared with the forms and the tests ---------------------------------------

NOT_A_CASEWORKER = "Choose a member of staff who works cases."
CO_WORKER_SAME = "The co-worker must be someone other than the allocated caseworker."
REALLOCATE_SAME = "The case is already allocated to these workers. Choose someone else."
REALLOCATE_NOT_ALLOCATED = "Only a case that has been allocated can be reallocated."
ALLOCATE_NOT_WAITING = "Only a case on the waiting list can be allocated."
CLOSED_CASE = "This case is closed. Record work on a new episode instead."
BREAK_GLASS_RESTRICTED = (
    "This case is restricted: only its allocated workers and managers can open it."
)
BREAK_GLASS_NOT_NEEDED = "You can already open this case."
BREAK_GLASS_UNALLOCATED = (
    "This case has no caseworker yet: it is with the service managers (triage or the "
    "waiting list). Ask a service manager."
)
BREAK_GLASS_NOT_ALLOWED = "Your role cannot open other workers' cases."
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

BREAK_GLASS_HOURS = 8
EARLY_CLOSURE_DAYS = 14


def first_contact_due_for(referred_at: date | datetime) -> date:
    """The first attempt is due within FIRST_CONTACT_DUE_WORKING_DAYS working days of the
    referral (English bank holidays excluded)."""
    return workdays.add_working_days(referred_at, settings.FIRST_CONTACT_DUE_WORKING_DAYS)


BREAK_GLASS_READ_ONLY = (
    "Break-glass access is read-only: you can read this case but not change it. Ask the "
    "allocated caseworker or a service manager."
)


def require_may_act(case: Case, by) -> None:
    """Refuse any change by someone who sees the case only through break-glass (or not at
    all): the rule is the record's, whatever path the change comes by (`may_act_on_case`)."""
    if by is not None and not may_act_on_case(by, case):
        raise DomainError(BREAK_GLASS_READ_ONLY)


def require_open(case: Case) -> None:
    """Work is recorded on an open case; a closed one takes a new episode instead."""
    if case.status == CaseStatus.CLOSED:
        raise DomainError(CLOSED_CASE)


def check_workers(worker, co_worker) -> None:
    if worker is None or not worker.can(Capability.WORK_CASES):
        raise DomainError(NOT_A_CASEWORKER, field="worker")
    if co_worker is not None:
        if not co_worker.can(Capability.WORK_CASES):
            raise DomainError(NOT_A_CASEWORKER, field="co_worker")
        if co_worker.pk == worker.pk:
            raise DomainError(CO_WORKER_SAME, field="co_worker")


@transaction.atomic
def case_allocate(*, case: Case, worker, co_worker=None, by) -> Case:
    """Allocate a case from the waiting list (WAITING or accepted TRIAGED -> ALLOCATED)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (CaseStatus.WAITING, CaseStatus.TRIAGED):
        raise DomainError(ALLOCATE_NOT_WAITING)
    check_workers(worker, co_worker)
    case.allocated_to = worker
    case.co_worker = co_worker
    if case.first_contact_due is None:
        case.first_contact_due = first_contact_due_for(case.referred_at)
    case = case_transition(
        case=case,
        to=CaseStatus.ALLOCATED,
        by=by,
        summary=f"Allocated to {name_of(worker)}"
        + (f" with {name_of(co_worker)}" if co_worker else ""),
    )
    case_record_event(
        case=case,
        kind=events.ALLOCATED,
        by=by,
        summary=f"Allocated to {name_of(worker)}"
        + (f", co-worker {name_of(co_worker)}" if co_worker else ""),
        data={"worker": worker.pk, "co_worker": co_worker.pk if co_worker else None},
    )
    return case


@transaction.atomic
def case_reallocate(
    *, case: Case, worker, co_worker=None, reason: str, version: SubmittedVersion = UNCHECKED, by
) -> Case:
    """Move an allocated case to other workers; the reason goes on the timeline. A
    reallocation made from an out-of-date page (`version`) is refused."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_may_act(case, by)
    check_version(case, version)
    require_open(case)
    if case.allocated_to_id is None:
        raise DomainError(REALLOCATE_NOT_ALLOCATED)
    check_workers(worker, co_worker)
    if case.allocated_to_id == worker.pk and case.co_worker_id == (
        co_worker.pk if co_worker else None
    ):
        raise DomainError(REALLOCATE_SAME, field="worker")
    before = (case.allocated_to, case.co_worker)
    case.allocated_to = worker
    case.co_worker = co_worker
    bump_version(case)
    save_with_reason(case, f"Reallocated: {reason}"[:100])
    case_record_event(
        case=case,
        kind=events.REALLOCATED,
        by=by,
        summary=f"From {name_of(before[0])} to {name_of(worker)}"
        + (f" (co-worker {name_of(co_worker)})" if co_worker else "")
        + f". Reason: {reason}",
        data={
            "from_worker": before[0].pk if before[0] else None,
            "from_co_worker": before[1].pk if before[1] else None,
            "worker": worker.pk,
            "co_worker": co_worker.pk if co_worker else None,
            "reason": reason,
        },
    )
    return case


@transaction.atomic
def break_glass_grant(*, case: Case, user, reason: str, request=None) -> BreakGlassGrant:
    """Let a caseworker open a case that is not theirs for a few hours, with a reason.
    Logged in the audit trail and on the case timeline; restricted cases refuse."""
    # Decide on the record as it is now, not on the caller's copy.
    case = Case.objects.get(pk=case.pk)
    if not user.can(Capability.BREAK_GLASS):
        raise DomainError(BREAK_GLASS_NOT_ALLOWED)
    if case.restricted:
        raise DomainError(BREAK_GLASS_RESTRICTED)
    if case.allocated_to_id is None:
        # Not another worker's case: a referral at triage (whose conflict check only
        # managers see) or a case on the waiting list is in the managers' hands.
        raise DomainError(BREAK_GLASS_UNALLOCATED)
    if is_allocated_worker(user, case) or cases_visible_to(user).filter(pk=case.pk).exists():
        raise DomainError(BREAK_GLASS_NOT_NEEDED)
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=user,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(
        action=AuditEvent.Action.BREAK_GLASS,
        user=user,
        request=request,
        case_id=case.pk,
        # The reason stays on the grant (shown on the access log, anonymised with the
        # client); the audit, which outlives anonymisation, holds no free text.
        detail=BREAK_GLASS_DETAIL.format(grant=grant.pk, hours=BREAK_GLASS_HOURS),
    )
    case_record_event(
        case=case,
        kind=events.BREAK_GLASS,
        by=user,
        at=now,
        summary=f"Opened by {name_of(user)} for {BREAK_GLASS_HOURS} hours. Reason: {reason}",
    )
    return grant


@transaction.atomic
def case_set_restricted(*, case: Case, restricted: bool, reason: str, by) -> Case:
    """Managers mark a case restricted (e.g. the client is known to staff): no break-glass,
    and live break-glass grants stop working at once."""
    case.restricted = restricted
    case.restricted_reason = reason if restricted else ""
    bump_version(case)
    save_with_reason(case, ("Restricted: " if restricted else "Unrestricted: ") + reason[:80])
    case_record_event(
        case=case,
        kind=events.CASE_RESTRICTION_CHANGED,
        by=by,
        summary=("Restricted. " if restricted else "No longer restricted. ") + f"Reason: {reason}",
    )
    return case


# ---- exit planning and closure -------------------------------------------------------


@transaction.atomic
def exit_plan_save(*, case: Case, data: dict, version, by) -> ExitPlan:
    """Save the exit plan; the first save moves an active case into exit planning."""
    if case.status not in (CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING):
        raise DomainError(EXIT_PLAN_NEEDS_ACTIVE)
    plan = ExitPlan.objects.filter(case=case).first()
    if plan is None:
        plan = ExitPlan(case=case, by=by, **only(data, ExitPlan.EDITABLE_FIELDS))
        save_with_reason(plan, "Exit plan written")
    else:
        plan.by = by
        record_update(
            obj=plan,
            fields=ExitPlan.EDITABLE_FIELDS,
            data=data,
            version=version,
            reason="Exit plan updated",
            by=by,
            # Saved (and the version moved on) even when nothing changed, as before.
            save_unchanged=True,
        )
    case_record_event(case=case, kind=events.EXIT_PLAN_SAVED, by=by)
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
        raise DomainError(
            CLOSURE_OPEN_TASKS.format(titles=", ".join(t.title for t in blocking)),
            field="carried_over",
        )
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
    require_may_act(case, by)
    if reason is None:
        raise DomainError(CLOSURE_REASON_REQUIRED, field="reason")
    if not summary.strip():
        raise DomainError(CLOSURE_SUMMARY_REQUIRED, field="summary")
    if case.status not in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING):
        raise DomainError(CLOSURE_NOT_OPEN)
    if case.closure_requests.filter(status=ClosureRequest.Status.REQUESTED).exists():
        raise DomainError(CLOSURE_ALREADY_PENDING)
    carried_over = list(carried_over or [])
    blocking = _open_tasks_not_carried(case, carried_over)
    if blocking:
        raise DomainError(
            CLOSURE_OPEN_TASKS.format(titles=", ".join(t.title for t in blocking)),
            field="carried_over",
        )
    if send_letter and not post_allowed(case):
        raise DomainError(CLOSURE_LETTER_UNSAFE, field="send_letter")
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
    save_with_reason(request, "Closure requested")
    request.carried_over_tasks.set(carried_over)
    if needs and not self_approves:
        case_record_event(
            case=case,
            kind=events.CLOSURE_REQUESTED,
            by=by,
            summary=f"Awaiting manager approval: {request.approval_needed_because}",
        )
        return request
    request.status = ClosureRequest.Status.APPROVED if needs else ClosureRequest.Status.CLOSED
    request.decided_by = by
    request.decided_at = timezone.now()
    save_with_reason(request, "Closed")
    _close(request=request, by=by, approved_by=by if needs else None)
    return request


def post_allowed(case: Case) -> bool:
    """Whether post is a confirmed safe route to the client (a closing letter needs it)."""
    safe = getattr(case.client, "safe_contact", None)
    return bool(safe and safe.post_allowed)


_DECISIONS: dict[str, tuple[str, str]] = {
    ClosureRequest.Status.APPROVED: (events.CLOSURE_APPROVED, "Approved"),
    ClosureRequest.Status.RETURNED: (events.CLOSURE_RETURNED, "Returned"),
}


def _decide(*, request: ClosureRequest, status: str, comment: str, by) -> ClosureRequest:
    """A manager's decision on a pending closure request: who, when, why, on the timeline."""
    if not by.can(Capability.APPROVE_CLOSURE):
        raise DomainError(CLOSURE_APPROVER_ONLY)
    request = ClosureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ClosureRequest.Status.REQUESTED:
        raise DomainError(CLOSURE_NOT_PENDING)
    kind, reason = _DECISIONS[status]
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.manager_comment = comment
    bump_version(request)
    save_with_reason(request, reason)
    case_record_event(case=request.case, kind=kind, by=by, summary=comment)
    return request


@transaction.atomic
def closure_approve(*, request: ClosureRequest, comment: str = "", by) -> ClosureRequest:
    """A manager approves: the case closes with the requested reason and summary."""
    approved = ClosureRequest.Status.APPROVED
    request = _decide(request=request, status=approved, comment=comment, by=by)
    _close(request=request, by=by, approved_by=by)
    return request


@transaction.atomic
def closure_return(*, request: ClosureRequest, comment: str, by) -> ClosureRequest:
    """A manager returns the request with a reason; the case stays open."""
    if by.can(Capability.APPROVE_CLOSURE) and not comment.strip():
        raise DomainError(CLOSURE_RETURN_NEEDS_COMMENT, field="comment")
    returned = ClosureRequest.Status.RETURNED
    return _decide(request=request, status=returned, comment=comment, by=by)


@transaction.atomic
def case_reopen(*, case: Case, reason: str, by) -> Case:
    """A closed case is never reopened in place: a new episode (new reference) is opened
    for the same client, linked to the old one, which stays closed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_may_act(case, by)
    if case.status != CaseStatus.CLOSED:
        raise DomainError(REOPEN_NOT_CLOSED)
    existing = Case.objects.filter(previous_case=case).first()
    if existing is not None:
        raise DomainError(REOPEN_ALREADY.format(reference=existing.reference))
    now = timezone.now()
    worker = case.allocated_to if case.allocated_to and case.allocated_to.is_active else None
    # A caseworker who reopens takes the case; a manager reopening a case whose worker
    # has gone puts it on the waiting list, ordered by its risk, to be allocated there.
    if worker is None and by.can(Capability.WORK_CASES) and not by.can(Capability.SEE_ALL_CASES):
        worker = by
    last_level = case.risk_level or case.risk_level_at_intake

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
            # The last known level, never "not assessed": a returning client is at least
            # as much at risk as when they left (a lower level needs a manager's sign-off).
            risk_level=last_level,
            risk_level_at_intake=last_level,
            referred_at=now,
            accepted_at=now,
            allocated_at=now if worker else None,
        )
        return save_with_reason(new, f"New episode after {case.reference}")

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
