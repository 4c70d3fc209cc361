"""Criteria sets as Excel workbooks: read and check them, without touching the database.

The workbook layout is documented in its own sheet "Hướng dẫn" (see workbook_write.py) and in
docs/criteria-template.md. Reading returns every problem at once, each with its sheet, row and column,
so that a Sở Nội vụ officer can fix the whole file in one pass; services save nothing unless the list
is empty. The rows, errors and cell parsers are in rows.py, the checks across rows in tree.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from scoring.evaluation.rows import (
    COLUMNS,
    METHOD_LABELS,
    SHEET_CRITERIA,
    CriteriaRow,
    ParsedCriteria,
    WorkbookError,
    cell_text,
    normalise,
    parse_code,
    parse_decimal,
    parse_method,
    parse_step,
)
from scoring.evaluation.tree import Entry, cell_error, check_tree, to_row
from scoring.formatting import format_points
from scoring.spreadsheets.limits import (
    Limits,
    SpreadsheetTooLarge,
    bounded_rows,
    import_limits,
    open_workbook,
)

# Rows above the header that we look through: people often put a title and a blank line first.
HEADER_SEARCH_ROWS = 10
MAX_POINTS_LIMIT = Decimal(100000)  # models.POINTS: max_digits=7, decimal_places=2
CODE_RE = re.compile(r"^\d+(\.\d+)*$")


def read_criteria(source: Workbook | bytes | IO[bytes] | str | Path) -> ParsedCriteria:
    """Return the rows and problems of a criteria workbook given as a file, bytes, path or Workbook."""
    if isinstance(source, Workbook):
        return parse_workbook(source)
    if isinstance(source, Path | str):
        source = Path(source).read_bytes()
    elif not isinstance(source, bytes):
        if hasattr(source, "seek"):
            source.seek(0)
        source = source.read()
    limits = import_limits()
    try:
        workbook = open_workbook(source, limits)
    except SpreadsheetTooLarge as exc:
        return ParsedCriteria(rows=(), errors=(WorkbookError(sheet="", message=str(exc)),))
    except Exception:  # openpyxl raises zipfile, XML and key errors alike for a file that is not .xlsx
        return ParsedCriteria(
            rows=(),
            errors=(
                WorkbookError(
                    sheet="",
                    message=_(
                        "Không đọc được tệp: tệp phải là bảng tính Excel (.xlsx), ví dụ tải từ mẫu của hệ thống."
                    ),
                ),
            ),
        )
    try:
        return parse_workbook(workbook, limits=limits)
    finally:
        workbook.close()


def parse_workbook(workbook: Workbook, *, limits: Limits | None = None) -> ParsedCriteria:
    """Return the rows and problems of the "Tiêu chí" sheet of an openpyxl workbook.

    Reading stops at the first row or cell beyond the limits (import limits by default), with that one problem.
    """
    sheets = {normalise(name): name for name in workbook.sheetnames}
    name = sheets.get(normalise(SHEET_CRITERIA))
    if name is None:
        message = _("Tệp không có trang '%(sheet)s' (các trang đang có: %(names)s).") % {
            "sheet": SHEET_CRITERIA,
            "names": ", ".join(workbook.sheetnames),
        }
        return ParsedCriteria(rows=(), errors=(WorkbookError(sheet="", message=message),))
    rows = enumerate(workbook[name].iter_rows(values_only=True), start=1)
    bounded = (values for _n, values in bounded_rows(rows, limits or import_limits()))
    try:
        return parse_rows(bounded, sheet=name)
    except SpreadsheetTooLarge as exc:
        return ParsedCriteria(rows=(), errors=(WorkbookError(sheet=name, message=str(exc)),))


def parse_rows(rows: Iterable[Sequence[Any]], *, sheet: str = SHEET_CRITERIA) -> ParsedCriteria:
    """Return the rows and problems of a sheet given as cell values, header row included."""
    errors: list[WorkbookError] = []
    columns: dict[str, int] | None = None
    entries: list[Entry] = []
    for number, values in enumerate(rows, start=1):
        values = tuple(values or ())
        if columns is None:
            if number > HEADER_SEARCH_ROWS:
                break
            columns = _header_columns(values)
            if columns is not None:
                missing = [c for c in COLUMNS if c.required and c.key not in columns]
                for column in missing:
                    errors.append(
                        WorkbookError(
                            sheet=sheet,
                            row=number,
                            message=_("Thiếu cột '%(title)s' ở dòng tiêu đề.") % {"title": column.title},
                        )
                    )
                if missing:
                    return ParsedCriteria(rows=(), errors=tuple(errors))
            continue
        if all(cell_text(v) == "" for v in values):
            continue
        entries.append(_read_entry(number, values, columns, sheet, errors))
    if columns is None:
        message = _("Không tìm thấy dòng tiêu đề (có các cột %(titles)s) trong %(n)s dòng đầu.") % {
            "titles": ", ".join(f"'{c.title}'" for c in COLUMNS if c.required),
            "n": HEADER_SEARCH_ROWS,
        }
        return ParsedCriteria(rows=(), errors=(WorkbookError(sheet=sheet, message=message),))
    if not entries:
        errors.append(WorkbookError(sheet=sheet, message=_("Trang không có dòng tiêu chí nào.")))
    ordered, containers = check_tree(entries, errors)
    if errors:
        return ParsedCriteria(rows=(), errors=tuple(sorted(errors, key=_error_order)))
    rows_out = tuple(to_row(e, is_container=e.code in containers) for e in ordered)
    return ParsedCriteria(rows=rows_out, errors=())


def validate_rows(rows: Sequence[CriteriaRow], *, sheet: str = SHEET_CRITERIA) -> ParsedCriteria:
    """Return rows (as data, e.g. the demo sets) in tree order with the same checks as an uploaded sheet."""
    header = [c.title for c in COLUMNS]
    cells = [
        [
            r.code,
            r.name,
            r.max_points,
            r.step,
            METHOD_LABELS.get(r.method, r.method),
            r.guidance,
            r.not_applicable_reason,
        ]
        for r in rows
    ]
    return parse_rows([header, *cells], sheet=sheet)


def _error_order(error: WorkbookError) -> tuple[int, str]:
    return (error.row or 0, error.column or "")


def _header_columns(values: Sequence[Any]) -> dict[str, int] | None:
    """Return {column key: 0-based index} when this row is the header row (it has "Mã"), else None."""
    titles = {normalise(c.title): c.key for c in COLUMNS}
    # Accept "Không đánh giá trong kỳ" without the "(lý do)" too.
    titles[normalise("Không đánh giá trong kỳ")] = "not_applicable_reason"
    titles[normalise("Không đánh giá")] = "not_applicable_reason"
    found = {}
    for index, value in enumerate(values):
        key = titles.get(normalise(cell_text(value)))
        if key and key not in found:
            found[key] = index
    return found if "code" in found else None


def _read_entry(
    number: int, values: Sequence[Any], columns: dict[str, int], sheet: str, errors: list[WorkbookError]
) -> Entry:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def error(key: str, message: str) -> None:
        errors.append(cell_error(sheet, number, columns, key, message))

    raw_code = cell("code")
    code: str | None = parse_code(raw_code)
    if not code:
        error("code", _("Thiếu mã."))
        code = None
    elif not CODE_RE.match(code):
        error(
            "code",
            _("Mã '%(code)s' không đúng dạng: dùng các số cách nhau bằng dấu chấm, ví dụ 1, 1.2, 1.2.3.")
            % {"code": code},
        )
        code = None
    elif code.count(".") >= 3:
        error(
            "code",
            _("Mã %(code)s có %(n)s cấp; bộ tiêu chí chỉ có 3 cấp: lĩnh vực, tiêu chí, tiêu chí thành phần.")
            % {"code": code, "n": code.count(".") + 1},
        )
        code = None

    name = cell_text(cell("name"))
    if not name:
        error("name", _("Thiếu nội dung của mục %(code)s.") % {"code": code or cell_text(raw_code)})

    step = parse_step(cell("step"))
    if step is None:
        error(
            "step",
            _("Bước điểm '%(value)s' không hợp lệ: chỉ dùng 0,25; 0,5 hoặc 1.")
            % {"value": cell_text(cell("step"))},
        )

    max_points = _read_max(cell("max_points"), step, lambda message: error("max_points", message))

    method = parse_method(cell("method"))
    if method is None:
        error(
            "method",
            _("Phương pháp '%(value)s' không hợp lệ: ghi 'Thẩm định' hoặc 'Điều tra XHH'.")
            % {"value": cell_text(cell("method"))},
        )

    return Entry(
        row=number,
        code=code,
        name=name,
        max_points=max_points,
        step=step,
        method=method,
        guidance=cell_text(cell("guidance")),
        not_applicable_reason=cell_text(cell("not_applicable_reason")),
        columns=columns,
        sheet=sheet,
    )


def _read_max(value: Any, step: str | None, error: Any) -> Decimal | None:
    if cell_text(value) == "":
        error(_("Thiếu điểm tối đa."))
        return None
    number = parse_decimal(value)
    if number is None:
        error(_("'%(value)s' không phải là số.") % {"value": cell_text(value)})
        return None
    if number < 0:
        error(_("Điểm tối đa %(value)s không được âm.") % {"value": format_points(number)})
        return None
    if number >= MAX_POINTS_LIMIT:
        error(_("Điểm tối đa %(value)s quá lớn.") % {"value": format_points(number)})
        return None
    if step is not None and number % Decimal(step) != 0:
        error(
            _("%(value)s không phải bội số của bước điểm %(step)s")
            % {"value": format_points(number), "step": format_points(Decimal(step))}
        )
        return None
    return number
