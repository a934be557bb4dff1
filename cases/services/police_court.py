"""Police liaison (crime reports, contacts with police, the Victims' Code) and court
(hearings, court support). Keyword-only, atomic, one event each."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from stalkingservice.domain import UNCHECKED, DomainError, bump_version
from stalkingservice.updates import only, record_update, save_with_reason, set_fields

from .. import events
from ..models.lifecycle import Case
from ..models.police_court import (
    INVESTIGATION_TRANSITIONS,
    CourtSupport,
    Hearing,
    InvestigationStatus,
    InvestigationStatusChange,
    PoliceContact,
    PoliceInvestigation,
    VictimsCodeCheck,
    crime_reference_key,
)
from ..selectors.police_court import investigation_with_reference
from .common import not_future
from .lifecycle import case_record_event
from .notes_tasks import task_follow_up_create

INVESTIGATION_MOVE = "An investigation that is {current} cannot move to {target}."
INVESTIGATION_DATE_BEFORE_LAST = "The date cannot be before the last change ({last:%d/%m/%Y})."
HEARING_BEFORE_CHARGE = "The hearing date cannot be before the charge date ({charged})."
VICTIMS_CODE_NEEDS_ESCALATION = "Where a right was not met, record the escalation made."
CRIME_REFERENCE_ON_RECORD = (
    "Crime reference {reference} is already on this case's police record: "
    "change that record instead."
)
CRIME_REFERENCE_REQUIRED = "Enter the crime reference."


def _check_crime_reference_new(
    *, case: Case, crime_reference: str, investigation: PoliceInvestigation | None = None
) -> None:
    """One police record per crime reference on a case, on every path (the crime report
    form, its edit, one made from an incident), so a reference is never recorded twice."""
    if not crime_reference_key(crime_reference):
        raise DomainError(CRIME_REFERENCE_REQUIRED, field="crime_reference")
    existing = investigation_with_reference(case=case, crime_reference=crime_reference)
    if existing is not None and (investigation is None or existing.pk != investigation.pk):
        raise DomainError(
            CRIME_REFERENCE_ON_RECORD.format(reference=existing.crime_reference),
            field="crime_reference",
        )


def investigation_can_move(current: str, target: str) -> bool:
    return target in INVESTIGATION_TRANSITIONS.get(current, frozenset())


@transaction.atomic
def investigation_create(*, case: Case, data: dict, by) -> PoliceInvestigation:
    """Record a crime report (crime reference, force, officer in case). A crime reference
    already on the case's police record is refused."""
    not_future(data.get("reported_on"), field="reported_on")
    _check_crime_reference_new(case=case, crime_reference=data.get("crime_reference") or "")
    inv = PoliceInvestigation(
        case=case,
        status=InvestigationStatus.REPORTED,
        **only(data, PoliceInvestigation.RECORDED_FIELDS),
    )
    inv.status_changed_on = inv.reported_on
    save_with_reason(inv, "Crime report recorded")
    InvestigationStatusChange.objects.create(
        investigation=inv,
        to_status=inv.status,
        changed_on=inv.reported_on,
        note="Reported",
        by=by,
    )
    case_record_event(
        case=case, kind=events.INVESTIGATION_RECORDED, by=by, summary=f"Crime reference {inv}"
    )
    return inv


