"""Computing every registered indicator for a period, turning the true figures into
the published ones (pseudonymised caseworkers, disclosure control), and choosing the
chart each figure and section gets (drawn by stalkingservice.charts)."""

import string
from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString

from stalkingservice.charts import bar_chart, pair_chart

from . import sdc
from .periods import Quarter
from .registry import COUNT, PERCENT, Indicator, Period, Result, all_indicators


def compute_all(period: Period) -> list[tuple[Indicator, Result]]:
    """True figures, for the managers' dashboard and as the input to publication."""
    return [(ind, ind.compute(period)) for ind in all_indicators()]


@dataclass
class DashboardFigures:
    period: Period
    computed_at: datetime
    results: list[tuple[Indicator, Result]]


def dashboard_cache_key(quarter: Quarter) -> str:
    return f"reporting:dashboard:v1:{quarter.label}"


def dashboard_figures(quarter: Quarter) -> DashboardFigures:
    """The dashboard's true figures for a quarter (to date). Computing them reads every
    case of the period (about half a second at 20,000 cases), so the result is kept in
    the cache for REPORTING_DASHBOARD_CACHE_SECONDS, per quarter, and shared by every
    manager (the figures do not depend on who asks). 0 turns the cache off."""
    seconds = settings.REPORTING_DASHBOARD_CACHE_SECONDS
    key = dashboard_cache_key(quarter)
    cached = cache.get(key) if seconds > 0 else None
    if cached is None:
        now = timezone.now()
        period = Period.for_quarter(quarter, until=now)
        cached = (period, now, [(ind.code, result) for ind, result in compute_all(period)])
        if seconds > 0:
            cache.set(key, cached, seconds)
    period, computed_at, results = cached
    known = {ind.code: ind for ind in all_indicators()}
    return DashboardFigures(
        period=period,
        computed_at=computed_at,
        results=[(known[code], result) for code, result in results if code in known],
    )


