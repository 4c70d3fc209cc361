"""The progress board as an Excel workbook, from rows already loaded; nothing here queries the database."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from scoring.progress.board import BoardRow, is_extended, row_state

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
COLUMN_WIDTHS = {"A": 6, "B": 40, "C": 22, "D": 20, "E": 12, "F": 14, "G": 18, "H": 18, "I": 18, "J": 10}


def _headers() -> list[str]:
    return [
        _("STT"),
        _("Đơn vị"),
        _("Nhóm đơn vị"),
        _("Trạng thái"),
        _("Đã chấm (%)"),
        _("Số tài liệu kiểm chứng"),
        _("Hoạt động gần nhất"),
        _("Gửi lúc"),
        _("Hạn nộp"),
        _("Gia hạn"),
    ]


def _when(ws: WriteOnlyWorksheet, value: datetime | None) -> WriteOnlyCell | None:
    if value is None:
        return None
    # Excel has no time zones: write the local time the page shows.
    cell = WriteOnlyCell(ws, value=timezone.localtime(value).replace(tzinfo=None))
    cell.number_format = DATETIME_FORMAT
    return cell


def _percent(ws: WriteOnlyWorksheet, value: Decimal) -> WriteOnlyCell:
    # Rounded down like the page: 99,96% scored is not complete.
    cell = WriteOnlyCell(ws, value=value.quantize(Decimal("0.1"), rounding=ROUND_DOWN))
    cell.number_format = PERCENT_FORMAT
    return cell


def board_workbook(
    *,
    rows: Sequence[BoardRow],
    title: str,
    status_label: Callable[[str], str],
    period_deadline: datetime | None,
) -> bytes:
    """Return the .xlsx bytes of the board rows, in the order and filter given."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(_("Tiến độ"))
    for column, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[column].width = width
    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = TITLE
    ws.append([title_cell])
    ws.append([_("Xuất lúc %(when)s") % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}])
    ws.append([])
    header_cells = []
    for header in _headers():
        cell = WriteOnlyCell(ws, value=header)
        cell.font = BOLD
        header_cells.append(cell)
    ws.append(header_cells)
    for number, row in enumerate(rows, start=1):
        ws.append(
            [
                number,
                row.unit_name,
                row.group_name,
                status_label(row_state(row)) + (f" ({_('Quá hạn')})" if row.is_late else ""),
                _percent(ws, row.scored_percent),
                row.evidence_count,
                _when(ws, row.last_activity_at),
                _when(ws, row.submitted_at),
                _when(ws, row.deadline),
                _("Có") if is_extended(row, period_deadline=period_deadline) else "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
