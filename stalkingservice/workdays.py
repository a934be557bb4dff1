"""Working days: Monday to Friday, excluding English bank holidays (the `holidays`
package, England subdivision). Targets such as "first contact within 2 working days"
and the Commissioner's timeliness measures are counted with these."""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def _as_local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def add_working_days(start: date | datetime, days: int) -> date:
    """The date `days` working days after `start` (a non-working start counts from the
    next working day, so Saturday + 2 is Tuesday)."""
    current = _as_local_date(start)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if is_working_day(current):
            added += 1
    return current


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after `start` up to and including `end` (0 when same day or earlier)."""
    first, last = _as_local_date(start), _as_local_date(end)
    if last <= first:
        return 0
    count = 0
    current = first
    while current < last:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
