"""Writes for the safety plan: actions, agreeing a version with the client, and the
client's own copy. Each is atomic, keyword-only and records a case event."""

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from stalkingservice.audit import audit_record
from stalkingservice.domain import UNCHECKED, DomainError, bump_version
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent
from stalkingservice.pdf import render_pdf
from stalkingservice.updates import record_update, set_fields

from .. import events
from ..models.safety_plan import (
    CLIENT_OWNER_WORDS,
    CLIENT_SECTION_HEADINGS,
    ActionStatus,
    SafetyAction,
    SafetyPlan,
    SafetyPlanVersion,
)
from ..selectors.groups import preferred_name
from ..selectors.safety_plan import safety_plan_sections
from .common import changes_listed, require_open

NO_ACTIONS_TO_AGREE = "Add at least one action before agreeing the safety plan with the client."
REDACTED = "[removed for your safety]"
CLIENT_COPY_TITLE = "My safety plan"
NATIONAL_STALKING_HELPLINE = "0808 802 0300"


def _plan_for(case: Case, by) -> SafetyPlan:
    plan, _ = SafetyPlan.objects.get_or_create(case=case, defaults={"created_by": by})
    return plan


def _mark_plan_changed(plan: SafetyPlan) -> None:
    plan.refresh_from_db(fields=["status"])
    if plan.status == SafetyPlan.Status.AGREED:
        plan.status = SafetyPlan.Status.CHANGED
        set_history_reason(plan, "Changed since last agreed")
        plan.save(update_fields=["status", "updated_at"])


def _stamp_completion(action: SafetyAction) -> None:
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = timezone.localdate()
    elif action.status != ActionStatus.DONE:
        action.completed_on = None


@transaction.atomic
def safety_action_add(
    *, case: Case, data: dict, by, source_check=None, source_finding: str = ""
) -> SafetyAction:
    """Add an agreed action to a section of the case's safety plan (creating the plan)."""
    require_open(case)
    plan = _plan_for(case, by)
    action = SafetyAction(plan=plan, created_by=by, source_check=source_check)
    action.source_finding = source_finding
    set_fields(action, fields=SafetyAction.EDITABLE_FIELDS, data=data)
    _stamp_completion(action)
    set_history_reason(action, "Action added")
    action.save()
    _mark_plan_changed(plan)
    case_record_event(
        case=case,
        kind=events.SAFETY_ACTION_ADDED,
        by=by,
        summary=f"{action.get_section_display()}: {action.description}",
        data={"action": action.pk},
    )
    return action


@transaction.atomic
def safety_action_update(*, action: SafetyAction, data: dict, by) -> SafetyAction:
    case = action.plan.case
    require_open(case)
    _, changed = record_update(
        obj=action,
        fields=SafetyAction.EDITABLE_FIELDS,
        data=data,
        reason=changes_listed,
        before_save=_stamp_completion,
        version=data.get("version", UNCHECKED),
        by=by,
        save_unchanged=True,
    )
    if changed:
        _mark_plan_changed(action.plan)
    case_record_event(
        case=case,
        kind=events.SAFETY_ACTION_UPDATED,
        by=by,
        summary=f"{action.description} ({action.get_status_display().lower()})",
        data={"action": action.pk, "changed": changed},
    )
    return action


def _snapshot(plan: SafetyPlan) -> list[dict]:
    return [
        {
            "section": a.section,
            "section_label": a.get_section_display(),
            "description": a.description,
            "owner": a.get_owner_display(),
            "owner_detail": a.owner_detail,
            "due_on": a.due_on.isoformat() if a.due_on else "",
            "status": a.get_status_display(),
            "client_may_take_copy": a.client_may_take_copy,
        }
        for a in plan.actions.order_by("section", "due_on", "id")
    ]


@transaction.atomic
def safety_plan_agree(
    *, case: Case, next_review_on: date | None, review_note: str = "", by
) -> SafetyPlan:
    """The plan as it stands was gone through and agreed with the client: bump the plan
    version, keep a frozen copy and set the next review date."""
    require_open(case)
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    if plan is None or not plan.actions.exists():
        raise DomainError(NO_ACTIONS_TO_AGREE)
    now = timezone.now()
    plan.plan_version += 1
    plan.status = SafetyPlan.Status.AGREED
    plan.agreed_at = now
    plan.first_agreed_at = plan.first_agreed_at or now
    plan.agreed_by = by
    plan.next_review_on = next_review_on
    bump_version(plan)
    set_history_reason(plan, f"Version {plan.plan_version} agreed")
    plan.save()
    SafetyPlanVersion.objects.create(
        plan=plan,
        number=plan.plan_version,
        agreed_at=now,
        agreed_by=by,
        review_note=review_note,
        snapshot=_snapshot(plan),
    )
    case_record_event(
        case=case,
        kind=events.SAFETY_PLAN_AGREED,
        by=by,
        summary=f"Version {plan.plan_version} agreed",
        data={"plan_version": plan.plan_version},
    )
    return plan