def _pseudonym(i: int) -> str:
    letters = string.ascii_uppercase
    name = letters[i % 26] if i < 26 else letters[i // 26 - 1] + letters[i % 26]
    return f"Caseworker {name}"


def _cells(ind: Indicator, result: Result) -> tuple[str, dict[str, str]]:
    """The value's cell and each row's cell (by row key)."""
    value_cell = result.cell or ind.code
    return value_cell, {row.key: row.cell or f"{ind.code}/{row.key}" for row in result.rows}


def _plan(protection: sdc.ReturnProtection, ind: Indicator, result: Result) -> None:
    """Add one indicator's cells, sums and percentage to the return's protection."""
    value_cell, row_cells = _cells(ind, result)
    if ind.unit == COUNT and isinstance(result.value, int):
        protection.cell(value_cell, result.value, published=True)
    elif result.base is not None:
        protection.cell(value_cell, result.base, published=False)
    for row in result.rows:
        if isinstance(row.value, int):
            protection.cell(row_cells[row.key], row.value, published=True)
    summed = value_cell in protection.values
    groups = [[row.key for row in result.rows]] if result.groups is None else result.groups
    for i, group in enumerate(groups if result.rows and summed else []):
        parts = [row_cells[k] for k in group]
        # People in no printed row (a value outside the choices) are a cell of their own,
        # never published, so the identity still holds.
        unlisted = protection.values[value_cell] - sum(
            row.value for row in result.rows if row.key in group and isinstance(row.value, int)
        )
        if unlisted:
            protection.cell(f"{ind.code}#unlisted{i}", unlisted, published=False)
            parts.append(f"{ind.code}#unlisted{i}")
        protection.add_sum(value_cell, parts)
    for total, parts in result.sums:
        protection.add_sum(total, parts)
    if ind.unit == PERCENT and result.part is not None and result.base:
        protection.percent(
            ind.code,
            part=result.part,
            whole=result.base,
            base=value_cell,
            parts=result.part_cells,
            published=result.value is not None,
        )


def protect(results: list[tuple[Indicator, Result]]) -> sdc.Protection:
    """Disclosure control over every indicator of a return at once (see sdc.py)."""
    protection = sdc.ReturnProtection()
    for ind, result in results:
        _plan(protection, ind, result)
    return protection.protect()


def published_rows(
    ind: Indicator, result: Result, protection: sdc.Protection | None = None
) -> list[tuple[str, object]]:
    """[(label, published value)] for one indicator's breakdown."""
    protection = protection or protect([(ind, result)])
    _, row_cells = _cells(ind, result)
    labels = {}
    n = 0
    for row in result.rows:
        if ind.pseudonymise and row.key != "none":
            labels[row.key] = _pseudonym(n)
            n += 1
        else:
            labels[row.key] = row.label
    return [
        (labels[row.key], protection.shown(row_cells[row.key], row.value)) for row in result.rows
    ]


def published_value(ind: Indicator, result: Result, protection: sdc.Protection | None = None):
    if result.value is None:
        return None
    protection = protection or protect([(ind, result)])
    if ind.unit == COUNT:
        return protection.shown(_cells(ind, result)[0], result.value)
    if result.base is not None and sdc.is_small(result.base):
        return sdc.SECONDARY
    if ind.code in protection.hidden_percents:
        return sdc.SECONDARY
    return result.value


def publish(ind: Indicator, result: Result, protection: sdc.Protection | None = None) -> dict:
    """One indicator in the exported JSON shape. Pass the return's `protection` (from
    `protect` over every indicator); alone, the indicator is protected by itself."""
    protection = protection or protect([(ind, result)])
    return {
        "code": ind.code,
        "label": ind.label,
        "value": published_value(ind, result, protection),
        "unit": ind.unit,
        "breakdown": dict(published_rows(ind, result, protection)),
    }


def publish_all(results: list[tuple[Indicator, Result]]) -> list[dict]:
    """Every indicator of a return, protected together."""
    protection = protect(results)
    return [publish(ind, result, protection) for ind, result in results]


def meta(ind: Indicator, result: Result) -> dict:
    """What the PDF needs beyond the exported figures, frozen with them."""
    return {
        "group": ind.group,
        "definition": ind.definition,
        "period_rule": ind.period_rule,
        "breakdown_label": ind.breakdown_label,
        "headline": ind.headline,
        "chart": ind.chart,
        "higher_is_better": ind.higher_is_better,
    }


def internal_rows(result: Result) -> list[dict]:
    return [asdict(row) for row in result.rows]


# ---- which chart a figure gets (drawn by stalkingservice.charts) ----------------------


def chart_for(indicator: dict, *, meta: dict, previous: dict | None = None) -> SafeString | str:
    """The chart an indicator asks for, from its (published or true) breakdown."""
    kind = meta.get("chart")
    breakdown = indicator["breakdown"]
    if not kind or not breakdown or kind == "improvement":
        # "improvement" is drawn once for its section, from two indicators (section_chart).
        return ""
    if kind == "month_source":
        months, sources = [], []
        for label in breakdown:
            month, _, source = label.partition(": ")
            if month not in months:
                months.append(month)
            if source not in sources:
                sources.append(source)
        series = [(s, [breakdown.get(f"{m}: {s}") for m in months]) for s in sources]
        return bar_chart(
            title=f"{indicator['label']} (one bar per source)", categories=months, series=series
        )
    return bar_chart(
        title=indicator["label"],
        categories=list(breakdown),
        series=[("This quarter", list(breakdown.values()))],
    )


def improvement_chart(*, measured: dict, improved: dict) -> SafeString:
    """Outcome improvement by measure: clients measured and clients improved side by side,
    with the share improved written after the improved bar when both numbers are shown."""
    categories = list(measured)
    notes = {}
    for c, category in enumerate(categories):
        m, i = measured.get(category), improved.get(category)
        if isinstance(m, int) and isinstance(i, int) and m > 0:
            notes[(1, c)] = f" ({round(100 * i / m)}% improved)"
    return bar_chart(
        title="Outcome improvement by measure (clients measured at entry and exit)",
        categories=categories,
        series=[
            ("Measured", [measured.get(c) for c in categories]),
            ("Improved", [improved.get(c) for c in categories]),
        ],
        label_width=270,
        notes=notes,
    )


def section_chart(group: str, breakdowns: dict[str, dict]) -> SafeString | str:
    """A chart drawn from two indicators of one section (code -> breakdown {label: value},
    published or true): risk at intake and at closure; outcome improvement by measure."""
    if group == "closures" and {"risk_at_intake_closed", "risk_at_closure"} <= set(breakdowns):
        return pair_chart(
            title="Risk level at intake and at closure (cases closed in the quarter)",
            first=("At intake", breakdowns["risk_at_intake_closed"]),
            second=("At closure", breakdowns["risk_at_closure"]),
        )
    if group == "outcomes" and {"outcomes_measured", "outcomes_improved"} <= set(breakdowns):
        return improvement_chart(
            measured=breakdowns["outcomes_measured"], improved=breakdowns["outcomes_improved"]
        )
    return ""
