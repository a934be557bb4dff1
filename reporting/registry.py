"""The one registry of indicators. Each indicator is a small compute function plus its
metadata (code, label, plain-English definition printed in the appendix, the period rule,
unit, group). Adding an indicator = one function decorated with @indicator(...)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from .periods import Quarter

COUNT = "count"
PERCENT = "percent"
WORKING_DAYS = "working days"

# Sections of the return, in the order they are printed.
GROUPS = [
    ("referrals", "Referrals and triage"),
    ("timeliness", "Timeliness of first contact"),
    ("caseload", "Caseload"),
    ("closures", "Cases closed and risk"),
    ("equality", "Equality and diversity of clients supported"),
    ("digital", "Digital and cyber stalking"),
]
GROUP_LABELS = dict(GROUPS)


@dataclass(frozen=True)
class Period:
    """What an indicator is computed over: [start, end) as aware datetimes. For the
    dashboard `end` is now (quarter to date); for a return it is the quarter's end."""

    quarter: Quarter
    start: datetime
    end: datetime

    @classmethod
    def for_quarter(cls, quarter: Quarter, *, until: datetime | None = None) -> "Period":
        end = quarter.end_at if until is None else min(quarter.end_at, until)
        return cls(quarter=quarter, start=quarter.start_at, end=end)

    @property
    def start_date(self):
        return self.quarter.start

    @property
    def end_date(self):
        """Last day counted (inclusive), local date."""
        from django.utils import timezone

        return (
            timezone.localtime(self.end).date()
            if self.end < self.quarter.end_at
            else self.quarter.end
        )


@dataclass
class Row:
    key: str
    label: str
    value: int | float | None
    # Filters for the managers' link to the cases behind this figure (None = no link).
    link: dict | None = None


@dataclass
class Result:
    value: int | float | None
    rows: list[Row] = field(default_factory=list)
    # How many people a percentage or median is based on (disclosure control).
    base: int | None = None
    # Groups of row keys whose sums are published (for secondary suppression); None means
    # the rows partition the value (one group of all rows); [] means no sums are implied.
    groups: list[list[str]] | None = None
    link: dict | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    group: str
    definition: str
    period_rule: str
    unit: str
    compute: Callable[[Period], Result]
    breakdown_label: str = ""
    headline: bool = False
    pseudonymise: bool = False  # breakdown keys are caseworkers: "Caseworker A" outside
    chart: str = ""  # "" (none), "bar", "month_source", "risk_pair", "improvement"
    higher_is_better: bool | None = None


REGISTRY: dict[str, Indicator] = {}


def indicator(**meta):
    """Register the decorated compute function as an indicator."""

    def decorator(fn):
        code = meta["code"]
        if code in REGISTRY:
            raise ValueError(f"Indicator {code} registered twice")
        if meta["group"] not in GROUP_LABELS:
            raise ValueError(f"Indicator {code}: unknown group {meta['group']}")
        REGISTRY[code] = Indicator(compute=fn, **meta)
        return fn

    return decorator


def register_group(code: str, label: str, *, after: str | None = None) -> None:
    """Add a section (for indicators built by other areas later), at the end or straight
    after the section `after`."""
    if code in GROUP_LABELS:
        return
    codes = [c for c, _ in GROUPS]
    position = codes.index(after) + 1 if after in codes else len(GROUPS)
    GROUPS.insert(position, (code, label))
    GROUP_LABELS[code] = label


def all_indicators() -> list[Indicator]:
    # Importing registers the built-in indicators (casework: MARAC, plans, sessions,
    # police and courts, orders, handovers, outcomes, awareness, feedback).
    from . import indicators, indicators_casework  # noqa: F401

    order = {code: i for i, (code, _) in enumerate(GROUPS)}
    return sorted(REGISTRY.values(), key=lambda ind: order[ind.group])


def get(code: str) -> Indicator:
    all_indicators()
    return REGISTRY[code]
