"""Reading a spreadsheet (.xlsx or .csv) into a header and numbered rows of cells; no database.

Tolerant of what Vietnamese offices actually send: comment lines before the header, a UTF-8 BOM,
";" as the CSV delimiter, Excel's binary noise on numbers, blank rows. Row numbers are those the
user sees in Excel or a text editor, so that error messages can point at them.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.spreadsheets.write import csv_marked

from .limits import Limits, SpreadsheetTooLarge, bounded_rows, check_csv, import_limits, open_workbook

# A cell is the text as written, or a Decimal when Excel stored a number.
Cell = str | Decimal


class TableReadError(Exception):
    """The file cannot be read as a table; str(exc) says why, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Table:
    header_line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (line or row number, cells)


def is_blank(cells: Sequence[Cell]) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in cells)


def _is_comment(cells: Sequence[Cell]) -> bool:
    first = next((c for c in cells if not (isinstance(c, str) and not c.strip())), "")
    return isinstance(first, str) and first.lstrip().startswith("#")


def _table(numbered_rows: Iterable[tuple[int, Sequence[Cell]]]) -> Table:
    """Return the header and data rows, skipping leading comment and blank rows and blank data rows."""
    rows = iter(numbered_rows)
    for line, cells in rows:
        if is_blank(cells) or _is_comment(cells):
            continue
        header = tuple(str(c) for c in cells)
        data = tuple((n, tuple(c)) for n, c in rows if not is_blank(c))
        return Table(header_line=line, header=header, rows=data)
    raise TableReadError(_("Tệp trống hoặc không có dòng tiêu đề."))


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableReadError(_("Tệp CSV không dùng mã UTF-8; hãy lưu lại dưới dạng “CSV UTF-8”.")) from exc


def _delimiter(header_line: str) -> str:
    # Vietnamese Excel saves CSV with ";" because "," is its decimal separator.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def csv_text(cell: str) -> str:
    """Return the text of a CSV field without the apostrophe our exports put before formula-like text."""
    # Only what write.csv_field adds: an apostrophe before text a spreadsheet would run ("'=1+1", "'-2"), or
    # before an apostrophe that was typed. "'abc" from another program stays as it is.
    return cell[1:] if cell[:1] == "'" and csv_marked(cell[1:]) else cell


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    # newline="": split on \n, \r\n or \r only and keep the endings, as the csv module expects. The lines are
    # read one by one (not .readlines()), so that a long file is held once, as its text.
    lines = io.StringIO(_decode(content), newline="")
    start = 0
    for first in lines:
        if first.strip() and not first.lstrip().startswith("#"):
            break
        start += 1
    else:
        return
    reader = csv.reader(itertools.chain((first,), lines), delimiter=_delimiter(first))
    line = start
    for cells in reader:
        # A quoted cell may span lines: a row starts on the line after the previous row ended.
        yield line + 1, [csv_text(c) for c in cells]
        line = start + reader.line_num


def _xlsx_cell(value: object, number_format: str) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool | datetime | date):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # 15 significant digits is Excel's own precision; it drops binary noise such as 85.67000000000002.
        number = Decimal(f"{value:.15g}")
        # A cell shown as "87,42%" holds 0.8742.
        return number * 100 if "%" in number_format else number
    return str(value)


def _open_workbook(content: bytes, limits: Limits):
    try:
        return open_workbook(content, limits)
    except SpreadsheetTooLarge:
        raise
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for a broken file
        raise TableReadError(_("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng.")) from exc


def _sheet_rows(sheet, limits: Limits) -> Iterator[tuple[int, list[Cell]]]:
    # From row 1, so that row numbers are Excel's even when the sheet starts lower down.
    rows = ((n, row) for n, row in enumerate(sheet.iter_rows(min_row=1), start=1))
    for number, row in bounded_rows(rows, limits):
        yield number, [_xlsx_cell(c.value, getattr(c, "number_format", None) or "") for c in row]


def _find_sheet(workbook, sheet_name: str):
    wanted = sheet_name.strip().lower()
    return next((w for w in workbook.worksheets if w.title.strip().lower() == wanted), None)


def _xlsx_table(workbook, limits: Limits, sheet_name: str | None = None) -> Table | None:
    """Return the first sheet, or the sheet named (case and spaces ignored) as a table; None if absent or empty."""
    sheet = workbook.worksheets[0] if sheet_name is None else _find_sheet(workbook, sheet_name)
    if sheet is None:
        return None
    try:
        rows = list(_sheet_rows(sheet, limits))
    except SpreadsheetTooLarge as exc:
        raise TableReadError(str(exc)) from exc
    except Exception as exc:  # a broken sheet XML shows only once the sheet is streamed
        raise TableReadError(_("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng.")) from exc
    if sheet_name is not None and not rows:
        return None
    return _table(rows)


def read_tables(
    *, content: bytes, filename: str, extra_sheet: str | None, limits: Limits | None = None
) -> tuple[Table, Table | None]:
    """Return the first table of an .xlsx or .csv file and, for an .xlsx, its sheet named extra_sheet (or None).

    The workbook is checked and opened once for both sheets.
    """
    limits = limits or import_limits()
    if not filename.lower().endswith(".xlsx"):
        return read_table(content=content, filename=filename, limits=limits), None
    try:
        workbook = _open_workbook(content, limits)
    except SpreadsheetTooLarge as exc:
        raise TableReadError(str(exc)) from exc
    try:
        first = _xlsx_table(workbook, limits)
        assert first is not None  # a workbook always has a first sheet
        return first, (_xlsx_table(workbook, limits, extra_sheet) if extra_sheet else None)
    finally:
        workbook.close()


def read_table(*, content: bytes, filename: str, limits: Limits | None = None) -> Table:
    """Return the header and data rows of an .xlsx (first sheet) or .csv file, numbered as in Excel.

    Raises TableReadError, before reading anything, when the file is beyond the import limits.
    """
    limits = limits or import_limits()
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            workbook = _open_workbook(content, limits)
            try:
                table = _xlsx_table(workbook, limits)
                assert table is not None  # a workbook always has a first sheet
                return table
            finally:
                workbook.close()
        if name.endswith(".csv"):
            check_csv(content, limits)
            return _table(bounded_rows(_csv_rows(content), limits))
    except SpreadsheetTooLarge as exc:
        raise TableReadError(str(exc)) from exc
    if name.endswith(".xls"):
        message = _("Định dạng .xls cũ không được hỗ trợ; hãy lưu lại thành .xlsx hoặc .csv.")
    else:
        message = _("Chỉ nhận tệp .xlsx hoặc .csv.")
    raise TableReadError(message)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file; row is the line (CSV) or row (Excel) number, None for the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Dòng %(row)s, cột %(column)s: %(message)s") % self.as_dict()
        if self.row is not None:
            return _("Dòng %(row)s: %(message)s") % self.as_dict()
        if self.column:
            return _("Cột %(column)s: %(message)s") % self.as_dict()
        return self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowsError(Exception):
    """A file that cannot be imported; nothing was saved. .errors lists every problem, row by row."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
