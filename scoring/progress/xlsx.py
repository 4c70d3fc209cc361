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
from openpyxl.cell import Cell
from openpyxl.styles import Font

from scoring.progress.board import BoardRow, is_extended, row_state
from scoring.spreadsheets.write import append_row, xlsx_cell

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


def _when(ws: WriteOnlyWorksheet, value: datetime | None) -> Cell | None:
    if value is None:
        return None
    # Excel has no time zones: write the local time the page shows.
    return xlsx_cell(ws, timezone.localtime(value).replace(tzinfo=None), number_format=DATETIME_FORMAT)


def _percent(ws: WriteOnlyWorksheet, value: Decimal) -> Cell:
    # Rounded down like the page: 99,96% scored is not complete.
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return xlsx_cell(ws, rounded, number_format=PERCENT_FORMAT)


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
    append_row(ws, [xlsx_cell(ws, title, font=TITLE)])
    append_row(ws, [_("Xuất lúc %(when)s") % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}])
    append_row(ws, [])
    append_row(ws, [xlsx_cell(ws, header, font=BOLD) for header in _headers()])
    for number, row in enumerate(rows, start=1):
        append_row(
            ws,
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
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
