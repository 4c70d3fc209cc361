"""The ballot-form workbook (.xlsx): reading with row-by-row validation, and writing. No database here.

Three sheets: "Mẫu phiếu" (one row per form), "Câu hỏi" (one row per question, keyed by form code and number) and
"Phương án" (one row per answer option; a question without option rows gets the default A–D). Every problem is
reported with its sheet, row and column, in Vietnamese, and the caller writes nothing unless there is none.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils.exceptions import InvalidFileException

from scoring.spreadsheets.limits import (
    Limits,
    SpreadsheetTooLarge,
    bounded_rows,
    import_limits,
    open_workbook,
)
from scoring.spreadsheets.write import append_row

FORMS_SHEET = "Mẫu phiếu"
QUESTIONS_SHEET = "Câu hỏi"
OPTIONS_SHEET = "Phương án"
FORM_COLUMNS = (
    "Mã mẫu phiếu",
    "Tên mẫu phiếu",
    "Đối tượng trả lời",
    "Mã nhóm đơn vị được đánh giá",
    "Trọng số",
    "Thứ tự",
)
QUESTION_COLUMNS = ("Mã mẫu phiếu", "Số câu", "Nội dung câu hỏi", "Mã tiêu chí")
OPTION_COLUMNS = ("Mã mẫu phiếu", "Số câu", "Mã phương án", "Nội dung phương án", "Tỷ lệ điểm", "Được tính")
OPTION_CODES = ("A", "B", "C", "D", "E")
YES = {"có", "co", "x", "1", "true", "yes"}
NO = {"không", "khong", "0", "false", "no"}


@dataclass(frozen=True, slots=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Trang “%(sheet)s”, dòng %(row)s") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _(", cột “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class OptionRow:
    code: str
    label: str
    share: Decimal
    counts: bool = True
    row: int = 0


@dataclass(frozen=True, slots=True)
class QuestionRow:
    number: int
    text: str
    item_code: str
    options: tuple[OptionRow, ...] = ()
    row: int = 0


@dataclass(frozen=True, slots=True)
class FormRow:
    code: str
    name: str
    respondent_group: str
    group_code: str
    group_weight: Decimal = Decimal(1)
    order: int = 0
    questions: tuple[QuestionRow, ...] = ()
    row: int = 0


@dataclass
class ParsedForms:
    forms: list[FormRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# --- Reading ---------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value: object) -> Decimal | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        # str() of an openpyxl float keeps what was typed (0.6, not 0.59999…).
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _positive_int(value: object) -> int | None:
    number = _decimal(value)
    if number is None or number != number.to_integral_value() or number < 0:
        return None
    return int(number)


class _Sheet:
    """Rows of one sheet as dicts by header, with an error list that knows the sheet's name."""

    def __init__(
        self, workbook, name: str, columns: Sequence[str], errors: list[RowError], limits: Limits
    ) -> None:
        self.name, self.columns, self.errors = name, columns, errors
        self.rows: list[tuple[int, dict[str, object]]] = []
        if name not in workbook.sheetnames:
            errors.append(RowError(name, 0, "", _("Thiếu trang “%(sheet)s”.") % {"sheet": name}))
            return
        rows = enumerate(workbook[name].iter_rows(values_only=True), start=1)
        values = [row for _n, row in bounded_rows(rows, limits)]
        header = [_text(v) for v in (values[0] if values else ())]
        missing = [c for c in columns if c not in header]
        for column in missing:
            errors.append(RowError(name, 1, column, _("Thiếu cột tiêu đề.")))
        if missing:
            return
        index = {c: header.index(c) for c in columns}
        for number, row in enumerate(values[1:], start=2):
            cells = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
            if any(_text(v) for v in cells.values()):
                self.rows.append((number, cells))

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(self.name, row, column, message))

    def required(self, row: int, cells: dict[str, object], column: str) -> str:
        text = _text(cells[column])
        if not text:
            self.error(row, column, _("Không được để trống."))
        return text


