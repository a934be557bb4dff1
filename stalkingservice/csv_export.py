"""The one CSV writer. A spreadsheet opening an export must never run a cell as a formula
(CSV injection: a client's name or a note typed as "=HYPERLINK(...)"), so every text cell
that starts like a formula is written with a leading apostrophe, which spreadsheets show
as plain text. Numbers are written as they are: they cannot be formulas."""

import csv
import io
from collections.abc import Iterable, Sequence

# What a spreadsheet may take as the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The text of one cell; text that could start a formula is neutralised."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(rows: Iterable[Sequence], header: Sequence | None = None) -> str:
    """The CSV text of `rows` (after `header`, when given), every cell through
    `safe_cell`. An empty row is written as an empty line."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header is not None:
        writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
