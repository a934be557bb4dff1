"""Writes for safety plans, care plans, interventions, group work and digital safety.
Each is atomic, keyword-only and records a case event."""

from . import plan_events as events  # noqa: I001 - registers the event kinds first

import re
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from stalkingservice.domain import DomainError, bump_version, check_version
from cases.statuses import CaseStatus
from stalkingservice.audit import audit_record
from stalkingservice.models import AuditEvent

from .models import (
    ActionStatus,
    CareGoal,
    DigitalSafetyCheck,
    GoalProgressNote,
    GroupAttendance,
    GroupMember,
    GroupProgramme,
    GroupSession,
    NeedDomain,
    NeedsAssessment,
    NeedScore,
    OneToOneSession,
    SafetyAction,
    SafetyPlan,
    SafetyPlanVersion,
    SessionStatus,
)
from .models.planning import CLIENT_OWNER_WORDS, CLIENT_SECTION_HEADINGS
from .plan_selectors import digital_check_findings, preferred_name, safety_plan_sections

CASE_CLOSED = "This case is closed. Open a new episode to record more work."
NO_ACTIONS_TO_AGREE = "Add at least one action before agreeing the safety plan with the client."
STALKERWARE_DECISION_REQUIRED = (
    "Stalkerware was found: record the decision on removing it and who agreed it. "
    "Removing it can alert the person stalking and raise the risk."
)
FINDING_ALREADY_ON_PLAN = "That finding is already on the safety plan."
FINDING_NOT_FOUND = "That finding is not part of this check any more."
DELIVERED_IN_FUTURE = "A delivered session cannot be dated in the future."
ALREADY_ENROLLED = "This client is already on that group."
PROGRAMME_CLOSED = "That group is not taking new members."
ATTENDANCE_IN_FUTURE = "Attendance can only be recorded for a session that has happened."
NOT_A_MEMBER = "Attendance can only be recorded for members of the group."
REDACTED = "[removed for your safety]"

SAFETY_ACTION_FIELDS = (
    "section",
    "description",
    "owner",
    "owner_detail",
    "due_on",
    "status",
    "client_may_take_copy",
)
CARE_GOAL_FIELDS = ("domain", "goal", "planned_interventions", "review_on", "status")
SESSION_FIELDS = ("session_type", "session_date", "duration_minutes", "mode", "status", "notes")
GROUP_SESSION_FIELDS = ("session_date", "topic", "duration_minutes", "status")
DIGITAL_CHECK_FIELDS = tuple(
    f.name
    for f in DigitalSafetyCheck._meta.concrete_fields
    if f.name
    not in {
        "id",
        "case",
        "number",
        "checked_by",
        "status",
        "completed_at",
        "version",
        "created_at",
        "updated_at",
    }
)


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise DomainError(CASE_CLOSED)


def _apply(obj, data: dict, fields) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


# ---- safety plan -------------------------------------------------------------------


def _plan_for(case: Case, by) -> SafetyPlan:
    plan, _ = SafetyPlan.objects.get_or_create(case=case, defaults={"created_by": by})
    return plan


def _mark_plan_changed(plan: SafetyPlan) -> None:
    plan.refresh_from_db(fields=["status"])
    if plan.status == SafetyPlan.Status.AGREED:
        plan.status = SafetyPlan.Status.CHANGED
        plan._change_reason = "Changed since last agreed"
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
    _require_open(case)
    plan = _plan_for(case, by)
    action = SafetyAction(plan=plan, created_by=by, source_check=source_check)
    action.source_finding = source_finding
    _apply(action, data, SAFETY_ACTION_FIELDS)
    _stamp_completion(action)
    action._change_reason = "Action added"
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
    _require_open(case)
    check_version(action, data.get("version"))
    changed = _apply(action, data, SAFETY_ACTION_FIELDS)
    _stamp_completion(action)
    bump_version(action)
    action._change_reason = "Changed: " + (", ".join(changed) or "nothing")
    action.save()
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
    _require_open(case)
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
    plan._change_reason = f"Version {plan.plan_version} agreed"
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


# ---- needs and care plan -----------------------------------------------------------


@transaction.atomic
def needs_assessment_record(
    *, case: Case, assessed_on: date, ratings: dict[str, tuple[str, str]], notes: str = "", by
) -> NeedsAssessment:
    """Record a needs assessment: a rating (and optional comment) for every domain."""
    _require_open(case)
    assessment = NeedsAssessment(case=case, assessed_on=assessed_on, assessed_by=by, notes=notes)
    assessment._change_reason = "Needs assessed"
    assessment.save()
    NeedScore.objects.bulk_create(
        NeedScore(assessment=assessment, domain=d, rating=ratings[d][0], comment=ratings[d][1])
        for d in NeedDomain.values
    )
    high = [NeedDomain(d).label for d in NeedDomain.values if ratings[d][0] == "high"]
    case_record_event(
        case=case,
        kind=events.NEEDS_ASSESSED,
        by=by,
        summary="High needs: " + ", ".join(high) if high else "No high needs",
        data={"assessment": assessment.pk},
    )
    return assessment


