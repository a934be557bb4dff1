"""Attempts to contact the client: only by a route confirmed as safe, unless the
worker overrides it with a reason."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from stalkingservice.domain import DomainError, bump_version
from stalkingservice.updates import save_with_reason

from .. import events
from ..models.client import SafeContact
from ..models.contact import ContactAttempt
from ..models.lifecycle import Case
from ..statuses import CaseStatus
from .client import safe_contact_of, within_safe_windows
from .common import within_case
from .lifecycle import case_record_event, case_transition, require_may_act, require_open

UNSAFE_OVERRIDE_REASON_NEEDED = (
    "This route is not confirmed as safe. To use it anyway, tick the override and say why."
)
OUTSIDE_SAFE_TIMES = "This is outside the times the client said are safe ({times})."
DIGITALLY_UNSAFE = "A digital-safety finding made {route} unsafe ({finding})."
# Calls and visits reach the client at a moment: the client's safe times apply to them.
TIMED_METHODS = frozenset({ContactAttempt.Method.PHONE, ContactAttempt.Method.VISIT})
_ROUTE_OF_METHOD: dict[str, str] = {
    ContactAttempt.Method.PHONE: "phone",
    ContactAttempt.Method.TEXT: "text",
    ContactAttempt.Method.EMAIL: "email",
    ContactAttempt.Method.ONLINE: "online",
}


def unsafe_route_problems(
    *,
    safe_contact: SafeContact | None,
    method: str,
    voicemail_left: bool = False,
    agreed_wording_used: bool = False,
    at: datetime | None = None,
) -> list[str]:
    """Why a contact route (or, given `at`, its time) is not confirmed as safe, in plain
    words (empty when safe). A home visit is a route like any other."""
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
    if method == M.VISIT and not safe_contact.visit_allowed:
        problems.append("Home visits are not confirmed as safe.")
    if method == M.ONLINE and not safe_contact.online_allowed:
        problems.append("Social media and online messages are not confirmed as safe.")
    route = _ROUTE_OF_METHOD.get(method)
    if route and route in (safe_contact.digital_unsafe_routes or []):
        problems.append(
            DIGITALLY_UNSAFE.format(
                route=SafeContact.ROUTE_LABELS[route], finding=safe_contact.digital_unsafe_finding
            )
        )
    if at is not None and method in TIMED_METHODS and not within_safe_windows(safe_contact, at):
        problems.append(OUTSIDE_SAFE_TIMES.format(times=safe_contact.windows_text))
    if voicemail_left:
        if not safe_contact.voicemail_allowed:
            problems.append("Voicemail is not allowed.")
        elif not agreed_wording_used:
            problems.append("A voicemail was left without the agreed wording.")
    return problems


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
    require_may_act(case, by)
    require_open(case)
    at = at or timezone.now()
    within_case(case, at, field="at")
    problems = unsafe_route_problems(
        safe_contact=safe_contact_of(case.client),
        method=method,
        voicemail_left=voicemail_left,
        agreed_wording_used=agreed_wording_used,
        at=at,
    )
    unsafe_route_reason = unsafe_route_reason.strip()
    if problems and not (override_unsafe and unsafe_route_reason):
        raise DomainError(
            " ".join([*problems, UNSAFE_OVERRIDE_REASON_NEEDED]), field="override_unsafe"
        )
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
    save_with_reason(attempt, "Contact attempt recorded")
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
        save_with_reason(case, "Contact attempt recorded")
    if outcome == ContactAttempt.Outcome.REACHED and case.status == CaseStatus.ALLOCATED:
        case_transition(case=case, to=CaseStatus.ACTIVE, by=by, summary="First contact made")
    return attempt
