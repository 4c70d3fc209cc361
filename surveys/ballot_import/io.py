"""Reading a ballot file (.xlsx or .csv) and validating it against the period's survey design; no database.

Layout (the downloadable template): one row per ballot with the columns `ballot_number`, `form_code`,
`unit_code`, then optional respondent attribute columns (any other header, stored as text), then one
column per question number `C1`..`Cn` holding the chosen option code (A, B, C…).

The file is streamed (the sheet's XML row by row) because a province may import 100,000 ballots
at once. Errors that make the file wrong (unknown form, unit or option, a unit outside the form's target
group, a ballot number twice in the file) are collected with the row and column the user sees in
Excel; the import then stores nothing. Incomplete ballots are not errors: the issue keeps them, rejected
with their reason, and the service decides that.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.spreadsheets.limits import SpreadsheetTooLarge, bounded_rows, check_content, import_limits

NUMBER_COLUMN, FORM_COLUMN, UNIT_COLUMN = "ballot_number", "form_code", "unit_code"
REQUIRED_COLUMNS = (NUMBER_COLUMN, FORM_COLUMN, UNIT_COLUMN)
# The template's headers are Vietnamese; files made from the earlier (English) template still read.
VIETNAMESE_HEADERS = {NUMBER_COLUMN: "Số phiếu", FORM_COLUMN: "Mã mẫu phiếu", UNIT_COLUMN: "Mã đơn vị"}
HEADER_ALIASES = {
    **{vi.lower(): en for en, vi in VIETNAMESE_HEADERS.items()},
    "so_phieu": NUMBER_COLUMN,
    "ma_mau_phieu": FORM_COLUMN,
    "ma_don_vi": UNIT_COLUMN,
}
# Example rows of the template: a number with this prefix is never imported (an example left in the file).
EXAMPLE_PREFIX = "VIDU-"
QUESTION_RE = re.compile(r"^[Cc](\d{1,3})$")
NUMBER_LENGTH = 40  # Ballot.number
# Beyond this many, more errors only hide the first ones; the user fixes these and uploads again.
MAX_ERRORS = 200

COLUMN_HELP: tuple[tuple[str, bool, str], ...] = (
    (
        "Số phiếu (ballot_number)",
        True,
        gettext_lazy(
            "Số phiếu, không trùng trong cùng mẫu phiếu. Dòng có số phiếu bắt đầu bằng VIDU- là dòng ví dụ, không được nhập."
        ),
    ),
    ("Mã mẫu phiếu (form_code)", True, gettext_lazy("Mã mẫu phiếu, xem trang «Mã hợp lệ».")),
    (
        "Mã đơn vị (unit_code)",
        True,
        gettext_lazy("Mã đơn vị được đánh giá (thuộc nhóm đơn vị của mẫu phiếu), xem trang «Mã hợp lệ»."),
    ),
    (
        "C1 … Cn",
        True,
        gettext_lazy("Mã phương án trả lời của câu hỏi số 1 … n (A, B, C, D…); để trống nếu không trả lời."),
    ),
    (
        gettext_lazy("cột khác"),
        False,
        gettext_lazy("Thông tin người trả lời (ví dụ gioi_tinh, do_tuoi), được lưu nguyên văn."),
    ),
)


class BallotFileError(Exception):
    """The file is not importable; `errors` lists every problem found (up to MAX_ERRORS)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RowError:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("dòng %(row)s") % {"row": self.row} if self.row else _("tệp")
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    question_id: int
    options: Mapping[str, int]  # option code (upper case) -> option id


@dataclass(frozen=True, slots=True)
class FormSpec:
    form_id: int
    code: str
    target_group_id: int
    questions: Mapping[int, QuestionSpec]  # question number -> question


@dataclass(frozen=True, slots=True)
class UnitSpec:
    unit_id: int
    code: str
    group_id: int


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The period's survey design as plain values, keyed as the file writes them."""

    forms: Mapping[str, FormSpec]  # form code (upper case) -> form
    units: Mapping[str, UnitSpec]  # unit code (lower case) -> unit


