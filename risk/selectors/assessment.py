"""Reads for risk assessments, the level history chart, MARAC prompts and risk reviews,
scoped through the case the user may see."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.statuses import OPEN_STATUSES, RiskLevel

from ..models.assessment import MaracReferral, RiskAssessment
from ..models.incidents import Incident
from ..models.tools import RiskTool


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def months_after(day: datetime.date, months: int) -> datetime.date:
    return months_before(day, -months)


def assessments_for_case(*, case: Case) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(case=case)
        .select_related("tool", "assessor")
        .order_by("-assessed_on", "-id")
    )


def assessment_get(*, case: Case, pk) -> RiskAssessment:
    try:
        return RiskAssessment.objects.select_related("tool", "assessor").get(case=case, pk=pk)
    except (RiskAssessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def assessment_answers(*, assessment: RiskAssessment) -> dict[int, tuple[str, str]]:
    return {a.item_id: (a.answer, a.comment) for a in assessment.answers.all()}


@dataclass
class ChartPoint:
    x: float
    y: float
    level: str
    label: str
    on: datetime.date


LEVEL_Y: dict[str, int] = {RiskLevel.HIGH: 20, RiskLevel.MEDIUM: 60, RiskLevel.STANDARD: 100}


def risk_history(*, case: Case) -> list[RiskAssessment]:
    return list(
        RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.COMPLETE)
        .exclude(final_level="")
        .select_related("tool")
        .order_by("assessed_on", "completed_at", "id")
    )


def risk_chart(*, history: list[RiskAssessment], width: int = 480) -> dict | None:
    """Coordinates for a small step chart of levels over time (drawn as SVG in the
    template, no JavaScript)."""
    if not history:
        return None
    left, right = 90, width - 20
    first, last = history[0].assessed_on, history[-1].assessed_on
    span = max((last - first).days, 1)
    points = []
    for index, a in enumerate(history):
        if len(history) == 1:
            x = (left + right) / 2
        elif first == last:
            x = left + (right - left) * index / (len(history) - 1)
        else:
            x = left + (right - left) * (a.assessed_on - first).days / span
        points.append(
            ChartPoint(
                x=round(x, 1),
                y=LEVEL_Y[a.final_level],
                level=a.final_level,
                label=f"{a.assessed_on:%-d %b %Y}: {RiskLevel(a.final_level).label} ({a.tool.name})",
                on=a.assessed_on,
            )
        )
    steps = []
    for prev, point in zip(points, points[1:], strict=False):
        steps.append(f"{prev.x},{prev.y} {point.x},{prev.y} {point.x},{point.y}")
    polyline = " ".join([f"{points[0].x},{points[0].y}", *steps])
    return {
        "width": width,
        "height": 130,
        "points": points,
        "polyline": polyline,
        "levels": [(RiskLevel(k).label, v) for k, v in LEVEL_Y.items()],
        "first": first,
        "last": last,
        "axis_left": left,
        "axis_right": right,
    }


# ---- MARAC ---------------------------------------------------------------------------


@dataclass
class MaracPrompt:
    code: str
    label: str
    explanation: str


def marac_referrals_for_case(*, case: Case) -> QuerySet[MaracReferral]:
    return MaracReferral.objects.filter(case=case).select_related("referred_by")


def marac_get(*, case: Case, pk) -> MaracReferral:
    try:
        return MaracReferral.objects.get(case=case, pk=pk)
    except (MaracReferral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def marac_prompts(*, case: Case, today: datetime.date | None = None) -> list[MaracPrompt]:
    """Which MARAC referral routes the records on this case meet (DOMAIN 4)."""
    today = today or timezone.localdate()
    prompts = []
    latest = (
        RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.COMPLETE)
        .exclude(final_level="")
        .select_related("tool")
        .order_by("-assessed_on", "-completed_at", "-id")
        .first()
    )
    if latest is not None:
        tool = latest.tool
        dash_high = (
            latest.score is not None
            and tool.high_from is not None
            and latest.score >= tool.high_from
            and (tool.scoring == RiskTool.Scoring.BANDED or latest.received_tool == "DASH")
        )
        if dash_high:
            prompts.append(
                MaracPrompt(
                    "visible_high_risk",
                    "Visible high risk",
                    f"The latest {tool.name} scored {latest.score} ({tool.high_from} or more).",
                )
            )
        elif latest.final_level == RiskLevel.HIGH:
            prompts.append(
                MaracPrompt(
                    "professional_judgement",
                    "Professional judgement",
                    "The latest assessment's level is high by the assessor's judgement.",
                )
            )
    window_start = months_before(today, settings.MARAC_ESCALATION_MONTHS)
    incident_dates = [
        timezone.localtime(at).date()
        for at in Incident.objects.filter(case=case).values_list("occurred_at", flat=True)
    ]
    recent = [d for d in incident_dates if window_start <= d <= today]
    needed = settings.MARAC_ESCALATION_INCIDENTS
    if len(recent) >= needed:
        prompts.append(
            MaracPrompt(
                "potential_escalation",
                "Potential escalation",
                f"{len(recent)} incidents logged in the last {settings.MARAC_ESCALATION_MONTHS} "
                f"months ({needed} or more).",
            )
        )
    last_referral = MaracReferral.objects.filter(case=case).order_by("-referred_on", "-id").first()
    if last_referral is not None:
        until = months_after(last_referral.referred_on, settings.MARAC_REPEAT_MONTHS)
        repeats = [d for d in incident_dates if last_referral.referred_on < d <= until]
        if repeats:
            prompts.append(
                MaracPrompt(
                    "repeat",
                    "Repeat",
                    f"A new incident on {max(repeats):%-d %B %Y} is within "
                    f"{settings.MARAC_REPEAT_MONTHS} months of the last MARAC referral "
                    f"({last_referral.referred_on:%-d %B %Y}).",
                )
            )
    return prompts


# ---- reviews -------------------------------------------------------------------------


@dataclass
class ReviewStatus:
    due: datetime.date | None
    overdue: bool
    due_soon: bool
    days: int | None


def review_status(*, case: Case, today: datetime.date | None = None) -> ReviewStatus:
    today = today or timezone.localdate()
    due = case.next_review_due
    if due is None:
        return ReviewStatus(None, False, False, None)
    days = (due - today).days
    return ReviewStatus(due, days < 0, 0 <= days <= 7, days)


def high_risk_cases_needing_review(*, today: datetime.date | None = None) -> QuerySet[Case]:
    """Open high-risk cases whose review is due or overdue (or never set)."""
    today = today or timezone.localdate()
    return (
        Case.objects.filter(risk_level=RiskLevel.HIGH, status__in=OPEN_STATUSES)
        .filter(Q(next_review_due__isnull=True) | Q(next_review_due__lte=today))
        .select_related("client", "allocated_to")
        .order_by("next_review_due", "reference")
    )