def _read_options(sheet: _Sheet) -> dict[tuple[str, int], list[OptionRow]]:
    options: dict[tuple[str, int], list[OptionRow]] = {}
    for row, cells in sheet.rows:
        form_code = sheet.required(row, cells, "Mã mẫu phiếu")
        number = _positive_int(cells["Số câu"])
        if number is None:
            sheet.error(row, "Số câu", _("Số câu phải là số nguyên dương."))
        code = _text(cells["Mã phương án"]).upper()
        if code not in OPTION_CODES:
            sheet.error(row, "Mã phương án", _("Mã phương án phải là một trong A, B, C, D, E."))
        label = sheet.required(row, cells, "Nội dung phương án")
        share = _decimal(cells["Tỷ lệ điểm"])
        if share is None or not (0 <= share <= 1):
            sheet.error(row, "Tỷ lệ điểm", _("Tỷ lệ điểm phải là số từ 0 đến 1 (ví dụ 0,6)."))
        counts_text = _text(cells["Được tính"]).lower()
        if counts_text and counts_text not in YES | NO:
            sheet.error(row, "Được tính", _("Ghi “Có” hoặc “Không”."))
        if not form_code or number is None or code not in OPTION_CODES or share is None:
            continue
        same = options.setdefault((form_code, number), [])
        if any(o.code == code for o in same):
            sheet.error(row, "Mã phương án", _("Phương án %(code)s bị trùng trong câu hỏi.") % {"code": code})
            continue
        same.append(OptionRow(code=code, label=label, share=share, counts=counts_text not in NO, row=row))
    return options


def _read_questions(
    sheet: _Sheet, options: dict[tuple[str, int], list[OptionRow]]
) -> dict[str, list[QuestionRow]]:
    questions: dict[str, list[QuestionRow]] = {}
    for row, cells in sheet.rows:
        form_code = sheet.required(row, cells, "Mã mẫu phiếu")
        number = _positive_int(cells["Số câu"])
        if number is None or number == 0:
            sheet.error(row, "Số câu", _("Số câu phải là số nguyên dương."))
        text = sheet.required(row, cells, "Nội dung câu hỏi")
        item_code = sheet.required(row, cells, "Mã tiêu chí")
        if not form_code or not number:
            continue
        same = questions.setdefault(form_code, [])
        if any(q.number == number for q in same):
            sheet.error(row, "Số câu", _("Câu %(number)s bị trùng trong mẫu phiếu.") % {"number": number})
            continue
        found = tuple(sorted(options.pop((form_code, number), []), key=lambda o: o.code))
        same.append(QuestionRow(number=number, text=text, item_code=item_code, options=found, row=row))
    return questions


