"""Excel workbook of a recovery plan (province or unit); nothing here queries the database.

Two sheets: the fields (last year, planned recovery, projection, target and who answers for it) and the
items with their actions. Numbers are stored as numbers ("0.00"), headers frozen, pages set up for A4.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from scoring import calc
from scoring.spreadsheets.write import put

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from reports.plans.selectors import Plan

NUMBER_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
OVERDUE_FILL = PatternFill("solid", fgColor="FDECEA")
THIN = Side(style="thin", color="888888")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _number(value: Decimal | None) -> Decimal | None:
    # The cell holds the value as printed, so a sum in Excel matches the page.
    return None if value is None else calc.quantize_score(value)


def _header(ws: Worksheet, row: int, labels: list[str], widths: list[int]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = put(ws, row, column, label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.print_title_rows = f"{row}:{row}"


def _write(ws: Worksheet, row: int, values: list[object], *, bold: bool = False, fill=None) -> None:
    for column, value in enumerate(values, start=1):
        cell = put(ws, row, column, value, number_format="default")
        cell.border = BORDER
        cell.alignment = WRAP
        if isinstance(value, Decimal):
            cell.number_format = NUMBER_FORMAT
        elif hasattr(value, "year") and not isinstance(value, str):
            cell.number_format = DATE_FORMAT
        if bold:
            cell.font = BOLD
        if fill is not None:
            cell.fill = fill


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _title(ws: Worksheet, plan: Plan, title: str) -> int:
    put(ws, 1, 1, title).font = TITLE
    subtitle = plan.unit.name if plan.unit else plan.body.name
    put(ws, 2, 1, subtitle)
    basis = _("Căn cứ kết quả năm %(year)s") % {"year": plan.previous_year}
    if not plan.published:
        basis += " — " + _("kết quả chưa công bố, số liệu tạm tính")
    put(ws, 3, 1, basis)
    return 5


def _fields_sheet(ws: Worksheet, plan: Plan, title: str) -> None:
    ws.title = _("Chỉ số theo lĩnh vực")
    row = _title(ws, plan, title)
    previous, year = plan.previous_year, plan.year
    labels = [
        _("Lĩnh vực"),
        _("Tên lĩnh vực"),
        _("Điểm năm %(year)s") % {"year": previous},
        _("Điểm tối đa"),
        _("Chỉ số năm %(year)s (%%)") % {"year": previous},
        _("Điểm dự kiến khắc phục"),
        _("Điểm dự kiến năm %(year)s") % {"year": year},
        _("Chỉ số dự kiến năm %(year)s (%%)") % {"year": year},
        _("Thay đổi chỉ số"),
        _("Mục tiêu (%)"),
        _("Cơ quan chủ trì theo dõi"),
    ]
    _header(ws, row, labels, [9, 44, 12, 12, 14, 14, 14, 16, 12, 16, 36])
    for f in plan.fields:
        row += 1
        _write(
            ws,
            row,
            [
                f.code,
                f.name,
                _number(f.points),
                _number(f.max_points),
                _number(f.index),
                _number(f.planned),
                _number(f.projected_points),
                _number(f.projected_index),
                _number(f.index_change),
                f.target_text,
                f.responsible,
            ],
        )
    if plan.projection is not None:
        row += 1
        p = plan.projection
        _write(
            ws,
            row,
            [
                "",
                _("Tổng các lĩnh vực"),
                _number(p.points),
                _number(p.max_points),
                _number(p.index),
                _number(p.recovered),
                _number(p.projected_points),
                _number(p.projected_index),
                _number(plan.total_change),
                plan.total_target_text,
                plan.total_target.responsible if plan.total_target else "",
            ],
            bold=True,
        )
    _page_setup(ws)


def _actions_sheet(ws: Worksheet, plan: Plan) -> None:
    ws.title = _("Nội dung khắc phục")
    row = 1
    labels = [
        _("STT"),
        _("Lĩnh vực"),
        _("Mã tiêu chí"),
        _("Nội dung"),
        _("Điểm bị mất"),
        _("Có thể khắc phục"),
        _("Điểm có thể khắc phục"),
        _("Nhiệm vụ, giải pháp"),
        _("Chịu trách nhiệm"),
        _("Hạn hoàn thành"),
        _("Tình trạng"),
        _("Ghi chú"),
    ]
    _header(ws, row, labels, [6, 9, 12, 48, 11, 11, 13, 44, 28, 13, 16, 30])
    for number, action_row in enumerate(plan.actions, start=1):
        a = action_row.action
        owner = "; ".join(
            x for x in (a.responsible, a.responsible_unit.name if a.responsible_unit else "") if x
        )
        status = a.get_status_display()
        if action_row.overdue:
            status += " (" + _("quá hạn") + ")"
        _write(
            ws,
            row + number,
            [
                number,
                a.field_code,
                a.item_code,
                a.item_name,
                _number(a.lost_points),
                _("Có") if a.recoverable else _("Không"),
                _number(a.recoverable_points),
                a.action,
                owner,
                a.due_date,
                status,
                a.note,
            ],
            fill=OVERDUE_FILL if action_row.overdue else None,
        )
    _page_setup(ws)


def plan_workbook(plan: Plan, *, title: str) -> bytes:
    """Return the plan as an .xlsx file."""
    workbook = Workbook()
    _fields_sheet(workbook.active, plan, title)
    _actions_sheet(workbook.create_sheet(), plan)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
