from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from reporting.periods import BAD_QUARTER, Quarter, quarter_just_ended

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026-Q1", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q2", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q3", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q4", date(2027, 1, 1), date(2027, 3, 31)),
    ],
)
def test_financial_year_quarters(label, start, end):
    q = Quarter.parse(label)
    assert (q.start, q.end, q.label) == (start, end, label)


def test_quarter_bounds_are_london_midnights():
    q = Quarter.parse("2026-Q3")
    # 1 October is in British Summer Time: midnight there is 23:00 UTC the day before.
    assert q.start_at.astimezone(UTC) == datetime(2026, 9, 30, 23, 0, tzinfo=UTC)
    # 1 January is GMT.
    assert q.end_at.astimezone(UTC) == datetime(2027, 1, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 15), "2026-Q3"),
        (date(2027, 3, 31), "2026-Q4"),
        (date(2027, 4, 1), "2027-Q1"),
    ],
)
def test_containing(day, expected):
    assert Quarter.containing(day).label == expected


@pytest.mark.parametrize("bad", ["2026-Q5", "2026Q3", "Q3-2026", "", "26-Q1"])
def test_bad_labels_refused_in_plain_english(bad):
    with pytest.raises(ValueError, match="2026-Q3"):
        Quarter.parse(bad)
    assert "April to June" in BAD_QUARTER


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # 31 Dec 2026 is a Thursday; 1 Jan 2027 is a bank holiday, then the weekend.
        (date(2027, 1, 1), None),
        (date(2027, 1, 4), "2026-Q3"),
        (date(2027, 1, 5), None),
        # 30 Sep 2026 is a Wednesday: the next day is the first working day.
        (date(2026, 10, 1), "2026-Q2"),
        # 31 Mar 2027 is a Wednesday; 1 April 2027 is an ordinary Thursday.
        (date(2027, 4, 1), "2026-Q4"),
        (date(2026, 11, 2), None),
    ],
)
def test_quarter_just_ended_only_on_first_working_day(today, expected):
    result = quarter_just_ended(today)
    assert (result.label if result else None) == expected