# The fields that hold what must never be on a copy the client carries (it may be found
# by the person stalking them): where the value is held on the client, and what kind of
# value it is. The copy prints none of these fields; where a worker typed one of their
# values into an action, the value is removed as a whole (see `client_copy_redactor`).
CLIENT_COPY_REDACTED_FIELDS = (
    ("address", "address"),
    ("safe_contact.postal_address", "address"),
    ("safe_contact.safe_phone", "phone"),
    ("safe_contact.email", "email"),
    ("safe_contact.code_word", "code_word"),
)

# Between the digits of a phone number as people write it: spaces, dashes, brackets, dots.
_PHONE_GAP = r"[\s\-().]*"
# A UK postcode inside an address line ("ST16 3AB", "st163ab").
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![A-Za-z0-9])"
)
# A house number or flat before the street ("14 ", "14a ", "Flat 3, 14 ").
_HOUSE_NUMBER = re.compile(r"^(?:(?:flat|apartment|apt|unit)\s+\w+\s+)?\d+[a-z]?\s+", re.I)


def _held_values(case: Case) -> list[tuple[str, str]]:
    """(kind, value) for each redacted field of the client that holds something."""
    values = []
    for path, kind in CLIENT_COPY_REDACTED_FIELDS:
        obj: Any = case.client
        for name in path.split("."):
            obj = getattr(obj, name, None)
            if obj is None:
                break
        if isinstance(obj, str) and obj.strip():
            values.append((kind, obj.strip()))
    return values


def _phrase(text: str) -> str:
    """The words of a value, whole: never inside a longer word ("Stafford" is not in
    "Staffordshire", "Rose" is not in "Primrose"), however it is spaced or cased."""
    words = text.split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


def _address_patterns(address: str) -> list[tuple[int, str]]:
    """Each line of the address as a whole, the street without its house number, the
    postcode however it is spaced, and the town without the postcode."""
    found: dict[str, str] = {}
    for line in re.split(r"[\n,;]", address):
        line = " ".join(line.split())
        candidates = [line, _HOUSE_NUMBER.sub("", line)]
        postcode = _POSTCODE.search(line)
        if postcode:
            outward, inward = postcode.groups()
            found[f"{outward} {inward}".lower()] = (
                r"(?<![A-Za-z0-9])"
                + re.escape(outward)
                + r"\s*"
                + re.escape(inward)
                + r"(?![A-Za-z0-9])"
            )
            candidates.append(" ".join(_POSTCODE.sub(" ", line).split()))
        for candidate in candidates:
            # Too short to be anything but noise on its own ("12", "UK").
            if sum(c.isalnum() for c in candidate) >= 4:
                found.setdefault(candidate.lower(), _phrase(candidate))
    return [(len(key), pattern) for key, pattern in found.items()]