@dataclass(frozen=True, slots=True)
class BallotRow:
    """One valid row. `answers` holds (question id, option id) of the answered questions only."""

    row: int
    number: str
    form_id: int
    unit_id: int
    respondent: dict[str, str]
    answers: tuple[tuple[int, int], ...]
    complete: bool


@dataclass(slots=True)
class _Errors:
    items: list[RowError] = field(default_factory=list)

    def add(self, row: int | None, column: str, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(row, column, message))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_ERRORS


def _text(value: object) -> str:
    """Return a cell as text; Excel stores a typed ballot number 17 as 17.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BallotFileError(
            [RowError(None, "", _("Tệp CSV không dùng mã UTF-8; hãy lưu lại dưới dạng “CSV UTF-8”."))]
        ) from exc


def _csv_rows(content: bytes) -> Iterator[tuple[int, tuple[object, ...]]]:
    text = _decode(content)
    # Line by line from a stream: .splitlines() would hold every line of a long file a second time.
    lines = io.StringIO(text, newline="")
    first = next((x for x in lines if x.strip() and not x.lstrip().startswith("#")), "")
    # Vietnamese Excel saves CSV with ";" because "," is its decimal separator.
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    for cells in reader:
        yield line + 1, tuple(cells)
        line = reader.line_num


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE = f"{_NS}row", f"{_NS}v"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if sheet is None:
        raise KeyError("no sheet")
    rel_id = sheet.get(f"{_REL_NS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target", "") for r in rels.iter(_PKG_REL) if r.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _event, element in ElementTree.iterparse(archive.open("xl/sharedStrings.xml")):
        if element.tag == f"{_NS}si":
            strings.append("".join(element.itertext()))
            element.clear()
    return strings


def _column_index(ref: str, cache: dict[str, int]) -> int:
    letters = ref.rstrip("0123456789")
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters:
            index = index * 26 + ord(letter.upper()) - 64
        index = cache[letters] = index - 1
    return index


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Stream the first sheet's rows as values.

    The sheet's XML is parsed directly (the standard library's expat-based iterparse, one row at a time)
    instead of through openpyxl's read-only mode, which needed 60 s for the 3.4 million cells of a
    100,000-ballot file against a 60 s budget for the whole import (benchmarks/bench_survey.py).
    """
    broken = [RowError(None, "", _("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng."))]
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        shared = _shared_strings(archive)
        stream = archive.open(_first_sheet_path(archive))
    except (zipfile.BadZipFile, KeyError, StopIteration, ElementTree.ParseError, ValueError) as exc:
        raise BallotFileError(broken) from exc
    columns: dict[str, int] = {}
    number = 0
    try:
        for _event, row in ElementTree.iterparse(stream):
            if row.tag != _ROW:
                continue
            number = int(row.get("r") or number + 1)
            cells: list[object] = []
            for cell in row:
                ref = cell.get("r")
                index = _column_index(ref, columns) if ref else len(cells)
                if index > len(cells):
                    cells.extend([None] * (index - len(cells)))
                kind = cell.get("t")
                if kind == "inlineStr":
                    cells.append("".join(cell.itertext()))
                    continue
                value = cell.find(_VALUE)
                text = value.text if value is not None else None
                if text is None:
                    cells.append(None)
                elif kind == "s":
                    cells.append(shared[int(text)])
                elif kind in ("str", "e"):
                    cells.append(text)
                elif kind == "b":
                    cells.append(text == "1")
                else:
                    cells.append(Decimal(text))
            row.clear()
            yield number, tuple(cells)
    except (ElementTree.ParseError, ValueError, IndexError, ArithmeticError) as exc:
        raise BallotFileError(broken) from exc
    finally:
        stream.close()


