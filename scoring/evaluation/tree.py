"""The checks of a criteria workbook that look across rows: unique codes, parents, sums of maxima, methods.

The reader (io.py) turns each sheet row into an `Entry`, with its own cell errors already recorded;
`check_tree` then adds the errors between rows and puts the entries in tree order. Pure, like io.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from scoring.evaluation.rows import COLUMN_TITLES, CriteriaRow, WorkbookError
from scoring.formatting import format_points


@dataclass(slots=True)
class Entry:
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
        return cell_error(self.sheet, self.row, self.columns, key, message)


def cell_error(sheet: str, row: int, columns: dict[str, int], key: str, message: str) -> WorkbookError:
    """Return the error of one cell, its column named by letter and title."""
    index = columns.get(key)
    return WorkbookError(
        sheet=sheet,
        row=row,
        column=get_column_letter(index + 1) if index is not None else None,
        column_title=COLUMN_TITLES[key],
        message=message,
    )


def check_tree(entries: list[Entry], errors: list[WorkbookError]) -> tuple[list[Entry], set[str]]:
    """Check codes, parents, sums and methods across rows; return the entries in tree order and the parents."""
    by_code: dict[str, Entry] = {}
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

    children: dict[str, list[Entry]] = defaultdict(list)
    roots: list[Entry] = []
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

    ordered: list[Entry] = []

    def visit(entry: Entry) -> None:
        ordered.append(entry)
        for child in children.get(entry.code, []):
            visit(child)

    for root in roots:
        visit(root)
    return ordered, set(children)


def _check_container(entry: Entry, kids: list[Entry], errors: list[WorkbookError]) -> None:
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


def to_row(entry: Entry, *, is_container: bool) -> CriteriaRow:
    """Return a checked entry as a CriteriaRow."""
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
