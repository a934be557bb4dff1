"""Financial-year quarters as the Commissioner uses them: Q1 = April to June.

A quarter is labelled `YYYY-Qn` where YYYY is the first calendar year of the financial
year, so 2026-Q3 is October to December 2026 and 2026-Q4 is January to March 2027."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from stalkingservice import workdays

LABEL_RE = re.compile(r"^(?P<year>\d{4})-Q(?P<n>[1-4])$")
BAD_QUARTER = "Enter a quarter like 2026-Q3 (Q1 is April to June)."


def london() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # first calendar year of the financial year
    n: int  # 1..4

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        match = LABEL_RE.match((label or "").strip())
        if not match:
            raise ValueError(BAD_QUARTER)
        return cls(int(match["year"]), int(match["n"]))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.n}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.n - 1)
        if month > 12:
            return date(self.year + 1, month - 12, 1)
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return self.next().start - timedelta(days=1)

    @property
    def start_at(self) -> datetime:
        """Midnight at the start of the first day, London time (aware)."""
        return datetime.combine(self.start, time.min, tzinfo=london())

    @property
    def end_at(self) -> datetime:
        """Midnight after the last day, London time: the exclusive upper bound."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=london())

    @property
    def months(self) -> list[date]:
        first = self.start
        return [
            date(first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1, 1)
            for i in range(3)
        ]

    @property
    def title(self) -> str:
        """Plain words: 'October to December 2026 (2026-27 Q3)'."""
        fy = f"{self.year}-{str(self.year + 1)[-2:]}"
        return f"{self.start:%B} to {self.end:%B %Y} ({fy} Q{self.n})"

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.n == 1 else Quarter(self.year, self.n - 1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.n == 4 else Quarter(self.year, self.n + 1)


def first_working_day_after(day: date) -> date:
    return workdays.add_working_days(day, 1)


def quarter_just_ended(today: date) -> Quarter | None:
    """The quarter whose return is due today: only on the first working day after the
    quarter ended (bank holidays and weekends skipped), otherwise None."""
    previous = Quarter.containing(today).previous()
    if first_working_day_after(previous.end) == today:
        return previous
    return None
