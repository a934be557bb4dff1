"""Every write to a case goes through a function here (or in another app's services that
calls `case_record_event` / `case_transition`). Each is atomic and records an event."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models.client import Client, SafeContact
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import BreakGlassGrant, Case, CaseEvent
from cases.models.notes_tasks import CaseNote, Task
from stalkingservice import workdays
from stalkingservice.audit import audit_record
from stalkingservice.crypto import blind_index
from stalkingservice.domain import DomainError, bump_version, check_version
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability

from .. import events
from ..statuses import CaseStatus, can_move


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
    """Append one event to the case timeline. The kind must be registered."""
    if not events.is_registered(kind):
        raise ValueError(f"Unregistered case event kind: {kind}")
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
    stamp = {
        CaseStatus.TRIAGED: "triaged_at",
        CaseStatus.WAITING: "accepted_at",
        CaseStatus.ALLOCATED: "allocated_at",
        CaseStatus.EXIT_PLANNING: "exit_planning_at",
        CaseStatus.CLOSED: "closed_at",
    }.get(to)
    if stamp and getattr(case, stamp) is None:
        setattr(case, stamp, at)
    bump_version(case)
    case._change_reason = f"Status {previous} -> {to}"
    case.save()
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


@dataclass
class ViewContext:
    page: str


def case_log_view(*, case: Case, user, request=None, page: str = "") -> None:
    """Every view of a case is recorded: who, when, which page."""
    audit_record(
        action=AuditEvent.Action.CASE_VIEW,
        user=user,
        request=request,
        case_id=case.pk,
        page=page or (request.path if request else ""),
    )


# ---- Messages shared with the tests ---------------------------------------------------

NOT_A_CASEWORKER = "Choose a member of staff who works cases."
CO_WORKER_SAME = "The co-worker must be someone other than the allocated caseworker."
REALLOCATE_SAME = "The case is already allocated to these workers. Choose someone else."
REALLOCATE_NOT_ALLOCATED = "Only a case that has been allocated can be reallocated."
ALLOCATE_NOT_WAITING = "Only a case on the waiting list can be allocated."
CLOSED_CASE = "This case is closed. Record work on a new episode instead."
UNSAFE_OVERRIDE_REASON_NEEDED = (
    "This route is not confirmed as safe. To use it anyway, tick the override and say why."
)
BREAK_GLASS_RESTRICTED = (
    "This case is restricted: only its allocated workers and managers can open it."
)
BREAK_GLASS_NOT_NEEDED = "You can already open this case."
BREAK_GLASS_NOT_ALLOWED = "Your role cannot open other workers' cases."
TASK_ALREADY_DONE = "This task is already done."
NOTE_NOT_EDITABLE = "Only the author of a note or a manager can edit it."
FUTURE_TIME = "The time cannot be in the future."

BREAK_GLASS_HOURS = 8


def first_contact_due_for(referred_at: date | datetime) -> date:
    """The first attempt is due within FIRST_CONTACT_DUE_WORKING_DAYS working days of the
    referral (English bank holidays excluded)."""
    return workdays.add_working_days(referred_at, settings.FIRST_CONTACT_DUE_WORKING_DAYS)


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise DomainError(CLOSED_CASE)


def _check_workers(worker, co_worker) -> None:
    if worker is None or not worker.can(Capability.WORK_CASES):
        raise DomainError(NOT_A_CASEWORKER)
    if co_worker is not None:
        if not co_worker.can(Capability.WORK_CASES):
            raise DomainError(NOT_A_CASEWORKER)
        if co_worker.pk == worker.pk:
            raise DomainError(CO_WORKER_SAME)


def _name(user) -> str:
    return str(user) if user is not None else "nobody"


@transaction.atomic
def case_allocate(*, case: Case, worker, co_worker=None, by) -> Case:
    """Allocate a case from the waiting list (WAITING or accepted TRIAGED -> ALLOCATED)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (CaseStatus.WAITING, CaseStatus.TRIAGED):
        raise DomainError(ALLOCATE_NOT_WAITING)
    _check_workers(worker, co_worker)
    case.allocated_to = worker
    case.co_worker = co_worker
    if case.first_contact_due is None:
        case.first_contact_due = first_contact_due_for(case.referred_at)
    case = case_transition(
        case=case,
        to=CaseStatus.ALLOCATED,
        by=by,
        summary=f"Allocated to {_name(worker)}"
        + (f" with {_name(co_worker)}" if co_worker else ""),
    )
    case_record_event(
        case=case,
        kind=events.ALLOCATED,
        by=by,
        summary=f"Allocated to {_name(worker)}"
        + (f", co-worker {_name(co_worker)}" if co_worker else ""),
        data={"worker": worker.pk, "co_worker": co_worker.pk if co_worker else None},
    )
    return case


