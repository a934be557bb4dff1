"""The one CSV writer. A spreadsheet opening an export must never run a cell as a formula
(CSV injection: a client's name, a note or a worker's name typed as "=HYPERLINK(...)"),
so every text cell that starts like a formula is written with a leading apostrophe, which
spreadsheets show as plain text. Numbers are written as they are: they cannot be formulas.

This module is the only one in the product that may use the `csv` module to write
(`tests/stalkingservice/test_csv_export.py` greps the code for any other writer): every
export takes a `SafeCsvWriter`, whose rows pass through `safe_cell` cell by cell, so no
cell (a header, a reference, a date, "recorded by") can be forgotten."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

# What a spreadsheet may take as the start of a formula (OWASP's list, with the newline,
# and the full-width forms some spreadsheet locales also accept).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value) -> str:
    """The text of one cell; text that could start a formula is neutralised (also after
    leading spaces, which some spreadsheets skip)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """A csv writer whose every cell goes through `safe_cell`: the only way the product
    writes CSV."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def write_csv(rows: Iterable[Sequence], header: Sequence | None = None) -> str:
    """The CSV text of `rows` (after `header`, when given), every cell through
    `safe_cell`. An empty row is written as an empty line."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
