"""The annual report as an Excel workbook: an AnnualReport in, .xlsx bytes out; nothing here queries.

One sheet per ranking table (one per group), one for the field analysis and one for the points lost. Each sheet
has a title row, a frozen header row, numbers stored as numbers ("0.00"), and a print setup (A4, fit to width,
header row repeated on every page, landscape when the sheet is wide). Written in openpyxl's write-only mode.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring import calc
from scoring.formatting import format_number
from scoring.spreadsheets.write import append_row as write_row
from scoring.spreadsheets.write import xlsx_cell

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from reports.annual.data import AnnualReport, GroupSection

NUMBER_FORMAT = "0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
DRAFT = Font(bold=True, color="AA0000")
HEADER_ROW = (
    3  # title, subtitle, then the header row: rows 1..3 stay on screen and row 3 prints on every page
)
SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def append_row(ws: WriteOnlyWorksheet, values: Sequence[object]) -> None:
    """Every number of the report's sheets has a format: counts "#,##0", points and indices "0.00"."""
    write_row(ws, values, number_formats=True)


def _text(ws: WriteOnlyWorksheet, value: str, font: Font | None = None) -> Cell:
    return xlsx_cell(ws, value, font=font)


def _number(ws: WriteOnlyWorksheet, value: Decimal | None, font: Font | None = None) -> Cell | None:
    if value is None:
        return None
    # Stored as printed (2 places), so a sum in Excel matches the report.
    return xlsx_cell(ws, calc.quantize_score(value), number_format=NUMBER_FORMAT, font=font)


def _header(ws: WriteOnlyWorksheet, labels: Sequence[str]) -> list[Cell]:
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return [xlsx_cell(ws, label, font=BOLD, alignment=centred) for label in labels]


def _sheet(
    workbook: Workbook, title: str, used: set[str], *, widths: Sequence[int], landscape: bool
) -> WriteOnlyWorksheet:
    """Return a new sheet with a unique valid title, column widths and the print setup."""
    base = _SHEET_FORBIDDEN.sub("-", title).strip()[:SHEET_TITLE_MAX] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    ws = workbook.create_sheet(title=name)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    return ws


def _title_rows(ws: WriteOnlyWorksheet, report: AnnualReport, title: str) -> None:
    append_row(ws, [_text(ws, title, TITLE)])
    subtitle = report.body_name
    if report.published and report.publication_decision:
        subtitle += f" · {report.publication_decision}"
    if report.published:
        append_row(ws, [subtitle])
    else:
        append_row(ws, [subtitle, _text(ws, _("DỰ THẢO — kết quả chưa công bố"), DRAFT)])


def _ranking_headers(report: AnnualReport) -> list[str]:
    headers = [
        _("STT"),
        _("Đơn vị"),
        _("Điểm thẩm định"),
        _("Điểm điều tra XHH"),
        _("Tổng điểm"),
        _("Thang điểm"),
        _("Chỉ số (%)"),
        _("Xếp loại"),
        _("Xếp hạng"),
    ]
    if report.has_changes:
        headers += [
            _("Thay đổi chỉ số so với %(year)s") % {"year": report.previous_year},
            _("Thay đổi thứ hạng"),
        ]
    return headers


def _ranking_sheet(workbook: Workbook, used: set[str], report: AnnualReport, group: GroupSection) -> None:
    widths = [6, 44, 13, 13, 12, 12, 12, 13, 10] + ([14, 12] if report.has_changes else [])
    ws = _sheet(workbook, group.name, used, widths=widths, landscape=report.has_changes)
    _title_rows(
        ws,
        report,
        _("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM %(year)s — %(group)s")
        % {"year": report.year, "group": group.name},
    )
    append_row(ws, _header(ws, _ranking_headers(report)))
    for number, row in enumerate(group.rows, start=1):
        cells: list[object] = [
            number,
            f"{row.unit_name} (*)" if row.reduced_scale else row.unit_name,
            _number(ws, row.appraisal_points),
            _number(ws, row.survey_points),
            _number(ws, row.total_points),
            _number(ws, row.max_points),
            _number(ws, row.index),
            row.band_label,
            row.rank,
        ]
        if report.has_changes:
            cells += [_number(ws, row.index_change), row.rank_change]
        append_row(ws, cells)
    append_row(
        ws,
        [
            None,
            _text(ws, _("Chỉ số trung bình của nhóm"), BOLD),
            *[None] * 4,
            _number(ws, group.average_index, BOLD),
        ],
    )
    append_row(ws, [])
    if group.best and group.worst:
        append_row(
            ws,
            [
                None,
                _("Cao nhất"),
                None,
                None,
                None,
                None,
                _number(ws, group.best.index),
                group.best.unit_name,
            ],
        )
        append_row(
            ws,
            [
                None,
                _("Thấp nhất"),
                None,
                None,
                None,
                None,
                _number(ws, group.worst.index),
                group.worst.unit_name,
            ],
        )
    append_row(ws, [None, _text(ws, _("Số đơn vị theo xếp loại"), BOLD)])
    for count in group.class_counts:
        append_row(ws, [None, count.label, count.count])
    if report.has_changes:
        append_row(
            ws, [None, _("Tăng chỉ số so với %(year)s") % {"year": report.previous_year}, group.index_up]
        )
        append_row(
            ws, [None, _("Giảm chỉ số so với %(year)s") % {"year": report.previous_year}, group.index_down]
        )
        append_row(ws, [None, _("Tăng hạng"), group.rank_up])
        append_row(ws, [None, _("Giảm hạng"), group.rank_down])
    for row in group.rows:
        if row.reduced_scale:
            note = _("thang điểm %(scale)s do không đánh giá một số tiêu chí") % {
                "scale": format_number(row.max_points)
            }
            append_row(ws, [None, f"(*) {row.unit_name}: {note}."])


