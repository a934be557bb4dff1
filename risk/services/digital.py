"""Writes for digital safety checks, and turning a finding into a safety plan action.
Each is atomic, keyword-only and records a case event."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.client import safe_contact_mark_routes_unsafe
from cases.services.lifecycle import case_record_event
from stalkingservice.domain import UNCHECKED, DomainError
from stalkingservice.history import set_history_reason
from stalkingservice.updates import record_update, set_fields

from .. import events
from ..models.digital import DigitalSafetyCheck
from ..models.safety_plan import ActionStatus, SafetyAction
from ..selectors.digital import digital_check_findings
from .common import changes_listed, require_open
from .safety_plan import safety_action_add

STALKERWARE_DECISION_REQUIRED = (
    "Stalkerware was found: record the decision on removing it and who agreed it. "
    "Removing it can alert the person stalking and raise the risk."
)
STALKERWARE_SUSPECTED_DECISION_REQUIRED = (
    "Stalkerware is suspected: record the decision on removing it (or checking the device) "
    "before the check can be completed."
)
FINDING_ALREADY_ON_PLAN = "That finding is already on the safety plan."
FINDING_NOT_FOUND = "That finding is not part of this check any more."


def _check_stalkerware_decision(data: dict) -> None:
    if data.get("stalkerware") == DigitalSafetyCheck.Stalkerware.FOUND and not (
        data.get("stalkerware_decision")
        and (data.get("stalkerware_decision_agreed_by") or "").strip()
    ):
        raise DomainError(STALKERWARE_DECISION_REQUIRED, field="stalkerware_decision")
    if (
        data.get("complete")
        and data.get("stalkerware") == DigitalSafetyCheck.Stalkerware.SUSPECTED
        and not data.get("stalkerware_decision")
    ):
        raise DomainError(STALKERWARE_SUSPECTED_DECISION_REQUIRED, field="stalkerware_decision")


def _mark_exposed_routes(check: DigitalSafetyCheck, by, *, known=frozenset()) -> None:
    """What the check found makes the routes it exposes unsafe at once (draft or not).
    Findings already `known` before an edit are not marked again, so a route a worker
    has since allowed again (a new phone) stays allowed when the check is edited."""
    for finding, routes in check.unsafe_routes.items():
        if finding in known:
            continue
        safe_contact_mark_routes_unsafe(
            client=check.case.client,
            case=check.case,
            routes=routes,
            finding=f"{finding} (digital safety check {check.number})",
            by=by,
        )


def _stamp_check(check: DigitalSafetyCheck, complete: bool) -> bool:
    """Returns True when this save completes the check."""
    if complete and check.status != DigitalSafetyCheck.Status.COMPLETE:
        check.status = DigitalSafetyCheck.Status.COMPLETE
        check.completed_at = timezone.now()
        return True
    if not complete and check.status == DigitalSafetyCheck.Status.COMPLETE:
        check.status = DigitalSafetyCheck.Status.DRAFT
        check.completed_at = None
    return False


@transaction.atomic
def digital_check_record(*, case: Case, data: dict, by) -> DigitalSafetyCheck:
    """A new dated digital safety check on the case, numbered after the last one."""
    require_open(case)
    _check_stalkerware_decision(data)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    number = (case.digital_checks.aggregate(n=Max("number"))["n"] or 0) + 1
    check = DigitalSafetyCheck(case=case, number=number, checked_by=by)
    set_fields(check, fields=DigitalSafetyCheck.EDITABLE_FIELDS, data=data)
    completed = _stamp_check(check, bool(data.get("complete")))
    set_history_reason(check, "Check recorded")
    check.save()
    case_record_event(
        case=case,
        kind=events.DIGITAL_CHECK_COMPLETED if completed else events.DIGITAL_CHECK_RECORDED,
        by=by,
        summary=f"Check {number} ({check.get_status_display().lower()}), stalkerware: "
        f"{check.get_stalkerware_display().lower()}",
        data={"check": check.pk},
    )
    _mark_exposed_routes(check, by)
    return check


@transaction.atomic
def digital_check_update(*, check: DigitalSafetyCheck, data: dict, by) -> DigitalSafetyCheck:
    require_open(check.case)
    _check_stalkerware_decision(data)
    known = frozenset(check.unsafe_routes)
    # The status is stamped from the tick box, not copied: it is not an editable field.
    completed = _stamp_check(check, bool(data.get("complete")))
    _, changed = record_update(
        obj=check,
        fields=DigitalSafetyCheck.EDITABLE_FIELDS,
        data=data,
        reason=changes_listed,
        version=data.get("version", UNCHECKED),
        by=by,
        save_unchanged=True,
    )
    case_record_event(
        case=check.case,
        kind=events.DIGITAL_CHECK_COMPLETED if completed else events.DIGITAL_CHECK_UPDATED,
        by=by,
        summary=f"Check {check.number} ({check.get_status_display().lower()})",
        data={"check": check.pk, "changed": changed},
    )
    _mark_exposed_routes(check, by, known=known)
    return check


@transaction.atomic
def digital_finding_add_to_plan(*, check: DigitalSafetyCheck, code: str, by) -> SafetyAction:
    """One click: turn a finding of the check into an action on the safety plan."""
    finding = next((f for f in digital_check_findings(check) if f.code == code), None)
    if finding is None:
        raise DomainError(FINDING_NOT_FOUND)
    if check.plan_actions.filter(source_finding=code).exists():
        raise DomainError(FINDING_ALREADY_ON_PLAN)
    return safety_action_add(
        case=check.case,
        data={
            "section": finding.section,
            "description": finding.text,
            "owner": "caseworker",
            "status": ActionStatus.TO_DO,
            "client_may_take_copy": False,
        },
        by=by,
        source_check=check,
        source_finding=code,
    )
