"""Every write for the incident log, and the record of a chronology export. Each function
is atomic and records a case timeline event."""

from django.db import transaction
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.models.police_court import PoliceInvestigation
from cases.services.lifecycle import case_record_event
from cases.services.police_court import investigation_create
from stalkingservice.audit import audit_record
from stalkingservice.domain import (
    UNCHECKED,
    DomainError,
    SubmittedVersion,
    bump_version,
    check_version,
)
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent

from .. import events
from ..models.incidents import Incident
from .assessment import review_after_serious_incident
from .common import FUTURE_DATE
from .exhibits import exhibit_add

TEXT_FIELDS = (
    "place",
    "description",
    "channel",
    "account_used",
    "witnesses",
    "impact",
    "police_officer",
    "crime_reference",
)


BOOLEAN_FIELDS = (
    "proxy_involved",
    "feared_violence",
    "breach_of_order",
    "reported_to_police",
    "serious",
)


def _apply_incident_data(incident: Incident, data: dict) -> None:
    """Copy the declared fields only; blank text is stored as "" and an unticked box as
    False."""
    for name in Incident.EDITABLE_FIELDS:
        value = data.get(name)
        if name in TEXT_FIELDS:
            value = value or ""
        elif name in BOOLEAN_FIELDS:
            value = bool(value)
        setattr(incident, name, value)


def _check_incident_dates(data: dict) -> None:
    if data["occurred_at"] > timezone.now():
        raise DomainError(FUTURE_DATE, field="occurred_at")
    reported = data.get("police_reported_on")
    if reported and reported > timezone.localdate():
        raise DomainError(FUTURE_DATE, field="police_reported_on")


@transaction.atomic
def incident_record(
    *,
    case: Case,
    data: dict,
    by,
    upload=None,
    exhibit_description: str = "",
) -> Incident:
    """Add an incident to the log (with an optional exhibit file). A serious incident
    brings the risk review forward."""
    _check_incident_dates(data)
    incident = Incident(case=case, recorded_by=by)
    _apply_incident_data(incident, data)
    set_history_reason(incident, "Incident recorded")
    incident.save()
    case_record_event(
        case=case,
        kind=events.INCIDENT_RECORDED,
        by=by,
        at=timezone.now(),
        summary=f"{incident.get_behaviour_display()} on {timezone.localtime(incident.occurred_at):%-d %B %Y}",
        data={"incident": incident.pk, "serious": incident.serious},
    )
    if upload is not None:
        exhibit_add(incident=incident, upload=upload, description=exhibit_description, by=by)
    if incident.serious:
        review_after_serious_incident(case=case, incident=incident, by=by)
    return incident


@transaction.atomic
def incident_update(
    *, incident: Incident, data: dict, version: SubmittedVersion = UNCHECKED, by
) -> Incident:
    """Correct an incident; history keeps every earlier version."""
    check_version(incident, version)
    _check_incident_dates(data)
    was_serious = incident.serious
    _apply_incident_data(incident, data)
    bump_version(incident)
    set_history_reason(incident, "Incident corrected")
    incident.save()
    case_record_event(
        case=incident.case,
        kind=events.INCIDENT_UPDATED,
        by=by,
        summary=f"{incident.get_behaviour_display()} on {timezone.localtime(incident.occurred_at):%-d %B %Y} corrected",
        data={"incident": incident.pk},
    )
    if incident.serious and not was_serious:
        review_after_serious_incident(case=incident.case, incident=incident, by=by)
    return incident


NO_CRIME_REFERENCE = "This incident has no crime reference to make a police record from."


@transaction.atomic
def incident_police_record_create(*, incident: Incident, by) -> PoliceInvestigation:
    """Make the case's police record from the crime reference typed on an incident, with
    the officer and the date it was reported, so the reference is not typed twice. A
    reference already on the case's police record is refused (`investigation_create`)."""
    reference = " ".join((incident.crime_reference or "").split())
    if not reference:
        raise DomainError(NO_CRIME_REFERENCE, field="crime_reference")
    return investigation_create(
        case=incident.case,
        data={
            "crime_reference": reference,
            "officer_name": incident.police_officer,
            "reported_on": incident.police_reported_on
            or timezone.localtime(incident.occurred_at).date(),
        },
        by=by,
    )


# ---- exports -------------------------------------------------------------------------


@transaction.atomic
def chronology_export_record(*, case: Case, fmt: str, incidents: int, request, by) -> None:
    """Log a chronology export in the audit trail and on the case timeline."""
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=by,
        request=request,
        case_id=case.pk,
        detail=f"Incident chronology ({fmt.upper()}), {incidents} incidents",
    )
    case_record_event(
        case=case,
        kind=events.CHRONOLOGY_EXPORTED,
        by=by,
        summary=f"Chronology exported as {fmt.upper()} ({incidents} incidents)",
        data={"format": fmt, "incidents": incidents},
    )
