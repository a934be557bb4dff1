"""Signposting and handover to another service."""

import datetime as dt

from django.db import transaction

from stalkingservice.domain import (
    UNCHECKED,
    DomainError,
    SubmittedVersion,
    bump_version,
    check_version,
)
from stalkingservice.updates import only, save_with_reason

from .. import events
from ..models.handover import HandoverReferral
from ..models.lifecycle import Case
from .common import not_future
from .lifecycle import case_record_event
from .notes_tasks import task_follow_up_create, task_mark_done

HANDOVER_NEEDS_CONSENT = (
    "A managed handover needs the client's consent to share information. Without consent, "
    "give information (signposting) instead."
)
CONTACT_CONSENT_NEEDS_SHARING_CONSENT = (
    "Consent to share contact details needs consent to share information first."
)
HANDOVER_NEEDS_WHAT_SHARED = "Write exactly what was shared with the service."
ACK_BEFORE_HANDOVER = "The acknowledgement cannot be before the handover was made."


@transaction.atomic
def handover_create(*, case: Case, data: dict, by) -> HandoverReferral:
    """Signpost (information given) or hand over with a warm introduction. A managed
    handover needs consent to share; contact details go only when consent covers them.
    A managed handover gets a follow-up task until it is acknowledged."""
    handover = HandoverReferral(case=case, by=by, **only(data, HandoverReferral.RECORDED_FIELDS))
    not_future(handover.made_on, field="made_on")
    if handover.kind == HandoverReferral.Kind.MANAGED and not handover.consent_to_share:
        raise DomainError(HANDOVER_NEEDS_CONSENT, field="consent_to_share")
    if handover.consent_covers_contact_details and not handover.consent_to_share:
        raise DomainError(
            CONTACT_CONSENT_NEEDS_SHARING_CONSENT, field="consent_covers_contact_details"
        )
    if handover.consent_to_share and not handover.information_shared.strip():
        raise DomainError(HANDOVER_NEEDS_WHAT_SHARED, field="information_shared")
    if handover.kind == HandoverReferral.Kind.MANAGED:
        handover.follow_up_task = task_follow_up_create(
            case=case,
            title=f"Check {handover.service} has acknowledged the handover",
            due_on=handover.made_on + dt.timedelta(days=5),
            by=by,
        )
    save_with_reason(handover, "Handover recorded")
    case_record_event(
        case=case,
        kind=events.HANDOVER_MADE,
        by=by,
        summary=f"{handover.get_kind_display()}: {handover.service}",
        data={"service": handover.service.code, "kind": handover.kind},
    )
    return handover


@transaction.atomic
def handover_acknowledge(
    *,
    handover: HandoverReferral,
    acknowledged_on: dt.date,
    acknowledgement: str,
    version: SubmittedVersion = UNCHECKED,
    by,
) -> HandoverReferral:
    """The receiving service confirmed it has the referral: the follow-up task is done."""
    not_future(acknowledged_on, field="acknowledged_on")
    if acknowledged_on < handover.made_on:
        raise DomainError(ACK_BEFORE_HANDOVER, field="acknowledged_on")
    check_version(handover, version)
    handover.acknowledged_on = acknowledged_on
    handover.acknowledgement = acknowledgement
    bump_version(handover)
    save_with_reason(handover, "Acknowledged")
    task = handover.follow_up_task
    if task is not None and task.done_at is None:
        task_mark_done(task=task, by=by, reason="Handover acknowledged")
    case_record_event(
        case=handover.case, kind=events.HANDOVER_ACKNOWLEDGED, by=by, summary=str(handover.service)
    )
    return handover


def handover_summary_logged(*, handover: HandoverReferral, by) -> None:
    """Viewing the summary for sharing is itself recorded on the case."""
    case_record_event(
        case=handover.case,
        kind=events.HANDOVER_SUMMARY_PRINTED,
        by=by,
        summary=f"Summary for {handover.service}"
        + ("" if handover.may_include_contact_details else " (no contact details)"),
    )
