"""Every write to a case goes through a function here (or in another app's services that
calls `case_record_event` / `case_transition`). Each is atomic and records an event."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from stalkingservice.audit import audit_record
from stalkingservice.models import AuditEvent

from . import events
from .models import Case, CaseEvent
from .statuses import CaseStatus, can_move


class DomainError(Exception):
    """A rule of the service refused the action. The message is shown to the user."""


class StaleEdit(DomainError):
    """Someone else saved this record after it was opened."""

    def __init__(self, message, current=None):
        super().__init__(message)
        self.current = current


STALE_EDIT_MESSAGE = (
    "Someone else saved changes to this record after you opened it. Their version is shown "
    "below; your changes are still in the form. Check both, then save again."
)


def check_version(obj, submitted_version: int | None):
    """Optimistic concurrency: refuse a save made from an out-of-date copy."""
    if submitted_version is None:
        return
    current = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()
    if current is not None and int(submitted_version) != current:
        raise StaleEdit(STALE_EDIT_MESSAGE, current=type(obj).objects.get(pk=obj.pk))


def bump_version(obj):
    obj.version = (obj.version or 0) + 1


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
