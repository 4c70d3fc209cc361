"""Reading a SIPAS spreadsheet (.xlsx or .csv) into one row per unit, or every error found; no database.

The national SIPAS survey gives, per unit, the overall satisfaction in % and its five components. The file
has one row per unit: unit_code, overall_pct, access_pct, procedures_pct, civil_servants_pct, results_pct,
feedback_pct. Percentages may be written "78,0", "78.0" or "78,0%"; a component may be left empty, the
overall value may not. Errors name the row and column the user sees in Excel.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from scoring.spreadsheets.io import Cell, RowError, TableReadError, read_table
from scoring.spreadsheets.write import csv_writer

UNIT_COLUMN = "unit_code"
OVERALL_COLUMN = "overall_pct"
COMPONENT_COLUMNS = ("access_pct", "procedures_pct", "civil_servants_pct", "results_pct", "feedback_pct")
COLUMNS = (UNIT_COLUMN, OVERALL_COLUMN, *COMPONENT_COLUMNS)
# The sample's headers are Vietnamese (as the pages name the figures); the English names still read.
VIETNAMESE_HEADERS = {
    UNIT_COLUMN: "Mã đơn vị",
    OVERALL_COLUMN: "Chỉ số hài lòng chung (%)",
    "access_pct": "Tiếp cận dịch vụ (%)",
    "procedures_pct": "Thủ tục hành chính (%)",
    "civil_servants_pct": "Công chức giải quyết công việc (%)",
    "results_pct": "Kết quả giải quyết công việc (%)",
    "feedback_pct": "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị (%)",
}
NAME_HEADER = "Tên đơn vị"  # in the sample for the reader's eye; not read
_ALIASES = {" ".join(vi.lower().split()): en for en, vi in VIETNAMESE_HEADERS.items()}


def _column(name: str) -> str:
    lowered = " ".join(unicodedata.normalize("NFC", name).strip().lower().split())
    return _ALIASES.get(lowered, lowered)


HUNDRED = Decimal(100)
PLACES = Decimal("0.01")


class SipasFileError(Exception):
    """The file is refused as a whole; .errors lists every problem found (row, column, Vietnamese reason)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class SipasRow:
    row: int
    unit_code: str
    overall_pct: Decimal
    access_pct: Decimal | None
    procedures_pct: Decimal | None
    civil_servants_pct: Decimal | None
    results_pct: Decimal | None
    feedback_pct: Decimal | None

    def values(self) -> dict[str, Decimal | None]:
        """Return the percentages keyed by column name (the SipasResult field names)."""
        return {column: getattr(self, column) for column in (OVERALL_COLUMN, *COMPONENT_COLUMNS)}


def parse_pct(value: Cell | None) -> Decimal | None:
    """Return a percentage 0..100 from a cell ("78,0", "78.0%", Decimal), None when empty; ValueError if not one."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        text = text.removesuffix("%").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("«%(value)s» không phải là số.") % {"value": value.strip()}) from exc
    if not number.is_finite() or number < 0 or number > HUNDRED:
        raise ValueError(_("«%(value)s» phải là tỉ lệ phần trăm từ 0 đến 100.") % {"value": value})
    return number.quantize(PLACES)


def _header_positions(header: tuple[str, ...]) -> tuple[dict[str, int], list[RowError]]:
    positions = {_column(name): i for i, name in reversed(list(enumerate(header)))}
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        return {}, [RowError(None, ", ".join(missing), _("thiếu cột bắt buộc."))]
    return {c: positions[c] for c in COLUMNS}, []


def parse_sipas(*, content: bytes, filename: str, unit_codes: Collection[str]) -> list[SipasRow]:
    """Return one row per unit of the file; SipasFileError with every error when any row is wrong.

    unit_codes: the codes of the units the body evaluates; any other code is an error.
    """
    try:
        table = read_table(content=content, filename=filename)
    except TableReadError as exc:
        raise SipasFileError([RowError(None, "", str(exc))]) from exc
    positions, errors = _header_positions(table.header)
    if errors:
        raise SipasFileError(errors)
    rows: list[SipasRow] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:

        def cell(column: str, cells=cells) -> Cell | None:
            index = positions[column]
            return cells[index] if index < len(cells) else None

        row_errors: list[RowError] = []
        raw_code = cell(UNIT_COLUMN)
        code = (format(raw_code, "f") if isinstance(raw_code, Decimal) else (raw_code or "")).strip()
        if not code:
            row_errors.append(RowError(line, UNIT_COLUMN, _("thiếu mã đơn vị.")))
        elif code not in unit_codes:
            row_errors.append(
                RowError(line, UNIT_COLUMN, _("không có đơn vị mã «%(code)s».") % {"code": code})
            )
        elif code in seen:
            row_errors.append(
                RowError(
                    line,
                    UNIT_COLUMN,
                    _("đơn vị «%(code)s» đã có ở dòng %(first)s.") % {"code": code, "first": seen[code]},
                )
            )
        else:
            seen[code] = line
        values: dict[str, Decimal | None] = {}
        for column in (OVERALL_COLUMN, *COMPONENT_COLUMNS):
            try:
                values[column] = parse_pct(cell(column))
            except ValueError as exc:
                row_errors.append(RowError(line, column, str(exc)))
                continue
            if column == OVERALL_COLUMN and values[column] is None:
                row_errors.append(RowError(line, column, _("thiếu chỉ số hài lòng chung.")))
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(SipasRow(row=line, unit_code=code, **values))
    if errors:
        raise SipasFileError(errors)
    if not rows:
        raise SipasFileError([RowError(None, "", _("Tệp không có dòng dữ liệu nào."))])
    return rows


def sample_csv(units: Iterable[tuple[str, str]]) -> str:
    """Return the Vietnamese header and one empty line per (unit code, name), in the order given, ready to fill in."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(
        [VIETNAMESE_HEADERS[UNIT_COLUMN], NAME_HEADER, *(VIETNAMESE_HEADERS[c] for c in COLUMNS[1:])]
    )
    writer.writerows([code, name, *[""] * (len(COLUMNS) - 1)] for code, name in units)
    return out.getvalue()
