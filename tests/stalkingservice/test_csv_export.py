"""The one CSV writer: no cell of an export can run as a spreadsheet formula."""

import csv
import io
from pathlib import Path

import pytest

from stalkingservice.csv_export import SafeCsvWriter, safe_cell, write_csv


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+44 7700 900123", "-2+3", "@SUM(A1:A2)", "\tx", "\rx", "\nx", " =1", "＝1+2"],
)
def test_text_that_could_start_a_formula_is_written_as_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("Plain text", "Plain text"), (12, "12"), (-3, "-3"), (12.5, "12.5")],
)
def test_other_cells_are_written_as_they_are(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_guards_every_cell_of_the_header_and_rows():
    text = write_csv([['=HYPERLINK("http://evil")', 4], [], ["ok", None]], header=["@a", "b"])
    assert list(csv.reader(io.StringIO(text))) == [
        ["'@a", "b"],
        ['\'=HYPERLINK("http://evil")', "4"],
        [],
        ["ok", ""],
    ]


def test_the_safe_writer_guards_every_cell_it_is_given():
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(["+1", 2])
    writer.writerows([["-2"], ["@x", "\tx"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'+1", "2"],
        ["'-2"],
        ["'@x", "'\tx"],
    ]


ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ("stalkingservice", "cases", "referrals", "risk", "reporting", "dataprotection", "demo")
RAW_WRITERS = ("csv.writer(", "csv.DictWriter(", "from csv import", "import csv")


def test_no_csv_is_written_outside_the_one_guarded_writer():
    """A new export cannot bypass the formula guard: nothing in the product's code but
    stalkingservice/csv_export.py touches the csv module."""
    offenders = []
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "stalkingservice" / "csv_export.py" or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {w}" for w in RAW_WRITERS if w in text]
    assert offenders == []
