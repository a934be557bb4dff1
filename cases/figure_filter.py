"""The cases behind a dashboard figure. The managers' dashboard links each figure to the
all-cases list with parameters saying which cases it counted (referred in a quarter, open
on its last day, closed for a reason...). The rules here are the indicators' own period
rules (reporting/indicators.py), so the list shows the same cases the figure counted."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.formats import date_format

from referrals.models import Referral

from .selectors.lifecycle import case_open_at, case_taken_on_at
from .statuses import RiskLevel

LONDON = ZoneInfo("Europe/London")

# The parameters a figure link may carry (everything else in the address is the ordinary
# filter form's). Ranges are dates, both ends included, in UK time.
DATE_RANGES = {"referred": "Referred", "accepted": "Taken on", "closed": "Closed"}
PARAMETERS = (
    *(f"{prefix}_{end}" for prefix in DATE_RANGES for end in ("from", "to")),
    "open_on",
    "triage",
    "source",
    "district_code",
    "decline_reason",
    "closure_reason",
    "risk_level",
    "allocated_to",
)
PARAMETER_MAX_LENGTH = 50
PARAMETER_LABELS = {
    **{
        f"{p}_{end}": f"{label.lower()} dates"
        for p, label in DATE_RANGES.items()
        for end in ("from", "to")
    },
    "open_on": "open on date",
    "triage": "triage outcome",
    "source": "referral source",
    "district_code": "district",
    "decline_reason": "declined",
    "closure_reason": "closure reason",
    "risk_level": "risk level",
    "allocated_to": "caseworker",
}
UNREADABLE = "Part of this figure's link could not be read, so it was left out: {names}."


@dataclass
class FigureFilter:
    """What a figure link asks for: `applied` describes each part in words; `problems`
    names any part that could not be read (it is ignored, never a server error)."""

    q: Q = field(default_factory=Q)
    applied: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.applied)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _date(value: str) -> date:
    return date.fromisoformat(value.strip())


def _day(value: date) -> str:
    return date_format(value, "j M Y")


def figure_filter(params) -> FigureFilter:
    """Read a figure link's parameters from a QueryDict (or dict)."""
    from referrals.models import DeclineReason, ReferralSource
    from stalkingservice.models import District, User

    from .models.lifecycle import ClosureReason

    result = FigureFilter()
    given = {
        name: str(params.get(name)).strip()
        for name in PARAMETERS
        if params.get(name) not in (None, "")
    }
    bad: list[str] = []
    # No figure link carries a control character (a NUL byte, which the database refuses)
    # or anything longer than a code or a date: such a part is named and left out.
    for name, value in list(given.items()):
        if len(value) > PARAMETER_MAX_LENGTH or any(
            unicodedata.category(ch) == "Cc" for ch in value
        ):
            del given[name]
            bad.append(PARAMETER_LABELS[name])
    result.params = given

    for prefix, label in DATE_RANGES.items():
        start, end = given.get(f"{prefix}_from"), given.get(f"{prefix}_to")
        if not start and not end:
            continue
        try:
            lo = _date(start) if start else None
            hi = _date(end) if end else None
        except ValueError:
            bad.append(f"{label.lower()} dates")
            continue
        field_name = {
            "referred": "referral__received_at",
            "accepted": "figure_accepted_at",
            "closed": "closed_at",
        }[prefix]
        if lo:
            result.q &= Q(**{f"{field_name}__gte": _start_of(lo)})
        if hi:
            result.q &= Q(**{f"{field_name}__lt": _start_of(hi + timedelta(days=1))})
        if prefix == "closed":
            # Closures count cases that had been taken on (declined referrals are not).
            result.q &= Q(figure_accepted_at__isnull=False)
        words = (
            f"{_day(lo)} to {_day(hi)}"
            if lo and hi
            else (f"on or after {_day(lo)}" if lo else f"on or before {_day(hi)}")
        )
        result.applied.append(f"{label} {words}")

    if "open_on" in given:
        try:
            day = _date(given["open_on"])
        except ValueError:
            bad.append("open on date")
        else:
            end = _start_of(day + timedelta(days=1))
            result.q &= case_open_at(end, taken_on="figure_accepted_at")
            result.applied.append(f"Open at the end of {_day(day)}")

    def by_choice(name, choices, lookup, label):
        if name not in given:
            return
        value = given[name]
        if value not in choices:
            bad.append(label.lower())
            return
        result.q &= Q(**{lookup: value})
        result.applied.append(f"{label}: {choices[value]}")

    by_choice("triage", dict(Referral.Outcome.choices), "referral__outcome", "Triage outcome")
    by_choice(
        "risk_level",
        dict(RiskLevel.choices),
        "risk_level",
        "Risk level",
    )

    def by_reference(name, model, lookup, label, text="label"):
        if name not in given:
            return
        found = model.objects.filter(code=given[name]).values_list(text, flat=True).first()
        if found is None:
            bad.append(label.lower())
            return
        result.q &= Q(**{lookup: given[name]})
        result.applied.append(f"{label}: {found}")

    by_reference("source", ReferralSource, "referral__source__code", "Referral source")
    by_reference("decline_reason", DeclineReason, "referral__decline_reason__code", "Declined")
    by_reference("closure_reason", ClosureReason, "closure_reason__code", "Closure reason")
    by_reference("district_code", District, "district__code", "District", text="name")

    if "allocated_to" in given:
        worker = (
            User.objects.filter(pk=int(given["allocated_to"])).first()
            if given["allocated_to"].isascii()
            and given["allocated_to"].isdigit()
            and int(given["allocated_to"]) < 2**63  # beyond any id the database holds
            else None
        )
        if worker is None:
            bad.append("caseworker")
        else:
            result.q &= Q(allocated_to=worker)
            result.applied.append(f"Allocated to {worker.get_full_name() or worker}")

    if bad:
        result.problems.append(UNREADABLE.format(names=", ".join(dict.fromkeys(bad))))
    return result


def apply_figure_filter(qs: QuerySet, figure: FigureFilter) -> QuerySet:
    if not figure.active:
        return qs
    return qs.annotate(figure_accepted_at=case_taken_on_at()).filter(figure.q)
