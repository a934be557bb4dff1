"""Service-level records: awareness sessions, compliments and complaints."""

from django.db import transaction

from stalkingservice.domain import DomainError, bump_version, check_version
from stalkingservice.updates import only, save_with_reason, set_fields

from .. import events
from ..models.lifecycle import Case
from ..models.service_records import AwarenessSession, Feedback
from ..permissions import feedback_visible_to
from .common import not_future
from .lifecycle import case_record_event

FEEDBACK_DATE_ORDER = "The {what} date cannot be before the date it was received."
FEEDBACK_ABOUT_YOURSELF = (
    "A complaint about yourself is recorded by a service manager. Leave this empty, or ask "
    "a manager to record it."
)
FEEDBACK_NOT_YOURS = (
    "Only a service manager or the person who recorded it may change this compliment or complaint."
)


def _check_feedback_access(feedback: Feedback, by, *, existing: bool) -> None:
    """The rule of `feedback_visible_to`, on every write: only managers and the person who
    recorded it change it, and nobody records (or keeps) a complaint they could not read,
    one about themselves."""
    if existing and not feedback_visible_to(by).filter(pk=feedback.pk).exists():
        raise DomainError(FEEDBACK_NOT_YOURS)
    if feedback.kind == Feedback.Kind.COMPLAINT and feedback.about_staff_id == by.pk:
        raise DomainError(FEEDBACK_ABOUT_YOURSELF, field="about_staff")


@transaction.atomic
def awareness_session_create(*, data: dict, by) -> AwarenessSession:
    """Record an awareness session delivered to professionals or the public."""
    not_future(data.get("delivered_on"), field="delivered_on")
    session = AwarenessSession(created_by=by, **only(data, AwarenessSession.RECORDED_FIELDS))
    return save_with_reason(session, "Awareness session recorded")


def _check_feedback_dates(feedback: Feedback):
    for name in ("received_on", "acknowledged_on", "resolved_on"):
        not_future(getattr(feedback, name), field=name)
    for name, what in (("acknowledged_on", "acknowledged"), ("resolved_on", "resolved")):
        value = getattr(feedback, name)
        if value and value < feedback.received_on:
            raise DomainError(FEEDBACK_DATE_ORDER.format(what=what), field=name)


@transaction.atomic
def feedback_create(*, data: dict, case: Case | None = None, by) -> Feedback:
    """Record a compliment or complaint, linked to a case when there is one."""
    feedback = Feedback(recorded_by=by, case=case, **only(data, Feedback.EDITABLE_FIELDS))
    _check_feedback_access(feedback, by, existing=False)
    _check_feedback_dates(feedback)
    save_with_reason(feedback, "Feedback recorded")
    if feedback.case is not None:
        case_record_event(
            case=feedback.case,
            kind=events.FEEDBACK_LINKED,
            by=by,
            summary=feedback.get_kind_display(),
        )
    return feedback


@transaction.atomic
def feedback_update(*, feedback: Feedback, data: dict, case: Case | None, version, by) -> Feedback:
    """Edit a compliment or complaint (its dates, outcome and linked case)."""
    _check_feedback_access(feedback, by, existing=True)
    check_version(feedback, version)
    set_fields(feedback, fields=Feedback.EDITABLE_FIELDS, data=data)
    feedback.case = case
    _check_feedback_access(feedback, by, existing=False)
    _check_feedback_dates(feedback)
    bump_version(feedback)
    return save_with_reason(feedback, "Feedback updated")
