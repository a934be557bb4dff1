"""Writes for one-to-one sessions. Each is atomic, keyword-only and records a case event."""

from django.db import transaction
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.common import not_before_referral
from cases.services.lifecycle import case_record_event
from stalkingservice.domain import UNCHECKED, DomainError
from stalkingservice.history import set_history_reason
from stalkingservice.updates import record_update, set_fields

from .. import events
from ..models.sessions import OneToOneSession, SessionStatus
from .common import changes_listed, require_open

DELIVERED_IN_FUTURE = "A delivered session cannot be dated in the future."


def check_session_date(data: dict, *, case: Case | None = None) -> None:
    """A session recorded as delivered cannot be dated in the future (one-to-one or group);
    one with a client cannot be dated before their referral was received (a planned one
    may be in the future)."""
    if case is not None:
        not_before_referral(case, data.get("session_date"), field="session_date")
    if (
        data.get("status") == SessionStatus.DELIVERED
        and data.get("session_date")
        and data["session_date"] > timezone.localdate()
    ):
        raise DomainError(DELIVERED_IN_FUTURE, field="session_date")


@transaction.atomic
def session_record(*, case: Case, data: dict, by) -> OneToOneSession:
    require_open(case)
    check_session_date(data, case=case)
    session = OneToOneSession(case=case, worker=by)
    set_fields(session, fields=OneToOneSession.EDITABLE_FIELDS, data=data)
    set_history_reason(session, "Session recorded")
    session.save()
    case_record_event(
        case=case,
        kind=events.SESSION_RECORDED,
        by=by,
        summary=(
            f"{session.get_session_type_display()}, {session.get_mode_display().lower()}, "
            f"{session.duration_minutes} minutes ({session.get_status_display().lower()})"
        ),
        data={"session": session.pk, "type": session.session_type, "status": session.status},
    )
    return session


@transaction.atomic
def session_update(*, session: OneToOneSession, data: dict, by) -> OneToOneSession:
    require_open(session.case)
    check_session_date(data, case=session.case)
    _, changed = record_update(
        obj=session,
        fields=OneToOneSession.EDITABLE_FIELDS,
        data=data,
        reason=changes_listed,
        version=data.get("version", UNCHECKED),
        by=by,
        save_unchanged=True,
    )
    case_record_event(
        case=session.case,
        kind=events.SESSION_UPDATED,
        by=by,
        summary=f"{session.get_session_type_display()} ({session.get_status_display().lower()})",
        data={"session": session.pk, "changed": changed},
    )
    return session
