"""Outcomes for clients and what is said of the service: the measures rated when support
began and when it ended, the clients whose ratings improved, satisfaction with the
service, compliments and complaints, and the awareness raising the service delivers."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum

from cases.models import (
    AwarenessSession,
    Feedback,
    OutcomeAnswer,
    OutcomeAssessment,
    OutcomeMeasure,
)
from cases.models_advocacy import ENTRY_MEASURES

from ..registry import COUNT, PERCENT, Period, Result, Row, indicator
from .common import breakdown, counts_by, on_days, share

# ---- outcomes for clients ----------------------------------------------------------------


def _exit_answers(p: Period):
    """Ratings (1 to 5) given at exit, for exit assessments recorded in the period."""
    return OutcomeAnswer.objects.filter(
        assessment__stage=OutcomeAssessment.Stage.EXIT,
        response=OutcomeAnswer.Response.RATED,
        **on_days("assessment__recorded_on", p),
    )


def _measured(p: Period):
    """Exit ratings of the measures asked at entry and exit, with the same client's entry
    rating for the same measure as `entry_rating`, where both were rated. One row per
    exit answer. The entry rating is looked up through the two unique keys (a case's
    entry assessment; an assessment's answer to a measure), so the plan stays a pair of
    index lookups per exit answer even on tables without planner statistics (freshly
    bulk-loaded demo or benchmark data)."""
    entry_assessment = (
        OutcomeAssessment.objects.filter(
            case_id=OuterRef(OuterRef("assessment__case_id")),
            stage=OutcomeAssessment.Stage.ENTRY,
        )
        .order_by()
        .values("pk")[:1]
    )
    entry_rating = (
        OutcomeAnswer.objects.filter(
            assessment_id=Subquery(entry_assessment),
            measure=OuterRef("measure"),
            response=OutcomeAnswer.Response.RATED,
        )
        .order_by()
        .values("rating")[:1]
    )
    return (
        _exit_answers(p)
        .filter(measure__in=[str(m) for m in ENTRY_MEASURES])
        .annotate(entry_rating=Subquery(entry_rating, output_field=IntegerField()))
        .filter(entry_rating__isnull=False)
    )


_IMPROVED = Q(rating__gt=F("entry_rating"))
_OUTCOME_RULE = "exit outcomes recorded in the quarter"


def outcome_counts(p: Period) -> dict:
    """{measure: (measured, improved)} for the measures asked at entry and exit."""
    per_measure = {
        row["measure"]: (row["measured"], row["improved"])
        for row in _measured(p)
        .values("measure")
        .annotate(measured=Count("id"), improved=Count("id", filter=_IMPROVED))
        .order_by()
    }
    return {str(m): per_measure.get(str(m), (0, 0)) for m in ENTRY_MEASURES}


def _client_totals(p: Period) -> dict:
    return _measured(p).aggregate(
        measured=Count("assessment", distinct=True),
        improved=Count("assessment", distinct=True, filter=_IMPROVED),
    )


def _by_measure(p: Period, total: str) -> Result:
    """Clients measured or improved (`total`), per measure and (each client once) in all."""
    index = 0 if total == "measured" else 1
    rows = [
        Row(key=m, label=str(OutcomeMeasure(m).label), value=pair[index])
        for m, pair in outcome_counts(p).items()
    ]
    return Result(value=_client_totals(p)[total], rows=rows, groups=[])


@indicator(
    code="outcomes_measured",
    label="Clients with outcomes measured",
    group="outcomes",
    definition="Clients who rated a measure (1 to 5) both when support began and when it "
    "ended, counted when the exit ratings were recorded; by measure. Answers not asked, "
    "declined or not relevant are not measured. A client usually rates several measures, "
    "so the rows do not add up to the total.",
    period_rule=_OUTCOME_RULE,
    unit=COUNT,
    breakdown_label="Measure",
)
def outcomes_measured(p: Period) -> Result:
    return _by_measure(p, "measured")


@indicator(
    code="outcomes_improved",
    label="Clients whose outcomes improved",
    group="outcomes",
    definition="Of the clients with a measure rated at entry and at exit, those whose "
    "exit rating was higher than their entry rating; the total counts each client who "
    "improved on at least one measure once.",
    period_rule=_OUTCOME_RULE,
    unit=COUNT,
    breakdown_label="Measure",
    chart="improvement",
    higher_is_better=True,
)
def outcomes_improved(p: Period) -> Result:
    return _by_measure(p, "improved")


@indicator(
    code="outcomes_improved_share",
    label="Share of clients whose outcomes improved",
    group="outcomes",
    definition="Of the clients with at least one measure rated at entry and at exit, the "
    "percentage who improved on at least one measure.",
    period_rule=_OUTCOME_RULE,
    unit=PERCENT,
    headline=True,
    higher_is_better=True,
)
def outcomes_improved_share(p: Period) -> Result:
    # No breakdown: the numbers measured and improved are the two indicators above.
    totals = _client_totals(p)
    measured, improved = totals["measured"], totals["improved"]
    return Result(value=share(improved, measured), base=measured)


_SATISFACTION_ROWS = [
    (5, "5 (very satisfied)"),
    (4, "4"),
    (3, "3"),
    (2, "2"),
    (1, "1 (not at all satisfied)"),
]


@indicator(
    code="satisfaction",
    label="Clients satisfied with the service",
    group="outcomes",
    definition="Of the clients who rated their satisfaction with the service (1 to 5) "
    "when support ended, the percentage who gave 4 or 5.",
    period_rule=_OUTCOME_RULE,
    unit=PERCENT,
    breakdown_label="Satisfaction rating",
    headline=True,
    higher_is_better=True,
)
def satisfaction(p: Period) -> Result:
    counts = counts_by(_exit_answers(p).filter(measure=OutcomeMeasure.SATISFACTION), "rating")
    rated = sum(counts.values())
    satisfied = counts.get(4, 0) + counts.get(5, 0)
    rows = [Row(key=str(r), label=label, value=counts.get(r, 0)) for r, label in _SATISFACTION_ROWS]
    return Result(value=share(satisfied, rated), rows=rows, base=rated)


# ---- awareness raising, compliments and complaints ---------------------------------------


def _awareness_sessions(p: Period):
    return AwarenessSession.objects.filter(**on_days("delivered_on", p))


@indicator(
    code="awareness_sessions",
    label="Awareness-raising sessions delivered",
    group="service",
    definition="Talks and training about stalking delivered by the service to "
    "professionals and the public, by audience.",
    period_rule="delivered in the quarter",
    unit=COUNT,
    breakdown_label="Audience",
)
def awareness_sessions(p: Period) -> Result:
    return breakdown(_awareness_sessions(p), "audience_type", AwarenessSession.Audience.choices)


@indicator(
    code="awareness_attendees",
    label="Awareness-raising attendees",
    group="service",
    definition="The number of people who attended the awareness-raising sessions, as "
    "recorded for each session, by audience.",
    period_rule="delivered in the quarter",
    unit=COUNT,
    breakdown_label="Audience",
    chart="bar",
)
def awareness_attendees(p: Period) -> Result:
    return breakdown(
        _awareness_sessions(p),
        "audience_type",
        AwarenessSession.Audience.choices,
        measure=Sum("attendees"),
    )


def _feedback(p: Period, kind: str):
    return Feedback.objects.filter(kind=kind, **on_days("received_on", p))


@indicator(
    code="compliments",
    label="Compliments received",
    group="service",
    definition="Compliments about the service received, counted on the date received, by "
    "who gave them.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="From",
)
def compliments(p: Period) -> Result:
    return breakdown(_feedback(p, Feedback.Kind.COMPLIMENT), "received_from", Feedback.From.choices)


_COMPLAINT_OUTCOMES = [
    (value, label) for value, label in Feedback.Outcome.choices if value != Feedback.Outcome.SHARED
]


@indicator(
    code="complaints",
    label="Complaints received",
    group="service",
    definition="Complaints about the service received, counted on the date received, by "
    "their outcome so far (upheld, partly upheld, not upheld, withdrawn, or not resolved "
    "yet).",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="Outcome",
    higher_is_better=False,
)
def complaints(p: Period) -> Result:
    return breakdown(_feedback(p, Feedback.Kind.COMPLAINT), "outcome", _COMPLAINT_OUTCOMES)
