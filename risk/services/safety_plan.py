"""Writes for the safety plan: actions, agreeing a version with the client, and the
client's own copy. Each is atomic, keyword-only and records a case event."""

import re
from datetime import date

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError, bump_version
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent
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
        version=data.get("version"),
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


def _secrets_of(case: Case) -> list[str]:
    """The client's address and safe-contact details, which must never appear on a copy
    the client carries (it may be found by the person stalking them)."""
    client = case.client
    values = [client.address]
    contact = getattr(client, "safe_contact", None)
    if contact is not None:
        values += [contact.safe_phone, contact.email, contact.postal_address, contact.code_word]
    secrets = []
    for value in values:
        for part in re.split(r"[\n,]", value or ""):
            part = part.strip()
            if len(part) >= 4:
                secrets.append(part)
    return secrets


def _redactor(secrets: list[str]):
    patterns = []
    for secret in secrets:
        digits = re.sub(r"\D", "", secret)
        if len(digits) >= 6 and len(digits) >= len(secret.replace(" ", "")) - 2:
            # A phone number: match it however it is spaced or punctuated.
            patterns.append(r"[\s\-()]*".join(re.escape(d) for d in digits))
        else:
            patterns.append(r"\s+".join(re.escape(w) for w in secret.split()))
    if not patterns:
        return lambda text: text
    regex = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    return lambda text: regex.sub(REDACTED, text or "")


def safety_plan_client_copy_context(*, case: Case) -> dict:
    plan = SafetyPlan.objects.filter(case=case).first()
    redact = _redactor(_secrets_of(case))
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
    return {
        "name": preferred_name(case.client),
        "sections": sections,
        "plan_version": plan.plan_version if plan else 0,
        "agreed_at": plan.agreed_at if plan else None,
        "made_on": timezone.localdate(),
        "worker_name": worker.first_name if worker else "",
    }


@transaction.atomic
def safety_plan_client_copy(*, case: Case, by, request=None) -> bytes:
    """Make the client's own copy of the plan as a PDF, in plain words, with only the
    actions the client agreed to take away. Logged as an export."""
    from weasyprint import HTML

    context = safety_plan_client_copy_context(case=case)
    html = render_to_string("risk/safety_client_copy.html", context)
    pdf = HTML(string=html).write_pdf()
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
