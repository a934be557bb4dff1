"""Equality and diversity of the clients supported in the quarter: one indicator per
monitoring question, each client counted once however many cases they had."""

from datetime import date, timedelta

from django.db.models import Case as SqlCase
from django.db.models import Q, Value, When

from cases import equality
from cases.models import Client

from ..registry import COUNT, Period, Result, indicator
from .common import breakdown, cases_supported

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
        return _clients_by(p, field, rows)

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
    return _clients_by(p, _ethnic_group_expression(), _ETHNIC_GROUP_ROWS)


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
    return _clients_by(p, _age_band_expression(p.end_date), _AGE_BAND_ROWS)
