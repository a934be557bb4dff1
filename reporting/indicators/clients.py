"""The clients supported: how they fared (the outcome measures rated when support began
and ended, and satisfaction with the service) and who they are (equality and diversity,
each client counted once however many cases they had)."""

from datetime import date, timedelta

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value, When

from cases import equality
from cases.models.client import Client
from cases.models.outcomes import ENTRY_MEASURES, OutcomeAnswer, OutcomeAssessment, OutcomeMeasure

from ..registry import COUNT, PERCENT, Period, Result, Row, indicator
from .common import breakdown, cases_supported, counts_by, linked, on_days, row_cell, share

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
    result = Result(value=_client_totals(p)[total], rows=rows, groups=[])
    return linked(result, "outcomes" if total == "measured" else "outcomes/improved", "measure")


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
    return Result(
        value=share(improved, measured),
        base=measured,
        cell="outcomes",
        part=improved,
        part_cells=["outcomes/improved"],
    )


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
    result = Result(value=share(satisfied, rated), rows=rows, base=rated, part=satisfied)
    result.part_cells = [row_cell("satisfaction", "rating", r) for r in ("5", "4")]
    return linked(result, "satisfaction", "rating")


# ---- equality and diversity --------------------------------------------------------------


NOT_ASKED_ROW = (equality.NOT_ASKED, "Not asked or not recorded")


def _clients_by(p: Period, expression_or_field, choices) -> Result:
    """The clients with a case open at any time in the period, by an answer (a field of
    the client, or an expression banding one)."""
    qs = Client.objects.filter(pk__in=cases_supported(p).values("client_id"))
    if isinstance(expression_or_field, str):
        field = expression_or_field
    else:
        qs = qs.annotate(band=expression_or_field)
        field = "band"
    return breakdown(qs, field, choices)


def _equality_indicator(code: str, label: str, field: str, choices, characteristic: str):
    rows = [(value, text) for value, text in choices if value != equality.NOT_ASKED]
    rows.append(NOT_ASKED_ROW)

    def compute(p: Period) -> Result:
        return linked(_clients_by(p, field, rows), "supported", code)

    compute.__name__ = f"equality_{code}"
    indicator(
        code=f"equality_{code}",
        label=f"Clients supported by {label}",
        group="equality",
        definition=f"Clients with a case open at any time in the quarter, by {characteristic}. "
        "Each question is optional; 'Not asked' covers clients who were not asked or did "
        "not answer. A client with two cases is counted once.",
        period_rule="supported in the quarter",
        unit=COUNT,
        breakdown_label=label[0].upper() + label[1:],
        chart="bar",
    )(compute)


_equality_indicator("gender", "gender", "gender", equality.Gender.choices, "gender")
_equality_indicator(
    "disability",
    "disability",
    "disability",
    equality.YesNoPrefer.choices,
    "whether they consider themselves disabled",
)
_equality_indicator(
    "gender_reassignment",
    "gender identity",
    "gender_reassignment",
    equality.YesNoPrefer.choices,
    "whether their gender identity is different from the sex registered at birth",
)
_equality_indicator(
    "marital_status",
    "marriage and civil partnership",
    "marital_status",
    equality.MaritalStatus.choices,
    "marriage or civil partnership status",
)
_equality_indicator(
    "pregnancy",
    "pregnancy and maternity",
    "pregnancy",
    equality.YesNoPrefer.choices,
    "whether pregnant or given birth in the last 26 weeks",
)
_equality_indicator(
    "religion", "religion or belief", "religion", equality.Religion.choices, "religion or belief"
)
_equality_indicator(
    "sexual_orientation",
    "sexual orientation",
    "sexual_orientation",
    equality.SexualOrientation.choices,
    "sexual orientation",
)


def _ethnic_group_expression():
    whens = [
        When(ethnicity__startswith=prefix, then=Value(group))
        for group, prefixes in equality.ETHNIC_GROUPS.items()
        for prefix in prefixes
    ]
    whens.append(When(ethnicity=equality.PREFER_NOT, then=Value(equality.PREFER_NOT)))
    return SqlCase(*whens, default=Value(equality.NOT_ASKED))


_ETHNIC_GROUP_ROWS = [
    *((group, group) for group in equality.ETHNIC_GROUPS),
    (equality.PREFER_NOT, "Prefer not to say"),
    NOT_ASKED_ROW,
]


@indicator(
    code="equality_ethnicity",
    label="Clients supported by ethnic group",
    group="equality",
    definition="Clients with a case open at any time in the quarter, by ethnic group (the "
    "five groups of the GSS harmonised standard). A client with two cases is counted once.",
    period_rule="supported in the quarter",
    unit=COUNT,
    breakdown_label="Ethnic group",
    chart="bar",
)
def equality_ethnicity(p: Period) -> Result:
    return linked(
        _clients_by(p, _ethnic_group_expression(), _ETHNIC_GROUP_ROWS), "supported", "ethnicity"
    )


def _age_band_expression(on: date):
    """Age band from the age recorded at referral, else from date of birth at `on`."""

    def born_between(lo: int, hi: int) -> Q:
        # aged lo..hi on `on` <=> born after (on - (hi+1) years) and on/before (on - lo years)
        latest = _years_before(on, lo)
        earliest = _years_before(on, hi + 1) + timedelta(days=1)
        return Q(date_of_birth__gte=earliest, date_of_birth__lte=latest)

    whens = []
    for lo, hi, label in equality.AGE_BANDS:
        whens.append(When(age_at_referral__gte=lo, age_at_referral__lte=hi, then=Value(label)))
    for lo, hi, label in equality.AGE_BANDS:
        whens.append(
            When(Q(age_at_referral__isnull=True) & born_between(lo, hi), then=Value(label))
        )
    return SqlCase(*whens, default=Value("none"))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


_AGE_BAND_ROWS = [*((label, label) for _, _, label in equality.AGE_BANDS), ("none", "Not known")]


@indicator(
    code="equality_age",
    label="Clients supported by age band",
    group="equality",
    definition="Clients with a case open at any time in the quarter, by age band: the age "
    "recorded at referral, or else the age on the last day of the quarter from the date "
    "of birth.",
    period_rule="supported in the quarter",
    unit=COUNT,
    breakdown_label="Age band",
    chart="bar",
)
def equality_age(p: Period) -> Result:
    return linked(
        _clients_by(p, _age_band_expression(p.end_date), _AGE_BAND_ROWS), "supported", "age"
    )
