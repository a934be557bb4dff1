"""Cases: new cases and the open caseload (by risk level and by caseworker), cases closed
(by reason, with the risk level at intake and at closure and whether it reduced), and the
share of new cases with a digital or cyber element."""

from django.db.models import Case as SqlCase
from django.db.models import F, Q, Value, When

from cases.models import ClosureReason
from cases.statuses import RISK_ORDER, CaseStatus
from stalkingservice.models import User

from ..registry import COUNT, PERCENT, Period, Result, Row, indicator
from .common import (
    cases_accepted,
    cases_closed,
    cases_open_at_end,
    choice_rows,
    counts_by,
    period_link,
    reference_breakdown,
    reference_items,
    risk_breakdown,
    share,
)

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
    return risk_breakdown(
        cases_accepted(p), "risk_level_at_intake", link=period_link(p, "accepted")
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
    return risk_breakdown(
        cases_open_at_end(p),
        "risk_level",
        link={"open_on": p.end_date.isoformat()},
        link_rows=True,
    )


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
    return Result(value=sum(counts.values()), rows=rows, link=link)


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
    return reference_breakdown(
        cases_closed(p),
        "closure_reason_id",
        reference_items(ClosureReason),
        link={**period_link(p, "closed"), "status": CaseStatus.CLOSED},
        key="closure_reason",
        keep=lambda row: row.value,
    )


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
    return risk_breakdown(cases_closed(p), "risk_level_at_intake")


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
    return risk_breakdown(cases_closed(p), "risk_level")


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
    rows = choice_rows(counts, _CHANGE_LABELS[:3])
    return Result(value=share(counts.get("reduced", 0), measured), rows=rows, base=measured)


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
    return Result(
        value=share(counts.get("yes", 0), total),
        rows=choice_rows(counts, _DIGITAL_ROWS),
        base=total,
        link=period_link(p, "accepted"),
    )
