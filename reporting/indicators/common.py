"""What every section's indicators share: the period rules as querysets, and the few ways
an indicator counts (by a field's value, by conditions, against reference data). Every
figure is one aggregate query (COUNT/SUM with GROUP BY or FILTER, or a percentile in
PostgreSQL); nothing loops over cases in Python.

Period rules for cases and referrals:
- "received in the quarter": Referral.received_at within the quarter (London time).
- "accepted in the quarter": the case was accepted for support (accepted_at, or
  allocated_at when no acceptance time was recorded) within the quarter.
- "open at quarter end": accepted before the end and not closed before the end.
- "closed in the quarter": closed_at within the quarter, for cases that were accepted
  for support (referrals closed at triage are counted under triage outcomes).
- "supported in the quarter": accepted before the end and not closed before the start.

Period rules for other records:
- Records dated by a day (a MARAC referral, a session, a hearing, an order, a handover,
  an outcome assessment, an awareness session, feedback) count in the quarter when the
  day falls between the first and the last day of the quarter (inclusive). For the
  dashboard's quarter to date, the last day is today (`on_days`).
- Records stamped with a time (a safety plan agreed, a digital-safety check completed)
  count when the time falls in the quarter in London time: 00:30 BST on 1 July is in Q2
  (July to September), not Q1 (`at_times`).
"""

from collections.abc import Callable, Iterable

from django.db.models import Aggregate, Count, Q

from cases.models.lifecycle import Case
from cases.selectors.lifecycle import case_open_at, case_taken_on_at
from cases.statuses import RiskLevel
from referrals.models import Referral

from ..registry import Period, Result, Row

NOT_RECORDED = "Not recorded"
DAY_RULE = "dated in the quarter"


# ---- the period rules ----------------------------------------------------------------


def referrals_received(p: Period):
    return Referral.objects.filter(received_at__gte=p.start, received_at__lt=p.end)


def cases_accepted(p: Period):
    return Case.objects.annotate(acc=case_taken_on_at()).filter(acc__gte=p.start, acc__lt=p.end)


def cases_open_at_end(p: Period):
    return Case.objects.annotate(acc=case_taken_on_at()).filter(case_open_at(p.end, taken_on="acc"))


def cases_closed(p: Period):
    return Case.objects.annotate(acc=case_taken_on_at()).filter(
        closed_at__gte=p.start, closed_at__lt=p.end, acc__isnull=False
    )


def cases_supported(p: Period):
    return (
        Case.objects.annotate(acc=case_taken_on_at())
        .filter(acc__lt=p.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=p.start))
    )


def on_days(field: str, p: Period) -> dict:
    """Filter for a date field: from the quarter's first day to its last (or today)."""
    return {f"{field}__gte": p.start_date, f"{field}__lte": p.end_date}


def at_times(field: str, p: Period) -> dict:
    """Filter for a time field: within the period in London time ([start, end))."""
    return {f"{field}__gte": p.start, f"{field}__lt": p.end}


def period_link(p: Period, prefix: str) -> dict:
    """The cases-list filter for a period, e.g. referred_from/referred_to."""
    return {f"{prefix}_from": p.start_date.isoformat(), f"{prefix}_to": p.end_date.isoformat()}


# ---- counting ------------------------------------------------------------------------


def counts_by(qs, field: str, measure: Aggregate | None = None) -> dict:
    """{value of `field`: number of rows} in one GROUP BY query (or another aggregate per
    value, e.g. Sum("attendees"))."""
    measure = measure if measure is not None else Count("id")
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=measure).order_by()}


def counts_where(qs, conditions: dict[str, Q | None]) -> dict:
    """{key: number of rows meeting the condition} in one query; None counts every row."""
    return qs.aggregate(**{key: Count("id", filter=cond) for key, cond in conditions.items()})


def linked(result: Result, population: str, dimension: str, *, cell: str = "") -> Result:
    """Name the cells of `result` for disclosure control across the return: the value is
    the cell `population` (or `cell`), a row is `population/dimension=key`. Indicators
    that count the same people name the same population, so a figure hidden in one is
    hidden in every other, and their shared total ties them together (sdc.py)."""
    result.cell = cell or population
    for row in result.rows:
        row.cell = row_cell(population, dimension, row.key)
    return result


def row_cell(population: str, dimension: str, key: str) -> str:
    return f"{population}/{dimension}={key}"


def share(part: int, whole: int) -> float | None:
    """A percentage to one decimal place; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def choice_rows(
    counts: dict, choices: Iterable[tuple], link: Callable[[str], dict] | None = None
) -> list[Row]:
    """One row per (key, label), in that order, with 0 for a key nobody had."""
    return [
        Row(key=key, label=str(label), value=counts.get(key, 0), link=link(key) if link else None)
        for key, label in choices
    ]


def breakdown(qs, field: str, choices: Iterable[tuple], measure: Aggregate | None = None):
    """The usual count: the total, and a row per choice of `field` (which partition it)."""
    counts = counts_by(qs, field, measure)
    return Result(value=sum(counts.values()), rows=choice_rows(counts, choices))


def reference_items(model, *, order=("order", "label"), label="label"):
    """(pk, code, label) of a reference table, in the order it is printed."""
    return model.objects.order_by(*order).values_list("pk", "code", label)


def reference_breakdown(
    qs, field: str, items, *, link: dict, key: str, keep: Callable[[Row], bool] | None = None
) -> Result:
    """Count by a foreign key to reference data: a row per item (linked to the cases with
    that item's code as `key`), then "Not recorded" for rows without one."""
    counts = counts_by(qs, field)
    rows = [
        Row(key=code, label=text, value=counts.get(pk, 0), link={**link, key: code})
        for pk, code, text in items
    ]
    if counts.get(None):
        rows.append(Row(key="none", label=NOT_RECORDED, value=counts[None]))
    if keep is not None:
        rows = [row for row in rows if keep(row)]
    return Result(value=sum(counts.values()), rows=rows, link=link)


def risk_breakdown(qs, field: str, *, link: dict | None = None, link_rows=False) -> Result:
    """Count by a risk level field, highest first, then "Not recorded"; with `link_rows`
    each level links to its cases."""
    counts = counts_by(qs, field)
    row_link = (lambda level: {**link, "risk_level": level}) if link_rows else None
    rows = choice_rows(counts, reversed(RiskLevel.choices), row_link)
    rows.append(Row(key="none", label=NOT_RECORDED, value=counts.get("", 0) + counts.get(None, 0)))
    return Result(value=sum(counts.values()), rows=rows, link=link)
