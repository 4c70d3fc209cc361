"""Criteria sets as plain data: the workbook's sheets and columns, the row and error classes, and cell values.

The shared vocabulary of the criteria workbook reader (io.py), its tree checks (tree.py) and its writer
(workbook_write.py); no database and no openpyxl here. Column titles are the file format, so they are plain
strings, never translated.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

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

# What people type in the "Phương pháp" column, normalised by normalise().
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


def normalise(value: str) -> str:
    """Return text as compared: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def cell_text(value: Any) -> str:
    """Return a cell as stripped NFC text ("" for an empty cell, "3" for the Excel number 3.0)."""
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
    text = cell_text(value).replace(" ", "").replace("\u00a0", "")
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
    return cell_text(value).rstrip(".").replace(" ", "")


def parse_step(value: Any) -> str | None:
    """Return the stored step ("0.25", "0.50", "1.00") for a cell; blank means the default; None if unknown."""
    if cell_text(value) == "":
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
    text = normalise(cell_text(value))
    if not text:
        return ""
    return METHOD_ALIASES.get(text)