def _phone_patterns(phone: str) -> list[tuple[int, str]]:
    """The number's digits in order, however spaced or punctuated, written nationally
    (07700 900456) or internationally (+44 7700 900456, +44 (0)7700 900456); never a
    part of a longer run of digits."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return [(len(phone), _phrase(phone))]
    forms = {digits}
    if digits.startswith("0"):
        forms |= {"44" + digits[1:], "440" + digits[1:]}
    elif digits.startswith("44"):
        forms |= {"0" + digits[2:], "440" + digits[2:]}
    return [(len(form), r"(?<!\d)\+?" + _PHONE_GAP.join(form) + r"(?!\d)") for form in forms]


def _email_pattern(email: str) -> list[tuple[int, str]]:
    """The whole address, never part of a longer one."""
    return [(len(email), r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-]|\.[\w-])")]


_PATTERNS_BY_KIND = {
    "address": _address_patterns,
    "phone": _phone_patterns,
    "email": _email_pattern,
    "code_word": lambda word: [(len(word), _phrase(word))],
}


def client_copy_redactor(values: list[tuple[str, str]]):
    """A function that removes each of the client's held values from a text, each value
    matched as a whole (by the kind of field it came from), never a piece of a word.
    Longer values are tried first, so a whole address line goes as one."""
    patterns = [p for kind, value in values for p in _PATTERNS_BY_KIND[kind](value)]
    if not patterns:
        return lambda text: text or ""
    patterns.sort(key=lambda p: -p[0])
    regex = re.compile("|".join(f"(?:{p})" for _, p in patterns), re.IGNORECASE)
    return lambda text: regex.sub(REDACTED, text or "")


def _police_details(case: Case, redact) -> list[dict]:
    """The officer in the case and the crime reference of each crime report."""
    return [
        {
            "force": redact(i.force),
            "officer": redact(
                " ".join(
                    part
                    for part in (
                        i.officer_name,
                        f"(collar number {i.officer_collar_number})"
                        if i.officer_collar_number
                        else "",
                    )
                    if part
                )
            ),
            "contact": redact(i.officer_contact),
            "crime_reference": redact(i.crime_reference),
        }
        for i in case.investigations.order_by("-reported_on", "-id")
    ]


def safety_plan_client_copy_context(*, case: Case) -> dict:
    plan = SafetyPlan.objects.filter(case=case).first()
    redact = client_copy_redactor(_held_values(case))
    sections = []
    for section in safety_plan_sections(plan=plan):
        actions = [
            {
                "who": (
                    redact(a.owner_detail)
                    if a.owner == "agency" and a.owner_detail
                    else CLIENT_OWNER_WORDS[a.owner]
                ),
                "what": redact(a.description),
                "by": a.due_on,
                "done": a.status == ActionStatus.DONE,
            }
            for a in section["actions"]
            if a.client_may_take_copy and a.status != ActionStatus.NOT_NEEDED
        ]
        if actions:
            sections.append(
                {"heading": CLIENT_SECTION_HEADINGS[section["code"]], "actions": actions}
            )
    worker = case.allocated_to
    police_consent = bool(plan and plan.police_details_on_copy)
    return {
        "name": preferred_name(case.client),
        "sections": sections,
        "plan_version": plan.plan_version if plan else 0,
        "agreed_at": plan.agreed_at if plan else None,
        "made_on": timezone.localdate(),
        "worker_name": worker.first_name if worker else "",
        "service_name": settings.SERVICE_NAME,
        "service_phone": settings.SERVICE_PHONE,
        "helpline_phone": NATIONAL_STALKING_HELPLINE,
        "police": _police_details(case, redact) if police_consent else [],
    }


@transaction.atomic
def safety_plan_copy_consent_set(*, case: Case, police_details_on_copy: bool, by) -> SafetyPlan:
    """Record what the client agreed may go on their copy beyond the actions: the police
    officer and crime reference (off until the client says yes)."""
    require_open(case)
    plan = _plan_for(case, by)
    _, changed = record_update(
        obj=plan,
        fields=SafetyPlan.COPY_CONSENT_FIELDS,
        data={"police_details_on_copy": police_details_on_copy},
        reason="Client's copy: consent to police details "
        + ("given" if police_details_on_copy else "withdrawn"),
        by=by,
    )
    if changed:
        case_record_event(
            case=case,
            kind=events.SAFETY_PLAN_COPY_CONSENT,
            by=by,
            summary=(
                "The client agreed to have the police officer and crime reference on their copy"
                if police_details_on_copy
                else "Police officer and crime reference taken off the client's copy"
            ),
            data={"police_details_on_copy": police_details_on_copy},
        )
    return plan


@transaction.atomic
def safety_plan_client_copy(*, case: Case, by, request=None) -> bytes:
    """Make the client's own copy of the plan as a tagged PDF, in plain words, with only
    the actions the client agreed to take away and who to call. Logged as an export."""
    context = safety_plan_client_copy_context(case=case)
    html = render_to_string("risk/safety_client_copy.html", context)
    pdf = render_pdf(html, title=CLIENT_COPY_TITLE)
    count = sum(len(s["actions"]) for s in context["sections"])
    detail = f"Safety plan client copy (version {context['plan_version']}, {count} actions)"
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=by,
        request=request,
        case_id=case.pk,
        detail=detail,
    )
    case_record_event(
        case=case,
        kind=events.SAFETY_PLAN_CLIENT_COPY,
        by=by,
        summary=detail,
        data={"plan_version": context["plan_version"], "actions": count},
    )
    return pdf