@transaction.atomic
def case_reallocate(*, case: Case, worker, co_worker=None, reason: str, by) -> Case:
    """Move an allocated case to other workers; the reason goes on the timeline."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(case)
    if case.allocated_to_id is None:
        raise DomainError(REALLOCATE_NOT_ALLOCATED)
    _check_workers(worker, co_worker)
    if case.allocated_to_id == worker.pk and case.co_worker_id == (
        co_worker.pk if co_worker else None
    ):
        raise DomainError(REALLOCATE_SAME)
    before = (case.allocated_to, case.co_worker)
    case.allocated_to = worker
    case.co_worker = co_worker
    bump_version(case)
    case._change_reason = f"Reallocated: {reason}"[:100]
    case.save()
    case_record_event(
        case=case,
        kind=events.REALLOCATED,
        by=by,
        summary=f"From {_name(before[0])} to {_name(worker)}"
        + (f" (co-worker {_name(co_worker)})" if co_worker else "")
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


def unsafe_route_problems(
    *,
    safe_contact: SafeContact | None,
    method: str,
    voicemail_left: bool = False,
    agreed_wording_used: bool = False,
) -> list[str]:
    """Why a contact route is not confirmed as safe, in plain words (empty when safe)."""
    if safe_contact is None:
        return ["No safe-contact details are recorded for this client."]
    problems = []
    M = ContactAttempt.Method
    if method == M.PHONE and not safe_contact.phone_allowed:
        problems.append("Calls are not confirmed as safe.")
    if method == M.TEXT and not safe_contact.text_allowed:
        problems.append("Texts are not confirmed as safe.")
    if method == M.EMAIL and not safe_contact.email_allowed:
        problems.append("Email is not confirmed as safe.")
    if method == M.POST and not safe_contact.post_allowed:
        problems.append("Post is not confirmed as safe.")
    if voicemail_left:
        if not safe_contact.voicemail_allowed:
            problems.append("Voicemail is not allowed.")
        elif not agreed_wording_used:
            problems.append("A voicemail was left without the agreed wording.")
    return problems


def _safe_contact_of(client: Client) -> SafeContact | None:
    try:
        return client.safe_contact
    except SafeContact.DoesNotExist:
        return None


@transaction.atomic
def contact_attempt_record(
    *,
    case: Case,
    method: str,
    outcome: str,
    at: datetime | None = None,
    voicemail_left: bool = False,
    agreed_wording_used: bool = False,
    override_unsafe: bool = False,
    unsafe_route_reason: str = "",
    notes: str = "",
    by,
) -> ContactAttempt:
    """Record one attempt to contact the client. An unconfirmed route is refused unless
    the worker overrides it with a reason. The first successful contact makes an
    allocated case active."""
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    _require_open(case)
    at = at or timezone.now()
    if at > timezone.now() + timedelta(minutes=1):
        raise DomainError(FUTURE_TIME)
    problems = unsafe_route_problems(
        safe_contact=_safe_contact_of(case.client),
        method=method,
        voicemail_left=voicemail_left,
        agreed_wording_used=agreed_wording_used,
    )
    unsafe_route_reason = unsafe_route_reason.strip()
    if problems and not (override_unsafe and unsafe_route_reason):
        raise DomainError(" ".join([*problems, UNSAFE_OVERRIDE_REASON_NEEDED]))
    attempt = ContactAttempt(
        case=case,
        at=at,
        method=method,
        outcome=outcome,
        voicemail_left=voicemail_left,
        agreed_wording_used=agreed_wording_used,
        unsafe_route_reason=unsafe_route_reason if problems else "",
        notes=notes,
        by=by,
    )
    attempt._change_reason = "Contact attempt recorded"
    attempt.save()
    label = f"{attempt.get_method_display()}: {attempt.get_outcome_display()}"
    case_record_event(case=case, kind=events.CONTACT_ATTEMPT, by=by, at=at, summary=label)
    if problems:
        case_record_event(
            case=case,
            kind=events.UNSAFE_ROUTE_OVERRIDE,
            by=by,
            at=at,
            summary=f"{' '.join(problems)} Reason given: {unsafe_route_reason}",
        )
    changed = []
    if case.first_attempt_at is None or at < case.first_attempt_at:
        case.first_attempt_at = at
        changed.append("first_attempt_at")
    if outcome == ContactAttempt.Outcome.REACHED:
        if case.last_contact_at is None or at > case.last_contact_at:
            case.last_contact_at = at
            changed.append("last_contact_at")
        if case.first_contact_at is None:
            case.first_contact_at = at
            changed.append("first_contact_at")
            case_record_event(case=case, kind=events.FIRST_CONTACT, by=by, at=at, summary=label)
    if changed:
        bump_version(case)
        case._change_reason = "Contact attempt recorded"
        case.save()
    if outcome == ContactAttempt.Outcome.REACHED and case.status == CaseStatus.ALLOCATED:
        case_transition(case=case, to=CaseStatus.ACTIVE, by=by, summary="First contact made")
    return attempt


def _note_event_summary(note: CaseNote) -> str:
    # Never the note's text: the timeline is seen by break-glass users, sensitive or not.
    parts = [note.get_note_type_display()]
    if note.direction != CaseNote.Direction.NOT_APPLICABLE:
        parts.append(note.get_direction_display().lower())
    if note.duration_minutes:
        parts.append(f"{note.duration_minutes} minutes")
    if note.sensitive:
        parts.append("sensitive")
    return ", ".join(parts)


@transaction.atomic
def note_add(
    *,
    case: Case,
    note_type: str,
    summary: str,
    occurred_at: datetime | None = None,
    direction: str = CaseNote.Direction.NOT_APPLICABLE,
    duration_minutes: int | None = None,
    sensitive: bool = False,
    by,
) -> CaseNote:
    """Add a case note (contact log entry). Contact made in person or by phone also
    counts as the latest contact with the client."""
    _require_open(case)
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(minutes=1):
        raise DomainError(FUTURE_TIME)
    note = CaseNote(
        case=case,
        note_type=note_type,
        summary=summary,
        occurred_at=occurred_at,
        direction=direction,
        duration_minutes=duration_minutes,
        sensitive=sensitive,
        author=by,
    )
    note._change_reason = "Note added"
    note.save()
    case_record_event(
        case=case,
        kind=events.NOTE_ADDED,
        by=by,
        at=occurred_at,
        summary=_note_event_summary(note),
        data={"note": note.pk},
    )
    return note


def can_edit_note(user, note: CaseNote) -> bool:
    return user.pk == note.author_id or user.can(Capability.SEE_ALL_CASES)


@transaction.atomic
def note_edit(
    *,
    note: CaseNote,
    reason: str,
    version: int | None,
    by,
    **changes,
) -> CaseNote:
    """Edit a note. The earlier text stays in the note's history, with who and why."""
    if not can_edit_note(by, note):
        raise DomainError(NOTE_NOT_EDITABLE)
    _require_open(note.case)
    check_version(note, version)
    if changes.get("occurred_at") and changes["occurred_at"] > timezone.now() + timedelta(
        minutes=1
    ):
        raise DomainError(FUTURE_TIME)
    allowed = {"note_type", "summary", "occurred_at", "direction", "duration_minutes", "sensitive"}
    for field, value in changes.items():
        if field in allowed:
            setattr(note, field, value)
    bump_version(note)
    note._change_reason = reason[:100]
    note.save()
    case_record_event(
        case=note.case,
        kind=events.NOTE_EDITED,
        by=by,
        summary=f"{_note_event_summary(note)}. Reason: {reason}",
        data={"note": note.pk},
    )
    return note