def _stamp_goal(goal: CareGoal) -> None:
    if goal.status == CareGoal.Status.OPEN:
        goal.closed_on = None
    elif goal.closed_on is None:
        goal.closed_on = timezone.localdate()


@transaction.atomic
def care_goal_add(*, case: Case, data: dict, by) -> CareGoal:
    _require_open(case)
    goal = CareGoal(case=case, created_by=by)
    _apply(goal, data, CARE_GOAL_FIELDS)
    _stamp_goal(goal)
    goal._change_reason = "Goal added"
    goal.save()
    case_record_event(
        case=case,
        kind=events.CARE_GOAL_ADDED,
        by=by,
        summary=f"{goal.get_domain_display()}: {goal.goal}",
        data={"goal": goal.pk},
    )
    return goal


@transaction.atomic
def care_goal_update(*, goal: CareGoal, data: dict, by) -> CareGoal:
    _require_open(goal.case)
    check_version(goal, data.get("version"))
    changed = _apply(goal, data, CARE_GOAL_FIELDS)
    _stamp_goal(goal)
    bump_version(goal)
    goal._change_reason = "Changed: " + (", ".join(changed) or "nothing")
    goal.save()
    case_record_event(
        case=goal.case,
        kind=events.CARE_GOAL_UPDATED,
        by=by,
        summary=f"{goal.goal} ({goal.get_status_display().lower()})",
        data={"goal": goal.pk, "changed": changed},
    )
    return goal


@transaction.atomic
def care_goal_progress_add(*, goal: CareGoal, note: str, by) -> GoalProgressNote:
    _require_open(goal.case)
    entry = GoalProgressNote(goal=goal, note=note, by=by)
    entry._change_reason = "Progress note"
    entry.save()
    case_record_event(
        case=goal.case,
        kind=events.CARE_GOAL_PROGRESS,
        by=by,
        summary=f"{goal.goal}: {note}",
        data={"goal": goal.pk},
    )
    return entry


# ---- one-to-one sessions -----------------------------------------------------------


def _check_session_date(data: dict) -> None:
    if (
        data.get("status") == SessionStatus.DELIVERED
        and data.get("session_date")
        and data["session_date"] > timezone.localdate()
    ):
        raise DomainError(DELIVERED_IN_FUTURE)


@transaction.atomic
def session_record(*, case: Case, data: dict, by) -> OneToOneSession:
    _require_open(case)
    _check_session_date(data)
    session = OneToOneSession(case=case, worker=by)
    _apply(session, data, SESSION_FIELDS)
    session._change_reason = "Session recorded"
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
    _require_open(session.case)
    _check_session_date(data)
    check_version(session, data.get("version"))
    changed = _apply(session, data, SESSION_FIELDS)
    bump_version(session)
    session._change_reason = "Changed: " + (", ".join(changed) or "nothing")
    session.save()
    case_record_event(
        case=session.case,
        kind=events.SESSION_UPDATED,
        by=by,
        summary=f"{session.get_session_type_display()} ({session.get_status_display().lower()})",
        data={"session": session.pk, "changed": changed},
    )
    return session


# ---- group work --------------------------------------------------------------------


@transaction.atomic
def group_programme_create(
    *,
    name: str,
    kind: str,
    starts_on: date,
    facilitators,
    description: str = "",
    by,
) -> GroupProgramme:
    """Set up a group programme (managers) and name the staff who facilitate it."""
    if GroupProgramme.objects.filter(name__iexact=name).exists():
        raise DomainError("There is already a group with that name.")
    programme = GroupProgramme(
        name=name, kind=kind, starts_on=starts_on, description=description, created_by=by
    )
    programme._change_reason = "Programme created"
    programme.save()
    programme.facilitators.set(facilitators)
    return programme


@transaction.atomic
def group_programme_update(*, programme: GroupProgramme, data: dict, by) -> GroupProgramme:
    check_version(programme, data.get("version"))
    clash = GroupProgramme.objects.filter(name__iexact=data["name"]).exclude(pk=programme.pk)
    if clash.exists():
        raise DomainError("There is already a group with that name.")
    _apply(programme, data, ("name", "kind", "starts_on", "description", "active"))
    bump_version(programme)
    programme._change_reason = "Programme changed"
    programme.save()
    programme.facilitators.set(data["facilitators"])
    return programme


