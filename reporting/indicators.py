"""The built-in indicators. Every figure is one aggregate query (COUNT/GROUP BY, or a
percentile in PostgreSQL); nothing loops over cases in Python.

Period rules used below:
- "received in the quarter": Referral.received_at within the quarter (London time).
- "accepted in the quarter": the case was accepted for support (accepted_at, or
  allocated_at when no acceptance time was recorded) within the quarter.
- "open at quarter end": accepted before the end and not closed before the end.
- "closed in the quarter": closed_at within the quarter, for cases that were accepted
  for support (referrals closed at triage are counted under triage outcomes).
- "supported in the quarter": accepted before the end and not closed before the start.
"""

from datetime import date, timedelta
from statistics import median

from django.conf import settings
from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Min, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases import equality
from cases.models.client import Client
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case, ClosureReason
from cases.selectors.lifecycle import case_open_at, case_taken_on_at
from cases.statuses import RISK_ORDER, CaseStatus, RiskLevel
from referrals.models import DeclineReason, Referral, ReferralSource
from stalkingservice import workdays
from stalkingservice.models import District, User

from .periods import london
from .registry import COUNT, PERCENT, WORKING_DAYS, Period, Result, Row, indicator

NOT_RECORDED = "Not recorded"


# ---- shared querysets -------------------------------------------------------------------


def referrals_received(p: Period):
    return Referral.objects.filter(received_at__gte=p.start, received_at__lt=p.end)


_accepted_at = case_taken_on_at


def cases_accepted(p: Period):
    return Case.objects.annotate(acc=_accepted_at()).filter(acc__gte=p.start, acc__lt=p.end)


def cases_open_at_end(p: Period):
    return Case.objects.annotate(acc=_accepted_at()).filter(case_open_at(p.end, taken_on="acc"))


def cases_closed(p: Period):
    return Case.objects.annotate(acc=_accepted_at()).filter(
        closed_at__gte=p.start, closed_at__lt=p.end, acc__isnull=False
    )


def cases_supported(p: Period):
    return (
        Case.objects.annotate(acc=_accepted_at())
        .filter(acc__lt=p.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=p.start))
    )


def _period_link(p: Period, prefix: str) -> dict:
    return {f"{prefix}_from": p.start_date.isoformat(), f"{prefix}_to": p.end_date.isoformat()}


def _counts(qs, field: str) -> dict:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by()}


def _rows_from_reference(counts: dict, items, link=None, *, not_recorded=True) -> list[Row]:
    rows = [
        Row(key=code, label=label, value=counts.get(pk, 0), link=link(code) if link else None)
        for pk, code, label in items
    ]
    if not_recorded and counts.get(None):
        rows.append(Row(key="none", label=NOT_RECORDED, value=counts[None]))
    return rows


# ---- referrals and triage -------------------------------------------------------------


@indicator(
    code="referrals_received",
    label="Referrals received",
    group="referrals",
    definition="Referrals received by the service, counted on the date the referral "
    "arrived, broken down by who made the referral.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="Source",
    headline=True,
    chart="bar",
)
def referrals_by_source(p: Period) -> Result:
    qs = referrals_received(p)
    counts = _counts(qs, "source_id")
    sources = ReferralSource.objects.order_by("order", "label").values_list("pk", "code", "label")
    link = _period_link(p, "referred")
    rows = _rows_from_reference(counts, sources, lambda c: {**link, "source": c})
    rows = [r for r in rows if r.value or r.key in {"police", "self"}]
    return Result(value=sum(counts.values()), rows=rows, link=link)


@indicator(
    code="referrals_by_district",
    label="Referrals received by district",
    group="referrals",
    definition="Referrals received, by the district (local authority area) where the client lives.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="District",
    chart="bar",
)
def referrals_by_district(p: Period) -> Result:
    counts = _counts(referrals_received(p), "case__district_id")
    districts = District.objects.order_by("name").values_list("pk", "code", "name")
    link = _period_link(p, "referred")
    rows = _rows_from_reference(counts, districts, lambda c: {**link, "district_code": c})
    return Result(value=sum(counts.values()), rows=rows, link=link)