@transaction.atomic
def task_add(*, case: Case, title: str, due_on: date, assignee, by) -> Task:
    """Add a task on a case for one of its workers (or a manager)."""
    _require_open(case)
    if not assignee.can(Capability.WORK_CASES):
        raise DomainError(NOT_A_CASEWORKER)
    task = Task(case=case, title=title, due_on=due_on, assignee=assignee, created_by=by)
    task._change_reason = "Task added"
    task.save()
    case_record_event(
        case=case,
        kind=events.TASK_ADDED,
        by=by,
        summary=f"{title} (due {due_on:%d/%m/%Y}, for {_name(assignee)})",
        data={"task": task.pk},
    )
    return task


@transaction.atomic
def task_complete(*, task: Task, by) -> Task:
    """Mark a task done (one click). Done twice is refused, so a double click is harmless."""
    task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if task.done_at is not None:
        raise DomainError(TASK_ALREADY_DONE)
    task.done_at = timezone.now()
    task.done_by = by
    bump_version(task)
    task._change_reason = "Task done"
    task.save()
    case_record_event(
        case=task.case, kind=events.TASK_DONE, by=by, summary=task.title, data={"task": task.pk}
    )
    return task


@transaction.atomic
def break_glass_grant(*, case: Case, user, reason: str, request=None) -> BreakGlassGrant:
    """Let a caseworker open a case that is not theirs for a few hours, with a reason.
    Logged in the audit trail and on the case timeline; restricted cases refuse."""
    from ..permissions import cases_visible_to, is_allocated_worker

    if not user.can(Capability.BREAK_GLASS):
        raise DomainError(BREAK_GLASS_NOT_ALLOWED)
    if case.restricted:
        raise DomainError(BREAK_GLASS_RESTRICTED)
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
        detail=reason,
    )
    case_record_event(
        case=case,
        kind=events.BREAK_GLASS,
        by=user,
        at=now,
        summary=f"Opened by {_name(user)} for {BREAK_GLASS_HOURS} hours. Reason: {reason}",
    )
    return grant


CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "age_at_referral",
    "gender",
    "gender_self_description",
    "pronouns",
    "language",
    "interpreter_needed",
    "access_needs",
    "district",
    "address",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
    "gender_reassignment",
    "marital_status",
    "pregnancy",
)


@transaction.atomic
def client_update(*, client: Client, case: Case, version: int | None, by, **data) -> Client:
    """Edit the client's personal details and equality monitoring answers."""
    check_version(client, version)
    changed = [f for f in CLIENT_FIELDS if f in data and getattr(client, f) != data[f]]
    for field in changed:
        setattr(client, field, data[field])
    bump_version(client)
    client._change_reason = "Client details edited"
    client.save()
    # Which fields changed, never their values: equality answers are special-category data.
    labels = [str(Client._meta.get_field(f).verbose_name) for f in changed]
    case_record_event(
        case=case,
        kind=events.CLIENT_UPDATED,
        by=by,
        summary=("Changed: " + ", ".join(labels)) if labels else "Saved with no changes",
    )
    return client


SAFE_CONTACT_FIELDS = (
    "safe_phone",
    "safe_times",
    "phone_allowed",
    "voicemail_allowed",
    "voicemail_wording",
    "text_allowed",
    "email_allowed",
    "email",
    "post_allowed",
    "postal_address",
    "plain_envelope",
    "code_word",
    "others_who_may_answer",
    "confirmed_on",
    "notes",
)


@transaction.atomic
def safe_contact_update(
    *, client: Client, case: Case, version: int | None, by, **data
) -> SafeContact:
    """Create or edit the client's safe-contact details (and the date they were confirmed)."""
    safe_contact = _safe_contact_of(client) or SafeContact(client=client)
    if safe_contact.pk:
        check_version(safe_contact, version)
    changed = [f for f in SAFE_CONTACT_FIELDS if f in data and getattr(safe_contact, f) != data[f]]
    for field in changed:
        setattr(safe_contact, field, data[field])
    safe_contact.safe_phone_index = blind_index(safe_contact.safe_phone, "phone")
    safe_contact.email_index = blind_index(safe_contact.email, "email")
    if safe_contact.pk:
        bump_version(safe_contact)
    safe_contact._change_reason = "Safe-contact details edited"
    safe_contact.save()
    labels = [str(SafeContact._meta.get_field(f).verbose_name) for f in changed]
    case_record_event(
        case=case,
        kind=events.SAFE_CONTACT_UPDATED,
        by=by,
        summary=("Changed: " + ", ".join(labels)) if labels else "Confirmed with no changes",
    )
    return safe_contact


@transaction.atomic
def case_set_restricted(*, case: Case, restricted: bool, reason: str, by) -> Case:
    """Managers mark a case restricted (e.g. the client is known to staff): no break-glass,
    and live break-glass grants stop working at once."""
    case.restricted = restricted
    case.restricted_reason = reason if restricted else ""
    bump_version(case)
    case._change_reason = ("Restricted: " if restricted else "Unrestricted: ") + reason[:80]
    case.save()
    case_record_event(
        case=case,
        kind=events.CASE_RESTRICTION_CHANGED,
        by=by,
        summary=("Restricted. " if restricted else "No longer restricted. ") + f"Reason: {reason}",
    )
    return case
