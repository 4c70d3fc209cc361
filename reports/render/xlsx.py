"""Excel workbooks of already-computed tables; nothing here queries the database."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font

from reports.rankings.selectors import RankingGroup, RankingRow, RankingTable
from scoring import calc
from scoring.formatting import format_number
from scoring.spreadsheets.write import append_row, xlsx_cell

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel shows the number with the reader's own separators ("87,42" in a Vietnamese Excel).
NUMBER_FORMAT = "0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
COLUMN_WIDTHS = {"A": 10, "B": 44, "C": 14, "D": 16, "E": 12, "F": 12, "G": 12, "H": 14, "I": 14, "J": 14}


def _text(ws: WriteOnlyWorksheet, value: str, font: Font | None = None) -> Cell:
    return xlsx_cell(ws, value, font=font)


def _number(ws: WriteOnlyWorksheet, value: Decimal | None) -> Cell | None:
    if value is None:
        return None
    # The cell holds the value as printed, so a sum in Excel matches the published table.
    return xlsx_cell(ws, calc.quantize_score(value), number_format=NUMBER_FORMAT)


def _headers(table: RankingTable) -> list[str]:
    headers = [
        _("Xếp hạng"),
        _("Đơn vị"),
        _("Điểm thẩm định"),
        _("Điểm điều tra XHH"),
        _("Tổng điểm"),
        _("Thang điểm"),
        _("Chỉ số (%)"),
        _("Xếp loại"),
    ]
    if table.has_changes:
        headers += [_("Thay đổi chỉ số"), _("Thay đổi thứ hạng")]
    return headers


def _row(ws: WriteOnlyWorksheet, table: RankingTable, row: RankingRow) -> list[object]:
    name = f"{row.unit_name} (*)" if row.below_common_scale else row.unit_name
    cells: list[object] = [
        row.rank,
        name,
        _number(ws, row.appraisal_points),
        _number(ws, row.survey_points),
        _number(ws, row.total_points),
        _number(ws, row.max_points),
        _number(ws, row.index),
        row.band.label,
    ]
    if table.has_changes:
        cells += [_number(ws, row.index_change), row.rank_change]
    return cells


def _group_block(ws: WriteOnlyWorksheet, table: RankingTable, group: RankingGroup) -> list[Sequence[object]]:
    header_cells = [_text(ws, h, BOLD) for h in _headers(table)]
    for cell in header_cells:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    lines: list[Sequence[object]] = [[_text(ws, group.name, BOLD)], header_cells]
    lines += [_row(ws, table, row) for row in group.rows]
    average_label = _text(ws, _("Chỉ số trung bình của nhóm"), BOLD)
    # The average sits under the index column (G), as in the published table.
    lines.append([None, average_label, None, None, None, None, _number(ws, group.average_index)])
    lines.append([None, _text(ws, _("Số đơn vị theo xếp loại"), BOLD)])
    lines += [[None, count.label, count.count] for count in group.class_counts]
    for row in group.reduced_scale_rows:
        note = _("Thang điểm %(scale)s do không đánh giá một số tiêu chí") % {
            "scale": format_number(row.max_points)
        }
        lines.append([None, f"(*) {row.unit_name}: {note}."])
    lines.append([])
    return lines


def rankings_workbook(*, table: RankingTable) -> bytes:
    """Return the ranking table as an .xlsx file: a title, then one block per group."""
    # write_only streams rows instead of holding a cell grid, as pretix's exporters do.
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_("Xếp hạng %(year)s") % {"year": table.year})
    for column, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[column].width = width
    title = _("KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM %(year)s") % {"year": table.year}
    append_row(ws, [_text(ws, title, TITLE)])
    append_row(ws, [table.body_name])
    if table.publication_decision:
        append_row(ws, [table.publication_decision])
    append_row(ws, [])
    for group in table.groups:
        for line in _group_block(ws, table, group):
            append_row(ws, line, number_formats=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