def forms_from_workbook(content: bytes) -> ParsedForms:
    """Return the forms read from the workbook, or the list of every problem found (then forms is empty)."""
    result = ParsedForms()
    limits = import_limits()
    try:
        workbook = open_workbook(content, limits)
    except SpreadsheetTooLarge as exc:
        result.errors.append(RowError("", 0, "", str(exc)))
        return result
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        result.errors.append(RowError("", 0, "", _("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")))
        return result
    try:
        form_sheet = _Sheet(workbook, FORMS_SHEET, FORM_COLUMNS, result.errors, limits)
        question_sheet = _Sheet(workbook, QUESTIONS_SHEET, QUESTION_COLUMNS, result.errors, limits)
        option_sheet = _Sheet(workbook, OPTIONS_SHEET, OPTION_COLUMNS, result.errors, limits)
    except SpreadsheetTooLarge as exc:
        result.errors[:] = [RowError("", 0, "", str(exc))]
        return result
    finally:
        workbook.close()
    options = _read_options(option_sheet)
    questions = _read_questions(question_sheet, options)
    for (form_code, number), rows in options.items():
        for option in rows:
            option_sheet.error(
                option.row,
                "Số câu",
                _("Không có câu %(number)s của mẫu phiếu %(form)s trên trang “%(sheet)s”.")
                % {"number": number, "form": form_code, "sheet": QUESTIONS_SHEET},
            )
    forms: list[FormRow] = []
    for row, cells in form_sheet.rows:
        code = form_sheet.required(row, cells, "Mã mẫu phiếu")
        name = form_sheet.required(row, cells, "Tên mẫu phiếu")
        respondent_group = form_sheet.required(row, cells, "Đối tượng trả lời")
        group_code = form_sheet.required(row, cells, "Mã nhóm đơn vị được đánh giá")
        weight = _decimal(cells["Trọng số"]) if _text(cells["Trọng số"]) else Decimal(1)
        if weight is None or weight < 0:
            form_sheet.error(row, "Trọng số", _("Trọng số phải là số không âm."))
        order = _positive_int(cells["Thứ tự"]) if _text(cells["Thứ tự"]) else len(forms) + 1
        if order is None:
            form_sheet.error(row, "Thứ tự", _("Thứ tự phải là số nguyên không âm."))
        if any(f.code == code for f in forms):
            form_sheet.error(row, "Mã mẫu phiếu", _("Mã mẫu phiếu %(code)s bị trùng.") % {"code": code})
            continue
        form_questions = tuple(sorted(questions.pop(code, []), key=lambda q: q.number))
        if code and not form_questions:
            form_sheet.error(row, "Mã mẫu phiếu", _("Mẫu phiếu chưa có câu hỏi nào."))
        forms.append(
            FormRow(
                code=code,
                name=name,
                respondent_group=respondent_group,
                group_code=group_code,
                group_weight=weight if weight is not None else Decimal(1),
                order=order or 0,
                questions=form_questions,
                row=row,
            )
        )
    for form_code, rows in questions.items():
        for question in rows:
            question_sheet.error(
                question.row,
                "Mã mẫu phiếu",
                _("Không có mẫu phiếu %(form)s trên trang “%(sheet)s”.")
                % {"form": form_code, "sheet": FORMS_SHEET},
            )
    if not forms and not result.errors:
        form_sheet.error(2, "", _("Tệp không có mẫu phiếu nào."))
    if not result.errors:
        result.forms = forms
    result.errors.sort(key=lambda e: (e.sheet, e.row, e.column))
    return result


# --- Writing ---------------------------------------------------------------------------------------------------


def _share_cell(share: Decimal) -> float:
    # Excel stores numbers as doubles; the reader turns them back into the same short decimal.
    return float(share.normalize())


def forms_to_workbook(forms: Sequence[FormRow]) -> bytes:
    """Return the forms as an .xlsx in the layout forms_from_workbook reads."""
    workbook = Workbook()
    form_sheet = workbook.active
    form_sheet.title = FORMS_SHEET
    question_sheet = workbook.create_sheet(QUESTIONS_SHEET)
    option_sheet = workbook.create_sheet(OPTIONS_SHEET)
    append_row(form_sheet, FORM_COLUMNS)
    append_row(question_sheet, QUESTION_COLUMNS)
    append_row(option_sheet, OPTION_COLUMNS)
    for form in forms:
        append_row(
            form_sheet,
            [
                form.code,
                form.name,
                form.respondent_group,
                form.group_code,
                _share_cell(form.group_weight),
                form.order,
            ],
        )
        for question in form.questions:
            append_row(question_sheet, [form.code, question.number, question.text, question.item_code])
            for option in question.options:
                append_row(
                    option_sheet,
                    [
                        form.code,
                        question.number,
                        option.code,
                        option.label,
                        _share_cell(option.share),
                        "Có" if option.counts else "Không",
                    ],
                )
    for sheet, widths in ((form_sheet, (14, 40, 40, 28, 10, 8)), (question_sheet, (14, 8, 70, 14))):
        for letter, width in zip("ABCDEF", widths, strict=False):
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