def _rows(content: bytes, filename: str) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Return the file's rows, bounded by the ballot import limits (checked on the zip directory first)."""
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv")):
        raise BallotFileError([RowError(None, "", _("Chỉ nhận tệp .xlsx hoặc .csv."))])
    limits = import_limits(ballots=True)
    try:
        check_content(content, filename, limits)
    except SpreadsheetTooLarge as exc:
        raise BallotFileError([RowError(None, "", str(exc))]) from exc
    rows = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(content)
    return bounded_rows(rows, limits)


@dataclass(frozen=True, slots=True)
class _Header:
    number: int
    form: int
    unit: int
    questions: tuple[tuple[int, int, str], ...]  # (cell index, question number, header as written)
    respondent: tuple[tuple[int, str], ...]  # (cell index, attribute name)


def _canonical(name: str) -> str:
    lowered = " ".join(unicodedata.normalize("NFC", name).lower().split())
    return HEADER_ALIASES.get(lowered, lowered)


def _header(line: int, cells: tuple[object, ...]) -> _Header:
    names = [_text(c) for c in cells]
    lowered = [_canonical(n) for n in names]
    missing = [c for c in REQUIRED_COLUMNS if c not in lowered]
    if missing:
        shown = [f"{VIETNAMESE_HEADERS[c]} ({c})" for c in missing]
        message = _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(shown)}
        raise BallotFileError([RowError(line, "", message)])
    questions, respondent, seen = [], [], set()
    for index, name in enumerate(names):
        if not name or lowered[index] in REQUIRED_COLUMNS:
            continue
        if lowered[index] in seen:
            raise BallotFileError([RowError(line, name, _("Cột bị lặp lại."))])
        seen.add(lowered[index])
        match = QUESTION_RE.match(name)
        if match:
            questions.append((index, int(match.group(1)), name))
        else:
            respondent.append((index, name))
    return _Header(
        number=lowered.index(NUMBER_COLUMN),
        form=lowered.index(FORM_COLUMN),
        unit=lowered.index(UNIT_COLUMN),
        questions=tuple(questions),
        respondent=tuple(respondent),
    )


def read_ballots(*, content: bytes, filename: str, catalogue: Catalogue) -> list[BallotRow]:
    """Return the file's ballots validated against the catalogue, or raise BallotFileError with all errors."""
    errors = _Errors()
    rows = _rows(content, filename)
    header: _Header | None = None
    ballots: list[BallotRow] = []
    seen_numbers: dict[tuple[int, str], int] = {}
    try:
        for line, cells in rows:
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            if header is None:
                # Comment lines above the header (a title, instructions) are allowed.
                if not (isinstance(cells[0], str) and cells[0].lstrip().startswith("#")):
                    header = _header(line, cells)
                continue
            if _cell(cells, header.number).upper().startswith(EXAMPLE_PREFIX):
                continue  # the template's example row, left in
            ballot = _ballot(line, cells, header, catalogue, errors, seen_numbers)
            if ballot is not None:
                ballots.append(ballot)
            if errors.full:
                break
    except SpreadsheetTooLarge as exc:
        raise BallotFileError([RowError(None, "", str(exc))]) from exc
    if header is None:
        errors.add(None, "", _("Tệp trống hoặc không có dòng tiêu đề."))
    elif not ballots and not errors.items:
        errors.add(None, "", _("Tệp không có phiếu nào."))
    if errors.items:
        raise BallotFileError(errors.items)
    return ballots


def _cell(cells: tuple[object, ...], index: int) -> str:
    return _text(cells[index]) if index < len(cells) else ""