@transaction.atomic
def investigation_update(
    *, investigation: PoliceInvestigation, data: dict, version, by
) -> PoliceInvestigation:
    """Edit officer details and the CPS decision; the status moves only by transition."""
    not_future(data.get("cps_decision_on"), field="cps_decision_on")
    if "crime_reference" in data:
        _check_crime_reference_new(
            case=investigation.case,
            crime_reference=data.get("crime_reference") or "",
            investigation=investigation,
        )
    record_update(
        obj=investigation,
        fields=PoliceInvestigation.EDITABLE_FIELDS,
        data=data,
        version=version,
        reason="Police details updated",
        by=by,
        # Saved (and the version moved on) even when nothing changed, as before.
        save_unchanged=True,
    )
    case_record_event(
        case=investigation.case,
        kind=events.INVESTIGATION_RECORDED,
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
    not_future(on, field="on")
    if on < investigation.status_changed_on:
        raise DomainError(
            INVESTIGATION_DATE_BEFORE_LAST.format(last=investigation.status_changed_on), field="on"
        )
    investigation.status = to
    investigation.status_changed_on = on
    if to == InvestigationStatus.CHARGED:
        investigation.charged_on = on
    bump_version(investigation)
    save_with_reason(investigation, f"Status {current} -> {to}")
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
        kind=events.INVESTIGATION_STATUS,
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
    not_future(data.get("contacted_on"), field="contacted_on")
    contact = PoliceContact(case=case, by=by, **only(data, PoliceContact.RECORDED_FIELDS))
    if follow_up_title:
        contact.follow_up_task = task_follow_up_create(
            case=case,
            title=follow_up_title,
            due_on=follow_up_due or timezone.localdate() + dt.timedelta(days=7),
            by=by,
        )
    save_with_reason(contact, "Police contact logged")
    case_record_event(
        case=case, kind=events.POLICE_CONTACT, by=by, summary=f"{contact.who}: {contact.purpose}"
    )
    return contact


@transaction.atomic
def victims_code_record(*, case: Case, right: int, data: dict, by) -> VictimsCodeCheck:
    """Record whether one Victims' Code right was explained and met; an escalation where
    it was not met."""
    not_future(data.get("checked_on"), field="checked_on")
    if data.get("met") == VictimsCodeCheck.Met.NOT_MET and not data.get("escalation"):
        raise DomainError(VICTIMS_CODE_NEEDS_ESCALATION, field="escalation")
    check, _ = VictimsCodeCheck.objects.get_or_create(case=case, right=right, defaults={"by": by})
    set_fields(check, fields=VictimsCodeCheck.RECORDED_FIELDS, data=data)
    check.by = by
    bump_version(check)
    save_with_reason(check, "Victims' Code right recorded")
    kind = events.VICTIMS_CODE_ESCALATED if check.escalation else events.VICTIMS_CODE_CHECKED
    case_record_event(case=case, kind=kind, by=by, summary=check.get_right_display())
    return check


# ---- court ---------------------------------------------------------------------------


def charge_date_for(*, case: Case, investigation: PoliceInvestigation | None) -> dt.date | None:
    """The charge date a criminal hearing cannot precede: the investigation's, or the
    earliest charge on the case."""
    if investigation is not None and investigation.charged_on:
        return investigation.charged_on
    dates = [d for d in case.investigations.values_list("charged_on", flat=True) if d]
    return min(dates) if dates else None


@transaction.atomic
def hearing_create(*, case: Case, data: dict, by) -> Hearing:
    """Record a court hearing. Criminal hearings cannot be dated before the charge."""
    hearing = Hearing(case=case, by=by, **only(data, Hearing.RECORDED_FIELDS))
    if hearing.hearing_type in Hearing.CRIMINAL_TYPES:
        charged = charge_date_for(case=case, investigation=hearing.investigation)
        if charged and hearing.hearing_on < charged:
            raise DomainError(
                HEARING_BEFORE_CHARGE.format(charged=f"{charged:%-d %B %Y}"), field="hearing_on"
            )
    save_with_reason(hearing, "Hearing recorded")
    case_record_event(
        case=case,
        kind=events.HEARING_RECORDED,
        by=by,
        summary=f"{hearing.get_hearing_type_display()} at {hearing.court}",
    )
    return hearing


@transaction.atomic
def court_support_save(*, case: Case, data: dict, version, by) -> CourtSupport:
    """Create or edit what the client is offered for court (one record per case)."""
    for name in ("vps_offered_on", "vps_made_on", "witness_care_last_contact_on"):
        not_future(data.get(name), field=name)
    support, created = CourtSupport.objects.get_or_create(case=case)
    record_update(
        obj=support,
        fields=CourtSupport.EDITABLE_FIELDS,
        data=data,
        # A record created just now has no earlier copy to be stale against.
        version=UNCHECKED if created else version,
        reason="Court support updated",
        by=by,
        # Saved (and the version moved on) even when nothing changed, as before.
        save_unchanged=True,
    )
    case_record_event(case=case, kind=events.COURT_SUPPORT_UPDATED, by=by)
    return support
