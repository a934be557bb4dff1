"""The one registry of indicators. Each indicator is a small compute function plus its
metadata (code, label, plain-English definition printed in the appendix, the period rule,
unit, group). Adding an indicator = one function decorated with @indicator(...) in the
module of its section under reporting/indicators/. This module imports no indicator
module: the reporting app imports them once at start-up (ReportingConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from .periods import Quarter

COUNT = "count"
PERCENT = "percent"
WORKING_DAYS = "working days"

# Sections of the return, in the order they are printed. Each has its module of
# indicators in reporting/indicators/.
GROUPS = [
    ("referrals", "Referrals and triage"),
    ("timeliness", "Timeliness of first contact"),
    ("caseload", "Caseload"),
    ("safety", "Risk management and safety planning"),
    ("support", "One-to-one and group support"),
    ("justice", "Police, courts and orders"),
    ("handovers", "Signposting and handovers to other services"),
    ("closures", "Cases closed and risk"),
    ("outcomes", "Outcomes for clients"),
    ("equality", "Equality and diversity of clients supported"),
    ("digital", "Digital and cyber stalking"),
    ("service", "Awareness raising, compliments and complaints"),
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
    # The cell this row counts, named so that every indicator counting the same people
    # names it alike ("referrals/source=self"); "" = a cell of this indicator only.
    cell: str = ""


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
    # Disclosure control across the return (reporting/sdc.py). `cell` names what the value
    # counts (for a percentage or median: its base) so indicators of one population share
    # it; "" = the indicator's own code. `sums` are further published identities, cell =
    # sum of cells. A percentage gives its numerator as `part` (people) and, where they
    # are cells of the return, `part_cells` that add up to it.
    cell: str = ""
    sums: list[tuple[str, list[str]]] = field(default_factory=list)
    part: int | None = None
    part_cells: list[str] = field(default_factory=list)


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


def all_indicators() -> list[Indicator]:
    """Every registered indicator, section by section (in registration order within one)."""
    order = {code: i for i, (code, _) in enumerate(GROUPS)}
    return sorted(REGISTRY.values(), key=lambda ind: order[ind.group])


def get(code: str) -> Indicator:
    return REGISTRY[code]
