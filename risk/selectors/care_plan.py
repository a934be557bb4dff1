"""Reads for needs assessments and the care plan, reached through a case the user may see."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from ..models.care_plan import CareGoal, GoalProgressNote, NeedsAssessment, NeedScore


def needs_assessment_latest(*, case) -> NeedsAssessment | None:
    return (
        NeedsAssessment.objects.filter(case=case)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("scores", queryset=NeedScore.objects.order_by("id")))
        .order_by("-assessed_on", "-id")
        .first()
    )


def needs_assessments_for_case(*, case) -> QuerySet[NeedsAssessment]:
    return NeedsAssessment.objects.filter(case=case).select_related("assessed_by")


def care_goals_for_case(*, case) -> QuerySet[CareGoal]:
    return (
        CareGoal.objects.filter(case=case)
        .select_related("created_by")
        .annotate(progress_count=Count("progress_notes"))
        .prefetch_related(
            Prefetch(
                "progress_notes",
                queryset=GoalProgressNote.objects.select_related("by").order_by("-written_at"),
            )
        )
        .order_by("status", "review_on", "id")
    )


def care_goal_get(*, case, pk) -> CareGoal:
    try:
        return CareGoal.objects.get(case=case, pk=pk)
    except (CareGoal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
