"""The figures about cases themselves, from referral to closure: referrals received and
triaged, the timeliness of first contact, the caseload, cases closed and the change in
risk, and the share of new cases with a digital or cyber element."""

from datetime import date
from statistics import median

from django.conf import settings
from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Min, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case, ClosureReason
from cases.statuses import RISK_ORDER, CaseStatus
from referrals.models import DeclineReason, Referral, ReferralSource
from stalkingservice import workdays
from stalkingservice.models import District, User

from ..periods import london
from ..registry import COUNT, PERCENT, WORKING_DAYS, Period, Result, Row, indicator
from .common import (
    cases_accepted,
    cases_closed,
    cases_open_at_end,
    choice_rows,
    counts_by,
    linked,
    period_link,
    reference_breakdown,
    reference_items,
    referrals_received,
    risk_breakdown,
    row_cell,
    share,
)

# ---- referrals and triage ----------------------------------------------------------------


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
    result = reference_breakdown(
        referrals_received(p),
        "source_id",
        reference_items(ReferralSource),
        link=period_link(p, "referred"),
        key="source",
        # The two main sources are always shown, even at nought.
        keep=lambda row: row.value or row.key in {"police", "self"},
    )
    return linked(result, "referrals", "source")


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
    result = reference_breakdown(
        referrals_received(p),
        "case__district_id",
        reference_items(District, order=("name",), label="name"),
        link=period_link(p, "referred"),
        key="district_code",
    )
    return linked(result, "referrals", "district")


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
            cell = row_cell("referrals", "month_source", f"{m:%Y-%m},{code}")
            rows.append(
                Row(
                    key=key,
                    label=f"{m:%B %Y}: {sources[code][1]}",
                    value=cells.get((f"{m:%Y-%m}", code), 0),
                    cell=cell,
                )
            )
            by_month.setdefault(row_cell("referrals", "month", f"{m:%Y-%m}"), []).append(cell)
            by_source.setdefault(row_cell("referrals", "source", code), []).append(cell)
    # A month's total is not published (a cell of its own, unknown to a reader); a
    # source's total is the row of "Referrals received".
    return Result(
        value=sum(cells.values()),
        rows=rows,
        cell="referrals",
        sums=[*by_month.items(), *by_source.items()],
    )


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
    counts = counts_by(referrals_received(p), "outcome")
    link = period_link(p, "referred")
    rows = choice_rows(counts, Referral.Outcome.choices, lambda value: {**link, "triage": value})
    return linked(Result(value=sum(counts.values()), rows=rows, link=link), "referrals", "outcome")


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
    result = reference_breakdown(
        referrals_received(p).filter(outcome=Referral.Outcome.DECLINED),
        "decline_reason_id",
        reference_items(DeclineReason),
        link={**period_link(p, "referred"), "triage": Referral.Outcome.DECLINED},
        key="decline_reason",
        keep=lambda row: row.value,
    )
    # Its total is the "Declined" row of the triage outcomes.
    declined = row_cell("referrals", "outcome", Referral.Outcome.DECLINED)
    return linked(result, declined, "reason")


# ---- timeliness of first contact ---------------------------------------------------------


def _holidays(p: Period) -> list[date]:
    years = range(p.start.year - 1, max(p.end.year, timezone.now().year) + 2)
    return sorted(d for y in years for d in workdays._bank_holidays(y))


_DURATIONS_SQL = """
WITH hol AS (SELECT unnest(%(hol)s::date[]) AS d),
base AS (
    SELECT (r.received_at AT TIME ZONE %(tz)s)::date AS d0,
           (COALESCE(
                (SELECT min(a.recorded_at) FROM {attempts} a
                 WHERE a.case_id = c.id {outcome_filter}),
                c.{case_field}
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
    dates, as stalkingservice.workdays does. The attempt counts from when the system
    recorded it (`recorded_at`), not the time the worker typed, so back-dating an attempt
    cannot improve the figure; the case's own date is used only for a case with no attempt
    rows (imported history)."""
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
        .annotate(first=Min("case__contact_attempts__recorded_at", filter=attempt_filter))
        .values_list("received_at", f"case__{case_field}", "first")
    )
    durations = []
    for received, on_case, first in pairs:
        reached = first or on_case
        if reached is not None:
            durations.append(workdays.working_days_between(received, reached))
    within = sum(1 for d in durations if d <= target)
    return len(durations), (float(median(durations)) if durations else None), within


