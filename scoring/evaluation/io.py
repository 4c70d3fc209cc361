"""Criteria sets as Excel workbooks: read, check and write them, without touching the database.

The workbook layout is documented in its own sheet "Hướng dẫn" (see workbook_write.py) and in
docs/criteria-template.md. Reading returns every problem at once, each with its sheet, row and column,
so that a Sở Nội vụ officer can fix the whole file in one pass; services save nothing unless the list
is empty. Column titles are the file format, so they are plain strings, never translated.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

SHEET_CRITERIA = "Tiêu chí"
SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"

LEVEL_FIELD = "field"
LEVEL_CRITERION = "criterion"
LEVEL_SUB_CRITERION = "sub_criterion"
LEVELS = (LEVEL_FIELD, LEVEL_CRITERION, LEVEL_SUB_CRITERION)

METHOD_APPRAISAL = "appraisal"
METHOD_SURVEY = "survey"
METHOD_LABELS = {METHOD_APPRAISAL: "Thẩm định", METHOD_SURVEY: "Điều tra XHH"}

# Steps as stored (models.Step values); the default matches models.CriteriaItem.step.
STEPS = ("0.25", "0.50", "1.00")
DEFAULT_STEP = "0.25"

# Rows above the header that we look through: people often put a title and a blank line first.
HEADER_SEARCH_ROWS = 10
MAX_POINTS_LIMIT = Decimal(100000)  # models.POINTS: max_digits=7, decimal_places=2
CODE_RE = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    required: bool
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", True, 10),
    Column("name", "Nội dung", True, 60),
    Column("max_points", "Điểm tối đa", True, 12),
    Column("step", "Bước điểm", False, 11),
    Column("method", "Phương pháp", False, 16),
    Column("guidance", "Hướng dẫn chấm điểm", False, 60),
    Column("not_applicable_reason", "Không đánh giá trong kỳ (lý do)", False, 36),
)
COLUMN_TITLES = {c.key: c.title for c in COLUMNS}

# What people type in the "Phương pháp" column, normalised by _normalise().
METHOD_ALIASES = {
    "thẩm định": METHOD_APPRAISAL,
    "tham dinh": METHOD_APPRAISAL,
    "appraisal": METHOD_APPRAISAL,
    "tự chấm, thẩm định": METHOD_APPRAISAL,
    "điều tra xhh": METHOD_SURVEY,
    "điều tra xã hội học": METHOD_SURVEY,
    "dieu tra xhh": METHOD_SURVEY,
    "dieu tra xa hoi hoc": METHOD_SURVEY,
    "đtxhh": METHOD_SURVEY,
    "survey": METHOD_SURVEY,
}


@dataclass(frozen=True, slots=True)
class CriteriaRow:
    """One item of a criteria set (field, criterion or sub-criterion) as plain data."""

    code: str
    name: str
    max_points: Decimal
    step: str = DEFAULT_STEP
    method: str = ""  # blank on containers
    guidance: str = ""
    not_applicable_reason: str = ""  # non-blank: not applicable to anyone in the period
    # Where the row came from, for messages only: two equal trees read from different files are equal.
    row: int | None = field(default=None, compare=False)

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    @property
    def level(self) -> str:
        return LEVELS[min(self.depth, 3) - 1]

    @property
    def parent_code(self) -> str:
        return self.code.rpartition(".")[0]

    @property
    def field_code(self) -> str:
        return self.code.split(".")[0]


@dataclass(frozen=True, slots=True)
class WorkbookError:
    """One problem in an uploaded workbook; row and column are None when it concerns the whole file or sheet."""

    message: str
    sheet: str = SHEET_CRITERIA
    row: int | None = None
    column: str | None = None  # letter, "C"
    column_title: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("Trang '%(sheet)s'") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("dòng %(row)s") % {"row": self.row})
        if self.column:
            column = _("cột %(column)s") % {"column": self.column}
            where.append(f"{column} ({self.column_title})" if self.column_title else column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class ParsedCriteria:
    """Rows in tree order (each parent before its children, siblings in file order) and every problem."""

    rows: tuple[CriteriaRow, ...]
    errors: tuple[WorkbookError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def format_points(value: Decimal) -> str:
    """Return points without trailing zeros, Vietnamese style ("13,5", "0,25", "100")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_step(step: str) -> str:
    return format_points(Decimal(step))