@transaction.atomic
def group_enrol(*, case: Case, programme: GroupProgramme, by) -> GroupMember:
    _require_open(case)
    if not programme.active:
        raise DomainError(PROGRAMME_CLOSED)
    if GroupMember.objects.filter(case=case, programme=programme).exists():
        raise DomainError(ALREADY_ENROLLED)
    member = GroupMember(case=case, programme=programme, enrolled_by=by)
    member._change_reason = "Enrolled"
    member.save()
    case_record_event(
        case=case,
        kind=events.GROUP_ENROLLED,
        by=by,
        summary=programme.name,
        data={"programme": programme.pk},
    )
    return member


@transaction.atomic
def group_session_add(*, programme: GroupProgramme, data: dict, by) -> GroupSession:
    _check_session_date(data)
    session = GroupSession(programme=programme)
    _apply(session, data, GROUP_SESSION_FIELDS)
    session._change_reason = "Session added"
    session.save()
    return session


@transaction.atomic
def group_attendance_record(*, session: GroupSession, marks: dict[int, str], by) -> GroupSession:
    """Record the register: attended, apologies or did not attend for each member. The
    session becomes delivered. Each member's case timeline gets the entry."""
    if session.session_date > timezone.localdate():
        raise DomainError(ATTENDANCE_IN_FUTURE)
    members = set(session.programme.members.values_list("case_id", flat=True))
    if not set(marks) <= members:
        raise DomainError(NOT_A_MEMBER)
    existing = {a.case_id: a for a in session.attendance.all()}
    labels = dict(GroupAttendance.Status.choices)
    changed_cases = []
    for case_id, status in marks.items():
        row = existing.get(case_id)
        if not status:
            if row is not None:
                row._change_reason = "Removed from register"
                row.delete()
                changed_cases.append((case_id, "not recorded"))
            continue
        if row is None:
            row = GroupAttendance(session=session, case_id=case_id, recorded_by=by)
        elif row.status == status:
            continue
        row.status = status
        row.recorded_by = by
        row.recorded_at = timezone.now()
        row._change_reason = "Register"
        row.save()
        changed_cases.append((case_id, labels[status].lower()))
    if session.status != SessionStatus.DELIVERED:
        session.status = SessionStatus.DELIVERED
        bump_version(session)
        session._change_reason = "Register taken"
        session.save()
    cases = Case.objects.in_bulk([c for c, _ in changed_cases])
    for case_id, label in changed_cases:
        case_record_event(
            case=cases[case_id],
            kind=events.GROUP_ATTENDANCE,
            by=by,
            summary=f"{session.programme.name}, {session.session_date:%d/%m/%Y}: {label}",
            data={"group_session": session.pk},
        )
    return session


# ---- digital safety ----------------------------------------------------------------


def _check_stalkerware_decision(data: dict) -> None:
    if data.get("stalkerware") == DigitalSafetyCheck.Stalkerware.FOUND and not (
        data.get("stalkerware_decision")
        and (data.get("stalkerware_decision_agreed_by") or "").strip()
    ):
        raise DomainError(STALKERWARE_DECISION_REQUIRED)


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
    _require_open(case)
    _check_stalkerware_decision(data)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    number = (case.digital_checks.aggregate(n=Max("number"))["n"] or 0) + 1
    check = DigitalSafetyCheck(case=case, number=number, checked_by=by)
    _apply(check, data, DIGITAL_CHECK_FIELDS)
    completed = _stamp_check(check, bool(data.get("complete")))
    check._change_reason = "Check recorded"
    check.save()
    case_record_event(
        case=case,
        kind=events.DIGITAL_CHECK_COMPLETED if completed else events.DIGITAL_CHECK_RECORDED,
        by=by,
        summary=f"Check {number} ({check.get_status_display().lower()}), stalkerware: "
        f"{check.get_stalkerware_display().lower()}",
        data={"check": check.pk},
    )
    return check


@transaction.atomic
def digital_check_update(*, check: DigitalSafetyCheck, data: dict, by) -> DigitalSafetyCheck:
    _require_open(check.case)
    _check_stalkerware_decision(data)
    check_version(check, data.get("version"))
    changed = _apply(check, data, DIGITAL_CHECK_FIELDS)
    completed = _stamp_check(check, bool(data.get("complete")))
    bump_version(check)
    check._change_reason = "Changed: " + (", ".join(changed) or "nothing")
    check.save()
    case_record_event(
        case=check.case,
        kind=events.DIGITAL_CHECK_COMPLETED if completed else events.DIGITAL_CHECK_UPDATED,
        by=by,
        summary=f"Check {check.number} ({check.get_status_display().lower()})",
        data={"check": check.pk, "changed": changed},
    )
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