def _timeliness(p: Period, *, successful: bool, percent: bool) -> Result:
    measured, med, within = first_contact_stats(p, successful=successful)
    target = settings.FIRST_CONTACT_DUE_WORKING_DAYS
    rows = [
        Row(key="within", label=f"Within {target} working days", value=within),
        Row(key="outside", label=f"More than {target} working days", value=measured - within),
    ]
    value = share(within, measured) if percent else med
    measured_cell = "referrals/reached" if successful else "referrals/attempted"
    result = linked(
        Result(value=value, rows=rows, base=measured, groups=None), measured_cell, "target"
    )
    if percent:
        result.part, result.part_cells = within, [row_cell(measured_cell, "target", "within")]
    return result


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


# ---- caseload ----------------------------------------------------------------------------


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
    return linked(
        risk_breakdown(cases_accepted(p), "risk_level_at_intake", link=period_link(p, "accepted")),
        "accepted",
        "risk_at_intake",
    )


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
    result = risk_breakdown(
        cases_open_at_end(p),
        "risk_level",
        link={"open_on": p.end_date.isoformat()},
        link_rows=True,
    )
    return linked(result, "open", "risk")


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
    counts = counts_by(cases_open_at_end(p), "allocated_to_id")
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
    return linked(Result(value=sum(counts.values()), rows=rows, link=link), "open", "caseworker")


# ---- cases closed and risk ---------------------------------------------------------------


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
    result = reference_breakdown(
        cases_closed(p),
        "closure_reason_id",
        reference_items(ClosureReason),
        link={**period_link(p, "closed"), "status": CaseStatus.CLOSED},
        key="closure_reason",
        keep=lambda row: row.value,
    )
    return linked(result, "closed", "reason")


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
    return linked(
        risk_breakdown(cases_closed(p), "risk_level_at_intake"), "closed", "risk_at_intake"
    )


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
    return linked(risk_breakdown(cases_closed(p), "risk_level"), "closed", "risk_at_closure")


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
    return counts_by(qs, "change")


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
    rows = choice_rows(counts, _CHANGE_LABELS)
    # The value is the "reduced" row; the rows add up to the cases closed.
    result = linked(
        Result(value=counts.get("reduced", 0), rows=rows, groups=[]),
        "closed",
        "change",
        cell=row_cell("closed", "change", "reduced"),
    )
    result.sums = [("closed", [r.cell for r in rows])]
    return result


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
    rows = choice_rows(counts, _CHANGE_LABELS[:3])
    reduced = counts.get("reduced", 0)
    result = linked(
        Result(value=share(reduced, measured), rows=rows, base=measured),
        "closed",
        "change",
        cell="closed/measured",
    )
    result.part, result.part_cells = reduced, [row_cell("closed", "change", "reduced")]
    return result


# ---- digital and cyber stalking ----------------------------------------------------------


_DIGITAL_ROWS = [("yes", "Digital or cyber element"), ("no", "No digital element recorded")]


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
    counts = counts_by(qs, "digital")
    total = sum(counts.values())
    result = Result(
        value=share(counts.get("yes", 0), total),
        rows=choice_rows(counts, _DIGITAL_ROWS),
        base=total,
        link=period_link(p, "accepted"),
        part=counts.get("yes", 0),
        part_cells=[row_cell("accepted", "digital", "yes")],
    )
    return linked(result, "accepted", "digital")