def _field_sheet(workbook: Workbook, used: set[str], report: AnnualReport) -> None:
    headers = [
        _("Lĩnh vực"),
        _("Tên lĩnh vực"),
        _("Nhóm đơn vị"),
        _("Số đơn vị"),
        _("Chỉ số thành phần TB (%)"),
        _("Thay đổi so với năm trước"),
        _("Số đơn vị từ 80% trở lên"),
        _("Số đơn vị dưới 60%"),
        _("Đơn vị cao nhất"),
        _("Chỉ số cao nhất (%)"),
        _("Đơn vị thấp nhất"),
        _("Chỉ số thấp nhất (%)"),
    ]
    ws = _sheet(
        workbook,
        _("Phân tích lĩnh vực"),
        used,
        widths=[9, 40, 30, 9, 13, 13, 12, 12, 32, 12, 32, 12],
        landscape=True,
    )
    _title_rows(ws, report, _("KẾT QUẢ THEO LĨNH VỰC NĂM %(year)s") % {"year": report.year})
    append_row(ws, _header(ws, headers))
    if not report.fields:
        append_row(ws, [_("Kết quả năm này không có điểm chi tiết theo lĩnh vực.")])
    for field in report.fields:
        for stat in field.groups:
            append_row(
                ws,
                [
                    field.code,
                    field.name,
                    stat.group_name,
                    stat.unit_count,
                    _number(ws, stat.average_index),
                    _number(ws, stat.average_change),
                    stat.above_high,
                    stat.below_low,
                    stat.best.unit_name,
                    _number(ws, stat.best.index),
                    stat.worst.unit_name,
                    _number(ws, stat.worst.index),
                ],
            )


def _lost_sheet(workbook: Workbook, used: set[str], report: AnnualReport) -> None:
    headers = [
        _("Lĩnh vực"),
        _("Mã tiêu chí"),
        _("Nội dung tiêu chí"),
        _("Số đơn vị bị trừ điểm"),
        _("Tổng điểm bị trừ"),
        _("Nhận xét của Tổ giúp việc"),
    ]
    ws = _sheet(workbook, _("Điểm bị trừ"), used, widths=[9, 12, 50, 12, 12, 70], landscape=True)
    _title_rows(ws, report, _("NHỮNG NỘI DUNG BỊ TRỪ ĐIỂM NHIỀU NHẤT NĂM %(year)s") % {"year": report.year})
    append_row(ws, _header(ws, headers))
    if not report.has_appraisal_data:
        append_row(
            ws,
            [
                _(
                    "Năm này không có dữ liệu thẩm định trong hệ thống (kết quả được nhập từ quyết định công bố)."
                )
            ],
        )
        return
    wrap = Alignment(wrap_text=True, vertical="top")
    for field in report.fields:
        for reason in field.lost:
            name = xlsx_cell(ws, reason.item_name, alignment=wrap)
            comments = xlsx_cell(ws, "\n".join(reason.comments), alignment=wrap)
            append_row(
                ws,
                [
                    field.code,
                    reason.item_code,
                    name,
                    reason.unit_count,
                    _number(ws, reason.lost_points),
                    comments,
                ],
            )


def annual_workbook(report: AnnualReport) -> bytes:
    """Return the annual report as .xlsx bytes."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for group in report.groups:
        _ranking_sheet(workbook, used, report, group)
    _field_sheet(workbook, used, report)
    _lost_sheet(workbook, used, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