def _normalise(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_decimal(value: Any) -> Decimal | None:
    """Return the number typed in a cell (Excel number, "1,5" or "1.5"), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        # str() gives the shortest repr, so 0.1 typed in Excel becomes Decimal("0.1"), not 0.1000000000000000055.
        return Decimal(str(value))
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if "," in text:
        # Vietnamese: "1.234,5" or "1,5"; the dot, if any, groups thousands.
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_code(value: Any) -> str:
    """Return the code as text; a code typed as an Excel number (1.2) comes back as "1.2"."""
    if isinstance(value, float) and not value.is_integer():
        return str(Decimal(str(value)))
    return _text(value).rstrip(".").replace(" ", "")


def parse_step(value: Any) -> str | None:
    """Return the stored step ("0.25", "0.50", "1.00") for a cell; blank means the default; None if unknown."""
    if _text(value) == "":
        return DEFAULT_STEP
    number = parse_decimal(value)
    if number is None:
        return None
    for step in STEPS:
        if number == Decimal(step):
            return step
    return None


def parse_method(value: Any) -> str | None:
    """Return "appraisal", "survey", "" for a blank cell, or None when the text is not a method."""
    text = _normalise(_text(value))
    if not text:
        return ""
    return METHOD_ALIASES.get(text)


# --- reading ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    """A row while it is being checked: a None attribute means that cell already has an error."""

    row: int
    code: str | None
    name: str
    max_points: Decimal | None
    step: str | None
    method: str | None
    guidance: str
    not_applicable_reason: str
    columns: dict[str, int]
    sheet: str

    def error(self, key: str, message: str) -> WorkbookError:
        return _cell_error(self.sheet, self.row, self.columns, key, message)


def read_criteria(source: Workbook | bytes | IO[bytes] | str | Path) -> ParsedCriteria:
    """Return the rows and problems of a criteria workbook given as a file, bytes, path or Workbook."""
    if isinstance(source, Workbook):
        return parse_workbook(source)
    if isinstance(source, bytes):
        source = BytesIO(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
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
        return parse_workbook(workbook)
    finally:
        workbook.close()


def parse_workbook(workbook: Workbook) -> ParsedCriteria:
    """Return the rows and problems of the "Tiêu chí" sheet of an openpyxl workbook."""
    sheets = {_normalise(name): name for name in workbook.sheetnames}
    name = sheets.get(_normalise(SHEET_CRITERIA))
    if name is None:
        message = _("Tệp không có trang '%(sheet)s' (các trang đang có: %(names)s).") % {
            "sheet": SHEET_CRITERIA,
            "names": ", ".join(workbook.sheetnames),
        }
        return ParsedCriteria(rows=(), errors=(WorkbookError(sheet="", message=message),))
    return parse_rows(workbook[name].iter_rows(values_only=True), sheet=name)


def parse_rows(rows: Iterable[Sequence[Any]], *, sheet: str = SHEET_CRITERIA) -> ParsedCriteria:
    """Return the rows and problems of a sheet given as cell values, header row included."""
    errors: list[WorkbookError] = []
    columns: dict[str, int] | None = None
    entries: list[_Entry] = []
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
        if all(_text(v) == "" for v in values):
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
    ordered, containers = _check_tree(entries, errors)
    if errors:
        return ParsedCriteria(rows=(), errors=tuple(sorted(errors, key=_error_order)))
    rows_out = tuple(_to_row(e, is_container=e.code in containers) for e in ordered)
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
    titles = {_normalise(c.title): c.key for c in COLUMNS}
    # Accept "Không đánh giá trong kỳ" without the "(lý do)" too.
    titles[_normalise("Không đánh giá trong kỳ")] = "not_applicable_reason"
    titles[_normalise("Không đánh giá")] = "not_applicable_reason"
    found = {}
    for index, value in enumerate(values):
        key = titles.get(_normalise(_text(value)))
        if key and key not in found:
            found[key] = index
    return found if "code" in found else None


def _read_entry(
    number: int, values: Sequence[Any], columns: dict[str, int], sheet: str, errors: list[WorkbookError]
) -> _Entry:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def error(key: str, message: str) -> None:
        errors.append(_cell_error(sheet, number, columns, key, message))

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

    name = _text(cell("name"))
    if not name:
        error("name", _("Thiếu nội dung của mục %(code)s.") % {"code": code or _text(raw_code)})

    step = parse_step(cell("step"))
    if step is None:
        error(
            "step",
            _("Bước điểm '%(value)s' không hợp lệ: chỉ dùng 0,25; 0,5 hoặc 1.")
            % {"value": _text(cell("step"))},
        )

    max_points = _read_max(cell("max_points"), step, lambda message: error("max_points", message))

    method = parse_method(cell("method"))
    if method is None:
        error(
            "method",
            _("Phương pháp '%(value)s' không hợp lệ: ghi 'Thẩm định' hoặc 'Điều tra XHH'.")
            % {"value": _text(cell("method"))},
        )

    return _Entry(
        row=number,
        code=code,
        name=name,
        max_points=max_points,
        step=step,
        method=method,
        guidance=_text(cell("guidance")),
        not_applicable_reason=_text(cell("not_applicable_reason")),
        columns=columns,
        sheet=sheet,
    )


def _read_max(value: Any, step: str | None, error: Any) -> Decimal | None:
    if _text(value) == "":
        error(_("Thiếu điểm tối đa."))
        return None
    number = parse_decimal(value)
    if number is None:
        error(_("'%(value)s' không phải là số.") % {"value": _text(value)})
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
            % {"value": format_points(number), "step": format_step(step)}
        )
        return None
    return number


def _cell_error(sheet: str, row: int, columns: dict[str, int], key: str, message: str) -> WorkbookError:
    index = columns.get(key)
    return WorkbookError(
        sheet=sheet,
        row=row,
        column=get_column_letter(index + 1) if index is not None else None,
        column_title=COLUMN_TITLES[key],
        message=message,
    )


def _check_tree(entries: list[_Entry], errors: list[WorkbookError]) -> tuple[list[_Entry], set[str]]:
    """Check codes, parents, sums and methods across rows; return the entries in tree order and the parents."""
    by_code: dict[str, _Entry] = {}
    for entry in entries:
        if entry.code is None:
            continue
        if entry.code in by_code:
            errors.append(
                entry.error(
                    "code",
                    _("Mã %(code)s trùng với dòng %(row)s.")
                    % {"code": entry.code, "row": by_code[entry.code].row},
                )
            )
            continue
        by_code[entry.code] = entry

    children: dict[str, list[_Entry]] = defaultdict(list)
    roots: list[_Entry] = []
    for entry in by_code.values():
        parent_code = entry.code.rpartition(".")[0]
        if not parent_code:
            roots.append(entry)
        elif parent_code in by_code:
            children[parent_code].append(entry)
        else:
            if parent_code.count(".") == 0:
                message = _("Tiêu chí %(code)s nằm ngoài mọi lĩnh vực: chưa có dòng lĩnh vực %(parent)s.")
            else:
                message = _(
                    "Tiêu chí thành phần %(code)s không thuộc tiêu chí nào: chưa có dòng tiêu chí %(parent)s."
                )
            errors.append(entry.error("code", message % {"code": entry.code, "parent": parent_code}))

    for entry in by_code.values():
        kids = children.get(entry.code, [])
        is_field = "." not in entry.code
        if is_field and not kids:
            errors.append(
                entry.error("code", _("Lĩnh vực %(code)s chưa có tiêu chí nào.") % {"code": entry.code})
            )
        if kids:
            _check_container(entry, kids, errors)
        elif not is_field and entry.method == "":
            errors.append(
                entry.error(
                    "method",
                    _(
                        "Mục %(code)s được chấm điểm nên phải ghi phương pháp ('Thẩm định' hoặc 'Điều tra XHH')."
                    )
                    % {"code": entry.code},
                )
            )

    ordered: list[_Entry] = []

    def visit(entry: _Entry) -> None:
        ordered.append(entry)
        for child in children.get(entry.code, []):
            visit(child)

    for root in roots:
        visit(root)
    return ordered, set(children)


def _check_container(entry: _Entry, kids: list[_Entry], errors: list[WorkbookError]) -> None:
    if entry.not_applicable_reason:
        errors.append(
            entry.error(
                "not_applicable_reason",
                _(
                    "Chỉ ghi 'không đánh giá' ở mục được chấm điểm; mục %(code)s có mục con, "
                    "hãy ghi ở từng mục con."
                )
                % {"code": entry.code},
            )
        )
    maxima = [k.max_points for k in kids]
    # A child whose maximum is already wrong would only add a second, misleading error here.
    if entry.max_points is None or any(m is None for m in maxima):
        return
    total = sum(maxima, Decimal(0))
    if total != entry.max_points:
        errors.append(
            entry.error(
                "max_points",
                _("Điểm tối đa của mục %(code)s là %(max)s nhưng tổng điểm tối đa các mục con là %(sum)s.")
                % {"code": entry.code, "max": format_points(entry.max_points), "sum": format_points(total)},
            )
        )


def _to_row(entry: _Entry, *, is_container: bool) -> CriteriaRow:
    assert entry.code is not None and entry.max_points is not None and entry.step is not None
    return CriteriaRow(
        code=entry.code,
        name=entry.name,
        max_points=entry.max_points,
        step=entry.step,
        # Containers keep a blank method (see models.CriteriaItem); one typed there is harmless and dropped.
        method="" if is_container else entry.method or "",
        guidance=entry.guidance,
        not_applicable_reason=entry.not_applicable_reason,
        row=entry.row,
    )
