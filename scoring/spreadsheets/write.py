"""The one way exports write spreadsheet cells (.xlsx and .csv), so that typed text is never run as a formula.

Text that a unit officer, an appraiser or an import typed ("=HYPERLINK(…)", "=cmd|' /C calc'!A0", "+1+1") would
be run by Excel or LibreOffice when the file is opened (CSV or formula injection, OWASP). Following OWASP, text is
risky when it starts with = + - @ tab or carriage return, also after leading spaces, since spreadsheet programs skip
those before looking for a formula.

- .xlsx: risky text is a string cell with Excel's "quote prefix" style, so the visible text is exactly what was
  typed and stays text even when a user edits the cell; a string that openpyxl would store as a formula is stored
  as a string. Re-importing the file reads the same text back.
- .csv: risky text gets a leading apostrophe, the only mark a CSV has; spreadsheet programs then show it as text.

Numbers, dates and booleans are written as they are. A formula the product means to write goes through
``Formula``, the one explicit way in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill

TRIGGERS = frozenset("=+-@\t\r")
WHOLE_NUMBER_FORMAT = "#,##0"
POINTS_FORMAT = "0.00"


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula the product writes on purpose, e.g. "=SUM(C4:C20)"; never built from typed text."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError("A formula starts with '='.")


def is_risky(text: str) -> bool:
    """Return True when a spreadsheet program could read the text as a formula."""
    return text[:1] in TRIGGERS or text.lstrip()[:1] in TRIGGERS


# --- .csv -----------------------------------------------------------------------------------------------------


def csv_marked(text: str) -> bool:
    """Return True when a CSV field needs the apostrophe: risky text, or text that starts with one already."""
    # The second case keeps reading back exact: "'=1" typed is written "''=1", and io.csv_text drops one.
    return is_risky(text) or text[:1] == "'"


def csv_field(value: object) -> object:
    """Return the value as the csv module should write it: risky text behind an apostrophe, the rest unchanged."""
    if isinstance(value, str) and csv_marked(value):
        return "'" + value
    return value


class CsvWriter:
    """csv.writer whose every field goes through csv_field."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_field(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **options: Any) -> CsvWriter:
    """Return a writer for out; options are those of csv.writer (delimiter, lineterminator…)."""
    return CsvWriter(out, **options)


# --- .xlsx ----------------------------------------------------------------------------------------------------


def _neutralise(cell: Cell) -> Cell:
    if isinstance(cell.value, str) and (cell.data_type == "f" or is_risky(cell.value)):
        # "s" stores the text as typed; quotePrefix is the style Excel sets when a user types a leading apostrophe.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def set_value(cell: Cell, value: object) -> Cell:
    """Put value into an existing cell (normal worksheets): text stays text, a Formula stays a formula."""
    if isinstance(value, Formula):
        cell.value = value.text
        return cell
    if isinstance(value, str):
        # Control characters (pasted from another program) are invalid in the file's XML and would fail the export.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    return _neutralise(cell)


def xlsx_cell(
    ws: Any,
    value: object,
    *,
    font: Font | None = None,
    alignment: Alignment | None = None,
    fill: PatternFill | None = None,
    border: Border | None = None,
    number_format: str | None = None,
) -> Cell:
    """Return a detached cell for ws.append (write-only or normal worksheet), with the styles given."""
    cell = set_value(WriteOnlyCell(ws), value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _safe(ws: Any, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, Cell):
        # Built by xlsx_cell, so already safe (tests/scoring/spreadsheets/test_write.py keeps other cell makers out).
        return value
    if (
        isinstance(value, str)
        and (is_risky(value) or ILLEGAL_CHARACTERS_RE.search(value))
        or isinstance(value, Formula)
    ):
        return xlsx_cell(ws, value)
    # Safe plain values stay plain: write-only sheets write them through one reused cell, and a cell object per
    # value doubled the time of a 4,400-row rankings sheet.
    return value


def default_number_format(value: object) -> str | None:
    """Return the format a number is shown with: whole numbers "#,##0", points and indices "0.00"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return WHOLE_NUMBER_FORMAT
    if isinstance(value, (Decimal, float)):
        return POINTS_FORMAT
    return None


def _formatted(ws: Any, value: object) -> object:
    """Return the value with its number format: a plain number becomes a cell, a cell keeps a format it was given."""
    if isinstance(value, Cell):
        if value.number_format == "General" and (number_format := default_number_format(value.value)):
            value.number_format = number_format
        return value
    number_format = default_number_format(value)
    return xlsx_cell(ws, value, number_format=number_format) if number_format else value


def append_row(ws: Any, values: Iterable[object], *, number_formats: bool = False) -> None:
    """Append one row to ws (write-only or normal); plain values, cells from xlsx_cell and Formulas are accepted.

    number_formats=True gives every number of the row a format (default_number_format) unless its cell has one:
    a report's sheets show "1.200" and "85,11" as printed. Off by default, for large data sheets: a cell object
    per value doubles their time, and a year such as 2020 must not print as "2.020". Write years as text there.
    """
    if number_formats:
        ws.append([_formatted(ws, _safe(ws, v)) for v in values])
    else:
        ws.append([_safe(ws, v) for v in values])


def put(ws: Any, row: int, column: int, value: object, *, number_format: str | None = None) -> Cell:
    """Write value at (row, column) of a normal worksheet and return the cell for styling.

    number_format: the cell's format, e.g. WHOLE_NUMBER_FORMAT; "default" picks it from the value.
    """
    cell = set_value(ws.cell(row=row, column=column), value)
    if number_format == "default":
        number_format = default_number_format(cell.value)
    if number_format:
        cell.number_format = number_format
    return cell
