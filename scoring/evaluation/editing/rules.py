"""The rules of an edited criteria tree, without the database: the workbook's checks, then the in-use ones.

The would-be tree is handed in as typed (`EditRow`, values as text) and checked by io.parse_rows exactly as an
uploaded sheet is, so the editor and the workbook can never disagree; each workbook error is mapped back to the
line of the form it came from (its position) and to its column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.evaluation.io import parse_rows
from scoring.evaluation.rows import COLUMNS, CriteriaRow, parse_code
from scoring.formatting import format_points

COLUMN_KEYS = {c.title: c.key for c in COLUMNS}
HEADER = [c.title for c in COLUMNS]
# The sheet given to parse_rows has its header on row 1, so the line at position i is on row i + 2.
FIRST_ROW = 2


@dataclass(frozen=True, slots=True)
class EditRow:
    """One line of the would-be tree as typed; key is the item's id, None for a new line."""

    key: int | None
    code: str
    name: str
    max_points: str
    step: str
    method: str
    guidance: str = ""
    not_applicable_reason: str = ""  # the period-wide exemption, carried through (not edited here)
    order: float = 0  # where the line goes: lines are sorted by it, then the tree order is rebuilt

    @classmethod
    def from_row(cls, row: CriteriaRow, *, key: int | None, order: float) -> EditRow:
        return cls(
            key=key,
            code=row.code,
            name=row.name,
            max_points=format(row.max_points, "f"),
            step=row.step,
            method=row.method,
            guidance=row.guidance,
            not_applicable_reason=row.not_applicable_reason,
            order=order,
        )


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem of the edit: on the line at `index` (None: the whole set) and in `column` ("" for the line)."""

    message: str
    index: int | None = None
    column: str = ""
    key: int | None = None  # the item of that line, when it has one


@dataclass(frozen=True, slots=True)
class CheckedTree:
    """The lines in tree order as (key, row), or the problems; never both."""

    rows: tuple[tuple[int | None, CriteriaRow], ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_edit(lines: Sequence[EditRow]) -> CheckedTree:
    """Return the would-be tree checked with the workbook's rules (sums, steps, methods, codes, shape)."""
    placed = sorted(range(len(lines)), key=lambda i: (lines[i].order, i))
    cells = [
        [
            lines[i].code,
            lines[i].name,
            lines[i].max_points,
            lines[i].step,
            lines[i].method,
            lines[i].guidance,
            lines[i].not_applicable_reason,
        ]
        for i in placed
    ]
    parsed = parse_rows([HEADER, *cells])
    if not parsed.ok:
        errors = tuple(
            RowError(
                message=error.message,
                index=placed[error.row - FIRST_ROW]
                if error.row is not None and error.row >= FIRST_ROW
                else None,
                column=COLUMN_KEYS.get(error.column_title, ""),
            )
            for error in parsed.errors
        )
        return CheckedTree(rows=(), errors=errors)
    keys = {parse_code(line.code): line.key for line in lines}
    return CheckedTree(rows=tuple((keys.get(row.code), row) for row in parsed.rows), errors=())


# --- once the set is in use ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemUsage:
    """What dossiers hold about one item: how many units, and the highest points entered (None: no points)."""

    units: int
    highest_points: Decimal | None = None


def in_use_problems(
    *,
    before: Mapping[int, CriteriaRow],
    after: Sequence[tuple[int | None, CriteriaRow]],
    usage: Mapping[int, ItemUsage],
    index_of: Mapping[int, int] | None = None,
) -> list[RowError]:
    """Return what the edit of an in-use set would lose of what people typed; index_of maps a key to its line."""
    index_of = index_of or {}
    problems: list[RowError] = []
    kept = {key: row for key, row in after if key is not None}
    parents = {row.parent_code for _key, row in after}
    for key, old in before.items():
        used = usage.get(key)
        if used is None or used.units == 0:
            continue
        values = {"code": old.code, "n": used.units}
        new = kept.get(key)
        if new is None:
            problems.append(
                RowError(
                    _(
                        "Không thể xóa mục %(code)s: %(n)s đơn vị đã có điểm, thẩm định, giải trình hoặc tài liệu "
                        "kiểm chứng cho mục này."
                    )
                    % values,
                    index=index_of.get(key),
                    key=key,
                )
            )
            continue
        if new.code in parents:
            problems.append(
                RowError(
                    _(
                        "Không thể thêm mục con vào mục %(code)s: %(n)s đơn vị đã có điểm, thẩm định, giải trình "
                        "hoặc tài liệu kiểm chứng cho mục này."
                    )
                    % values,
                    index=index_of.get(key),
                    key=key,
                    column="code",
                )
            )
        if new.method != old.method:
            problems.append(
                RowError(
                    _(
                        "Không thể đổi phương pháp của mục %(code)s: %(n)s đơn vị đã có điểm, thẩm định, giải trình "
                        "hoặc tài liệu kiểm chứng cho mục này."
                    )
                    % values,
                    index=index_of.get(key),
                    column="method",
                    key=key,
                )
            )
        if used.highest_points is not None and new.max_points < used.highest_points:
            problems.append(
                RowError(
                    _(
                        "Điểm tối đa của mục %(code)s không được thấp hơn %(points)s: đã có điểm %(points)s được chấm "
                        "cho mục này (%(n)s đơn vị có dữ liệu)."
                    )
                    % {**values, "points": format_points(used.highest_points)},
                    index=index_of.get(key),
                    key=key,
                    column="max_points",
                )
            )
    return problems


def next_child_code(parent_code: str, codes: Sequence[str]) -> str:
    """Return the code after the last child of parent_code ("" for a field): "1.3" after "1.1", "1.2"."""
    prefix = f"{parent_code}." if parent_code else ""
    numbers = [
        int(rest) for code in codes if code.startswith(prefix) and (rest := code[len(prefix) :]).isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"