@indicator(
    code="referrals_by_month_source",
    label="Referrals received by month and source",
    group="referrals",
    definition="Referrals received in each month of the quarter, by source.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="Month: source",
    chart="month_source",
)
def referrals_by_month_source(p: Period) -> Result:
    qs = (
        referrals_received(p)
        .annotate(month=TruncMonth("received_at", tzinfo=london()))
        .values("month", "source__code", "source__label", "source__order")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells: dict[tuple, int] = {}
    sources: dict[str, tuple] = {}
    for row in qs:
        month = (
            timezone.localtime(row["month"], london()).date()
            if hasattr(row["month"], "tzinfo")
            else row["month"]
        )
        cells[(month.strftime("%Y-%m"), row["source__code"])] = row["n"]
        sources[row["source__code"]] = (row["source__order"], row["source__label"])
    months = p.quarter.months
    ordered_sources = sorted(sources, key=lambda c: sources[c])
    rows, by_month, by_source = [], {}, {}
    for m in months:
        for code in ordered_sources:
            key = f"{m:%Y-%m}|{code}"
            rows.append(
                Row(
                    key=key,
                    label=f"{m:%B %Y}: {sources[code][1]}",
                    value=cells.get((f"{m:%Y-%m}", code), 0),
                )
            )
            by_month.setdefault(m, []).append(key)
            by_source.setdefault(code, []).append(key)
    groups = [*by_month.values(), *by_source.values()]
    return Result(value=sum(cells.values()), rows=rows, groups=groups)


@indicator(
    code="triage_outcomes",
    label="Triage outcomes",
    group="referrals",
    definition="What was decided at triage for the referrals received: accepted for "
    "support, declined, signposted or handed over to another service, or still awaiting "
    "a decision.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="Outcome",
    chart="bar",
)
def triage_outcomes(p: Period) -> Result:
    counts = _counts(referrals_received(p), "outcome")
    link = _period_link(p, "referred")
    rows = [
        Row(key=value, label=label, value=counts.get(value, 0), link={**link, "triage": value})
        for value, label in Referral.Outcome.choices
    ]
    return Result(value=sum(counts.values()), rows=rows, link=link)


@indicator(
    code="referrals_declined",
    label="Referrals declined, by reason",
    group="referrals",
    definition="Referrals received that were declined at triage, by the recorded reason.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="Reason",
)
def referrals_declined(p: Period) -> Result:
    qs = referrals_received(p).filter(outcome=Referral.Outcome.DECLINED)
    counts = _counts(qs, "decline_reason_id")
    reasons = DeclineReason.objects.order_by("order", "label").values_list("pk", "code", "label")
    link = {**_period_link(p, "referred"), "triage": Referral.Outcome.DECLINED}
    rows = _rows_from_reference(counts, reasons, lambda c: {**link, "decline_reason": c})
    rows = [r for r in rows if r.value]
    return Result(value=sum(counts.values()), rows=rows, link=link)


# ---- timeliness -----------------------------------------------------------------------


def _holidays(p: Period) -> list[date]:
    years = range(p.start.year - 1, max(p.end.year, timezone.now().year) + 2)
    return sorted(d for y in years for d in workdays._bank_holidays(y))


_DURATIONS_SQL = """
WITH hol AS (SELECT unnest(%(hol)s::date[]) AS d),
base AS (
    SELECT (r.received_at AT TIME ZONE %(tz)s)::date AS d0,
           (LEAST(c.{case_field},
                  (SELECT min(a.at) FROM {attempts} a WHERE a.case_id = c.id {outcome_filter})
           ) AT TIME ZONE %(tz)s)::date AS d1
    FROM {referrals} r JOIN {cases} c ON c.id = r.case_id
    WHERE r.received_at >= %(start)s AND r.received_at < %(end)s
),
dur AS (
    SELECT CASE WHEN d1 IS NULL THEN NULL WHEN d1 <= d0 THEN 0 ELSE (
        SELECT count(*) FROM generate_series(d0 + 1, d1, interval '1 day') AS g(day)
        WHERE extract(isodow FROM g.day) < 6 AND g.day::date NOT IN (SELECT d FROM hol)
    ) END AS wd
    FROM base
)
SELECT count(wd), percentile_cont(0.5) WITHIN GROUP (ORDER BY wd),
       count(*) FILTER (WHERE wd <= %(target)s)
FROM dur
"""


def first_contact_stats(p: Period, *, successful: bool) -> tuple[int, float | None, int]:
    """(referrals measured, median working days, number within the target) for referrals
    received in the period, from referral to the first attempt (or first successful
    contact). Working days skip weekends and English bank holidays, counted on London
    dates, as stalkingservice.workdays does."""
    case_field = "first_contact_at" if successful else "first_attempt_at"
    target = settings.FIRST_CONTACT_DUE_WORKING_DAYS
    if connection.vendor == "postgresql":
        sql = _DURATIONS_SQL.format(
            case_field=case_field,
            attempts=ContactAttempt._meta.db_table,
            referrals=Referral._meta.db_table,
            cases=Case._meta.db_table,
            outcome_filter="AND a.outcome = 'reached'" if successful else "",
        )
        params = {
            "hol": _holidays(p),
            "tz": settings.TIME_ZONE,
            "start": p.start,
            "end": p.end,
            "target": target,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            measured, med, within = cursor.fetchone()
        return measured, (float(med) if med is not None else None), within
    # Other databases (the SQLite developer fallback): same rule, bounded to one
    # quarter's referrals, two values per row.
    attempt_filter = Q(case__contact_attempts__outcome="reached") if successful else Q()
    pairs = (
        referrals_received(p)
        .annotate(first=Min("case__contact_attempts__at", filter=attempt_filter))
        .values_list("received_at", f"case__{case_field}", "first")
    )
    durations = []
    for received, on_case, first in pairs:
        candidates = [d for d in (on_case, first) if d is not None]
        if candidates:
            durations.append(workdays.working_days_between(received, min(candidates)))
    within = sum(1 for d in durations if d <= target)
    return len(durations), (float(median(durations)) if durations else None), within


def _timeliness(p: Period, *, successful: bool, percent: bool) -> Result:
    measured, med, within = first_contact_stats(p, successful=successful)
    target = settings.FIRST_CONTACT_DUE_WORKING_DAYS
    rows = [
        Row(key="within", label=f"Within {target} working days", value=within),
        Row(key="outside", label=f"More than {target} working days", value=measured - within),
    ]
    value = (round(100 * within / measured, 1) if measured else None) if percent else med
    return Result(value=value, rows=rows, base=measured, groups=None)


_TIMELINESS_RULE = (
    "received in the quarter, with the first contact recorded by the time the figures were produced"
)


@indicator(
    code="first_attempt_median",
    label="Median time from referral to first contact attempt",
    group="timeliness",
    definition="For referrals received in the quarter, the middle value of the number of "
    "working days (Monday to Friday, not English bank holidays) from the day the referral "
    "arrived to the first attempt to contact the client.",
    period_rule=_TIMELINESS_RULE,
    unit=WORKING_DAYS,
    higher_is_better=False,
)
def first_attempt_median(p: Period) -> Result:
    return _timeliness(p, successful=False, percent=False)


@indicator(
    code="first_attempt_within_target",
    label="First contact attempt within target",
    group="timeliness",
    definition="Of the referrals received in the quarter that had a contact attempt, the "
    "percentage whose first attempt was within the target number of working days "
    "(setting FIRST_CONTACT_DUE_WORKING_DAYS).",
    period_rule=_TIMELINESS_RULE,
    unit=PERCENT,
    headline=True,
    breakdown_label="Time to first attempt",
    higher_is_better=True,
)
def first_attempt_within_target(p: Period) -> Result:
    return _timeliness(p, successful=False, percent=True)


@indicator(
    code="first_contact_median",
    label="Median time from referral to first successful contact",
    group="timeliness",
    definition="For referrals received in the quarter, the middle value of the number of "
    "working days from the day the referral arrived to the first time the service spoke "
    "to the client.",
    period_rule=_TIMELINESS_RULE,
    unit=WORKING_DAYS,
    higher_is_better=False,
)
def first_contact_median(p: Period) -> Result:
    return _timeliness(p, successful=True, percent=False)


@indicator(
    code="first_contact_within_target",
    label="First successful contact within target",
    group="timeliness",
    definition="Of the referrals received in the quarter where the client was reached, the "
    "percentage reached within the target number of working days.",
    period_rule=_TIMELINESS_RULE,
    unit=PERCENT,
    breakdown_label="Time to first successful contact",
    higher_is_better=True,
)
def first_contact_within_target(p: Period) -> Result:
    return _timeliness(p, successful=True, percent=True)


# ---- caseload -------------------------------------------------------------------------


def _risk_rows(counts: dict, link=None) -> list[Row]:
    rows = [
        Row(key=value, label=label, value=counts.get(value, 0), link=link(value) if link else None)
        for value, label in reversed(RiskLevel.choices)
    ]
    rows.append(Row(key="none", label=NOT_RECORDED, value=counts.get("", 0) + counts.get(None, 0)))
    return rows


@indicator(
    code="new_cases",
    label="New cases",
    group="caseload",
    definition="Cases accepted for support, by the risk level recorded at intake.",
    period_rule="accepted in the quarter",
    unit=COUNT,
    breakdown_label="Risk at intake",
    headline=True,
)
def new_cases(p: Period) -> Result:
    counts = _counts(cases_accepted(p), "risk_level_at_intake")
    link = _period_link(p, "accepted")
    return Result(value=sum(counts.values()), rows=_risk_rows(counts), link=link)


@indicator(
    code="open_caseload",
    label="Open caseload at quarter end",
    group="caseload",
    definition="Cases accepted for support and not closed at the end of the quarter "
    "(or today, for a quarter in progress), by the case's current risk level.",
    period_rule="open at quarter end",
    unit=COUNT,
    breakdown_label="Risk level",
    headline=True,
    chart="bar",
)
def open_caseload(p: Period) -> Result:
    counts = _counts(cases_open_at_end(p), "risk_level")
    link = {"open_on": p.end_date.isoformat()}
    rows = _risk_rows(counts, lambda level: {**link, "risk_level": level})
    return Result(value=sum(counts.values()), rows=rows, link=link)


@indicator(
    code="open_caseload_per_caseworker",
    label="Open caseload per caseworker",
    group="caseload",
    definition="Open cases at the end of the quarter by the caseworker they are allocated "
    "to. Outside the service caseworkers are shown as Caseworker A, B and so on.",
    period_rule="open at quarter end",
    unit=COUNT,
    breakdown_label="Caseworker",
    pseudonymise=True,
)
def open_caseload_per_caseworker(p: Period) -> Result:
    counts = _counts(cases_open_at_end(p), "allocated_to_id")
    names = {
        u.pk: u.get_full_name() or u.get_username()
        for u in User.objects.filter(pk__in=[k for k in counts if k])
    }
    link = {"open_on": p.end_date.isoformat()}
    rows = [
        Row(key=str(pk), label=names[pk], value=n, link={**link, "allocated_to": pk})
        for pk, n in sorted(((k, v) for k, v in counts.items() if k), key=lambda kv: kv[0])
    ]
    if counts.get(None):
        rows.append(Row(key="none", label="Not allocated", value=counts[None]))
    return Result(value=sum(counts.values()), rows=rows, link=link)


# ---- closures and risk ----------------------------------------------------------------


@indicator(
    code="cases_closed",
    label="Cases closed",
    group="closures",
    definition="Cases that had been accepted for support and were closed, by the "
    "recorded closure reason.",
    period_rule="closed in the quarter",
    unit=COUNT,
    breakdown_label="Closure reason",
    headline=True,
    chart="bar",
)
def cases_closed_by_reason(p: Period) -> Result:
    counts = _counts(cases_closed(p), "closure_reason_id")
    reasons = ClosureReason.objects.order_by("order", "label").values_list("pk", "code", "label")
    link = {**_period_link(p, "closed"), "status": CaseStatus.CLOSED}
    rows = _rows_from_reference(counts, reasons, lambda c: {**link, "closure_reason": c})
    rows = [r for r in rows if r.value]
    return Result(value=sum(counts.values()), rows=rows, link=link)


@indicator(
    code="risk_at_intake_closed",
    label="Risk level at intake (cases closed)",
    group="closures",
    definition="For cases closed in the quarter, the risk level recorded when the case "
    "was taken on.",
    period_rule="closed in the quarter",
    unit=COUNT,
    breakdown_label="Risk at intake",
    chart="risk_pair",
)
def risk_at_intake_closed(p: Period) -> Result:
    counts = _counts(cases_closed(p), "risk_level_at_intake")
    return Result(value=sum(counts.values()), rows=_risk_rows(counts))


@indicator(
    code="risk_at_closure",
    label="Risk level at closure",
    group="closures",
    definition="For cases closed in the quarter, the risk level recorded at closure (the "
    "latest assessment).",
    period_rule="closed in the quarter",
    unit=COUNT,
    breakdown_label="Risk at closure",
)
def risk_at_closure(p: Period) -> Result:
    counts = _counts(cases_closed(p), "risk_level")
    return Result(value=sum(counts.values()), rows=_risk_rows(counts))


def _risk_rank(field: str):
    return SqlCase(
        *[When(**{field: level}, then=Value(rank)) for level, rank in RISK_ORDER.items() if level],
        default=Value(0),
    )


def _risk_change_counts(p: Period) -> dict:
    qs = (
        cases_closed(p)
        .annotate(r0=_risk_rank("risk_level_at_intake"), r1=_risk_rank("risk_level"))
        .annotate(
            change=SqlCase(
                When(Q(r0=0) | Q(r1=0), then=Value("none")),
                When(r1__lt=F("r0"), then=Value("reduced")),
                When(r1__gt=F("r0"), then=Value("increased")),
                default=Value("same"),
            )
        )
    )
    return _counts(qs, "change")


_CHANGE_LABELS = [
    ("reduced", "Risk reduced"),
    ("same", "Risk the same"),
    ("increased", "Risk increased"),
    ("none", "Not recorded at intake or closure"),
]


@indicator(
    code="risk_reduced",
    label="Cases closed whose risk reduced",
    group="closures",
    definition="Cases closed in the quarter whose risk level at closure was lower than at "
    "intake (standard, medium, high).",
    period_rule="closed in the quarter",
    unit=COUNT,
    breakdown_label="Change in risk",
)
def risk_reduced(p: Period) -> Result:
    counts = _risk_change_counts(p)
    rows = [Row(key=k, label=label, value=counts.get(k, 0)) for k, label in _CHANGE_LABELS]
    return Result(value=counts.get("reduced", 0), rows=rows, groups=[[r.key for r in rows]])


@indicator(
    code="risk_reduced_share",
    label="Share of closed cases whose risk reduced",
    group="closures",
    definition="Of the cases closed in the quarter with a risk level recorded at both "
    "intake and closure, the percentage whose risk reduced.",
    period_rule="closed in the quarter",
    unit=PERCENT,
    headline=True,
    breakdown_label="Change in risk",
    higher_is_better=True,
)
def risk_reduced_share(p: Period) -> Result:
    counts = _risk_change_counts(p)
    measured = sum(v for k, v in counts.items() if k != "none")
    rows = [Row(key=k, label=label, value=counts.get(k, 0)) for k, label in _CHANGE_LABELS[:3]]
    value = round(100 * counts.get("reduced", 0) / measured, 1) if measured else None
    return Result(value=value, rows=rows, base=measured)


# ---- equality and diversity -----------------------------------------------------------


def _clients_supported(p: Period):
    return Client.objects.filter(cases__in=cases_supported(p).values("pk")).distinct()


def _client_counts(p: Period, expression_or_field) -> dict:
    qs = Client.objects.filter(pk__in=cases_supported(p).values("client_id"))
    if isinstance(expression_or_field, str):
        field = expression_or_field
    else:
        qs = qs.annotate(band=expression_or_field)
        field = "band"
    return _counts(qs, field)


def _equality_indicator(code: str, label: str, field: str, choices, characteristic: str):
    def compute(p: Period) -> Result:
        counts = _client_counts(p, field)
        rows = [
            Row(key=value, label=text, value=counts.get(value, 0))
            for value, text in choices
            if value != equality.NOT_ASKED
        ]
        rows.append(
            Row(
                key=equality.NOT_ASKED,
                label="Not asked or not recorded",
                value=counts.get(equality.NOT_ASKED, 0),
            )
        )
        return Result(value=sum(counts.values()), rows=rows)

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
    counts = _client_counts(p, _ethnic_group_expression())
    rows = [Row(key=g, label=g, value=counts.get(g, 0)) for g in equality.ETHNIC_GROUPS]
    rows.append(
        Row(
            key=equality.PREFER_NOT,
            label="Prefer not to say",
            value=counts.get(equality.PREFER_NOT, 0),
        )
    )
    rows.append(
        Row(
            key=equality.NOT_ASKED,
            label="Not asked or not recorded",
            value=counts.get(equality.NOT_ASKED, 0),
        )
    )
    return Result(value=sum(counts.values()), rows=rows)


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
    counts = _client_counts(p, _age_band_expression(p.end_date))
    rows = [
        Row(key=label, label=label, value=counts.get(label, 0))
        for _, _, label in equality.AGE_BANDS
    ]
    rows.append(Row(key="none", label="Not known", value=counts.get("none", 0)))
    return Result(value=sum(counts.values()), rows=rows)


# ---- digital --------------------------------------------------------------------------


@indicator(
    code="digital_share",
    label="New cases with a digital or cyber element",
    group="digital",
    definition="Of the cases accepted for support in the quarter, the percentage where the "
    "stalking had a digital or cyber element (recorded on the case or the referral).",
    period_rule="accepted in the quarter",
    unit=PERCENT,
    headline=True,
    breakdown_label="Digital or cyber element",
)
def digital_share(p: Period) -> Result:
    qs = cases_accepted(p).annotate(
        digital=SqlCase(
            When(Q(digital_element=True) | Q(referral__digital_element=True), then=Value("yes")),
            default=Value("no"),
        )
    )
    counts = _counts(qs, "digital")
    total = sum(counts.values())
    rows = [
        Row(key="yes", label="Digital or cyber element", value=counts.get("yes", 0)),
        Row(key="no", label="No digital element recorded", value=counts.get("no", 0)),
    ]
    value = round(100 * counts.get("yes", 0) / total, 1) if total else None
    return Result(value=value, rows=rows, base=total, link=_period_link(p, "accepted"))