def _ballot(
    line: int,
    cells: tuple[object, ...],
    header: _Header,
    catalogue: Catalogue,
    errors: _Errors,
    seen_numbers: dict[tuple[int, str], int],
) -> BallotRow | None:
    number = _cell(cells, header.number)
    form_code = _cell(cells, header.form)
    unit_code = _cell(cells, header.unit)
    before = len(errors.items)
    if not number:
        errors.add(line, NUMBER_COLUMN, _("Thiếu số phiếu."))
    elif len(number) > NUMBER_LENGTH:
        errors.add(line, NUMBER_COLUMN, _("Số phiếu dài quá %(n)s ký tự.") % {"n": NUMBER_LENGTH})
    form = catalogue.forms.get(form_code.upper())
    if form is None:
        message = _("Không có mẫu phiếu “%(code)s” trong kỳ đánh giá này.") % {"code": form_code}
        errors.add(line, FORM_COLUMN, message if form_code else _("Thiếu mã mẫu phiếu."))
    unit = catalogue.units.get(unit_code.lower())
    if unit is None:
        message = _("Không có đơn vị mã “%(code)s”.") % {"code": unit_code}
        errors.add(line, UNIT_COLUMN, message if unit_code else _("Thiếu mã đơn vị."))
    elif form is not None and unit.group_id != form.target_group_id:
        message = _("Đơn vị “%(unit)s” không thuộc nhóm đơn vị mà mẫu phiếu %(form)s đánh giá.")
        errors.add(line, UNIT_COLUMN, message % {"unit": unit_code, "form": form.code})
    if form is not None and number:
        first = seen_numbers.setdefault((form.form_id, number), line)
        if first != line:
            message = _("Số phiếu %(number)s trùng với dòng %(first)s (cùng mẫu phiếu %(form)s).")
            errors.add(line, NUMBER_COLUMN, message % {"number": number, "first": first, "form": form.code})
    answers: list[tuple[int, int]] = []
    if form is not None:
        size = len(cells)
        for index, question_number, column in header.questions:
            value = cells[index] if index < size else None
            if value is None:
                continue
            question = form.questions.get(question_number)
            # Fast path for the usual cell, an option code as stored ("A"): 3 million of them in a large file.
            option = question.options.get(value) if question is not None else None  # type: ignore[call-overload]
            if option is not None:
                answers.append((question.question_id, option))
                continue
            code = _text(value).upper()
            if not code:
                continue
            if question is None:
                message = _("Mẫu phiếu %(form)s không có câu hỏi số %(number)s.")
                errors.add(line, column, message % {"form": form.code, "number": question_number})
                continue
            option = question.options.get(code)
            if option is None:
                message = _("Phương án “%(code)s” không có trong câu hỏi %(number)s (chỉ có: %(options)s).")
                values = {"code": code, "number": question_number, "options": ", ".join(question.options)}
                errors.add(line, column, message % values)
                continue
            answers.append((question.question_id, option))
    if len(errors.items) > before or form is None or unit is None:
        return None
    respondent = {name: value for index, name in header.respondent if (value := _cell(cells, index))}
    return BallotRow(
        row=line,
        number=number,
        form_id=form.form_id,
        unit_id=unit.unit_id,
        respondent=respondent,
        answers=tuple(answers),
        complete=len(answers) == len(form.questions),
    )


def template_rows(*, catalogue: Catalogue) -> tuple[list[str], list[list[str]]]:
    """Return the template's header (Vietnamese) and one example row per form (first unit of its target group).

    The example's number starts with EXAMPLE_PREFIX: it cannot be one of the period's ballots, and a file
    that still holds it imports without it.
    """
    width = max((max(f.questions, default=0) for f in catalogue.forms.values()), default=0)
    header = [
        *(VIETNAMESE_HEADERS[c] for c in REQUIRED_COLUMNS),
        "gioi_tinh",
        *(f"C{n}" for n in range(1, width + 1)),
    ]
    examples = []
    for form in catalogue.forms.values():
        unit = next((u for u in catalogue.units.values() if u.group_id == form.target_group_id), None)
        if unit is None:
            continue
        answers = [
            next(iter(form.questions[n].options), "") if n in form.questions else ""
            for n in range(1, width + 1)
        ]
        examples.append([f"{EXAMPLE_PREFIX}{form.code}-0001", form.code, unit.code, "", *answers])
    return header, examples
