"""The one CSV writer: no cell of an export can run as a spreadsheet formula."""

import csv
import io

import pytest

from stalkingservice.csv_export import safe_cell, write_csv


@pytest.mark.parametrize("value", ["=1+2", "+44 7700 900123", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"])
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
