"""Writes for needs assessments and the care plan. Each is atomic, keyword-only and
records a case event."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from stalkingservice.domain import UNCHECKED
from stalkingservice.history import set_history_reason
from stalkingservice.updates import record_update, set_fields

from .. import events
from ..models.care_plan import CareGoal, GoalProgressNote, NeedDomain, NeedsAssessment, NeedScore
from .common import changes_listed, require_open


@transaction.atomic
def needs_assessment_record(
    *, case: Case, assessed_on: date, ratings: dict[str, tuple[str, str]], notes: str = "", by
) -> NeedsAssessment:
    """Record a needs assessment: a rating (and optional comment) for every domain."""
    require_open(case)
    assessment = NeedsAssessment(case=case, assessed_on=assessed_on, assessed_by=by, notes=notes)
    set_history_reason(assessment, "Needs assessed")
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
    require_open(case)
    goal = CareGoal(case=case, created_by=by)
    set_fields(goal, fields=CareGoal.EDITABLE_FIELDS, data=data)
    _stamp_goal(goal)
    set_history_reason(goal, "Goal added")
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
    require_open(goal.case)
    _, changed = record_update(
        obj=goal,
        fields=CareGoal.EDITABLE_FIELDS,
        data=data,
        reason=changes_listed,
        before_save=_stamp_goal,
        version=data.get("version", UNCHECKED),
        by=by,
        save_unchanged=True,
    )
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
    require_open(goal.case)
    entry = GoalProgressNote(goal=goal, note=note, by=by)
    set_history_reason(entry, "Progress note")
    entry.save()
    case_record_event(
        case=goal.case,
        kind=events.CARE_GOAL_PROGRESS,
        by=by,
        summary=f"{goal.goal}: {note}",
        data={"goal": goal.pk},
    )
    return entry
