"""The unit analysis as an Excel workbook: a UnitAnalysis in, .xlsx bytes out; no queries.

Four sheets (Tổng hợp, Theo lĩnh vực, Điểm bị mất, SIPAS), each with a title, a frozen header row repeated on
every printed page, A4 fitted to the page width. Numbers are stored as numbers rounded as printed ("0.00").
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scoring import calc
from scoring.spreadsheets.write import put

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from reports.unit_analysis.data import UnitAnalysis

NUMBER_FORMAT = "0.00"
TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
HEADER_ROW = 3  # rows 1-2: title and unit; row 3: column headers, frozen and printed on every page


def _number(value: Decimal | None) -> Decimal | None:
    # The cell holds the value as printed, so that a sum in Excel matches the report.
    return None if value is None else calc.quantize_score(value)


def _sheet(
    wb: Workbook,
    title: str,
    heading: str,
    analysis: UnitAnalysis,
    headers: Sequence[str],
    widths: Sequence[int],
) -> Worksheet:
    ws = wb.create_sheet(title=title)
    put(ws, 1, 1, heading).font = TITLE
    subtitle = _("%(unit)s — năm %(year)s") % {"unit": analysis.unit_name, "year": analysis.year}
    if not analysis.published:
        subtitle += " — " + _("DỰ THẢO, chưa công bố")
    put(ws, 2, 1, subtitle)
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(ws, HEADER_ROW, column, text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"  # a string: asking for the cell would create an empty row
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if len(headers) > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _append(ws: Worksheet, values: Sequence[object]) -> None:
    row = ws.max_row + 1
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = put(
            ws, row, column, value, number_format=NUMBER_FORMAT if isinstance(value, Decimal) else "default"
        )
        if isinstance(value, str):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _summary(wb: Workbook, a: UnitAnalysis) -> None:
    prev = a.previous
    headers = [_("Nội dung"), _("Năm %(year)s") % {"year": a.year}]
    if prev:
        headers += [_("Năm %(year)s") % {"year": prev.year}, _("Tăng/giảm")]
    widths = [42, 14, 14, 14][: len(headers)]
    ws = _sheet(wb, _("Tổng hợp"), _("BÁO CÁO PHÂN TÍCH KẾT QUẢ CHỈ SỐ CCHC"), a, headers, widths)
    cur = a.current
    lines: list[tuple[str, object, object, object]] = [
        (_("Điểm thẩm định"), _number(cur.appraisal_points), prev and _number(prev.appraisal_points),
         _number(a.appraisal_change)),
        (_("Điểm điều tra XHH"), _number(cur.survey_points), prev and _number(prev.survey_points),
         _number(a.survey_change)),
        (_("Tổng điểm"), _number(cur.total_points), prev and _number(prev.total_points), _number(a.points_change)),
        (_("Thang điểm"), _number(cur.max_points), prev and _number(prev.max_points), None),
        (_("Chỉ số (%)"), _number(cur.index), prev and _number(prev.index), _number(a.index_change)),
        (_("Xếp loại"), cur.band_label, prev and prev.band_label, None),
        (_("Xếp hạng"), cur.rank, prev and prev.rank, a.rank_change),
        (_("Số đơn vị trong nhóm"), cur.group_size, prev and prev.group_size, None),
        (_("Chỉ số trung bình của nhóm (%)"), _number(cur.group_average_index),
         prev and _number(prev.group_average_index), None),
        (_("Nhóm xếp hạng"), cur.group_name, prev and prev.group_name, None),
    ]  # fmt: skip
    for label, now, then, change in lines:
        _append(ws, [label, now, then, change] if prev else [label, now])
    if not prev:
        _append(ws, [])
        _append(
            ws,
            [_("Năm %(year)s đơn vị chưa có kết quả đã công bố.") % {"year": a.previous_year}],
        )


def _fields(wb: Workbook, a: UnitAnalysis) -> None:
    prev = a.previous
    headers = [_("Mã"), _("Lĩnh vực"), _("Điểm %(year)s") % {"year": a.year}, _("Tối đa %(year)s") % {"year": a.year},
               _("Chỉ số %(year)s (%%)") % {"year": a.year}]  # fmt: skip
    widths = [6, 48, 12, 12, 13]
    if prev:
        headers += [
            _("Điểm %(year)s") % {"year": prev.year},
            _("Tối đa %(year)s") % {"year": prev.year},
            _("Chỉ số %(year)s (%%)") % {"year": prev.year},
            _("Tăng/giảm chỉ số"),
        ]
        widths += [12, 12, 13, 13]
    headers.append(_("Trung bình nhóm (%)"))
    widths.append(14)
    ws = _sheet(wb, _("Theo lĩnh vực"), _("KẾT QUẢ THEO LĨNH VỰC"), a, headers, widths)
    for f in a.fields:
        values: list[object] = [f.code, f.name, _number(f.points), _number(f.max_points), _number(f.index)]
        if prev:
            values += [
                _number(f.previous_points),
                _number(f.previous_max_points),
                _number(f.previous_index),
                _number(f.index_change),
            ]
        values.append(_number(f.group_average_index))
        _append(ws, values)
    if not a.fields:
        _append(ws, ["", _("Không có số liệu theo lĩnh vực.")])


def _losses(wb: Workbook, a: UnitAnalysis) -> None:
    headers = [
        _("Lĩnh vực"),
        _("Mã"),
        _("Tiêu chí"),
        _("Tối đa"),
        _("Đạt"),
        _("Mất"),
        _("Nhận xét của Tổ thẩm định"),
    ]
    ws = _sheet(wb, _("Điểm bị mất"), _("CÁC TIÊU CHÍ BỊ MẤT ĐIỂM"), a, headers, [9, 9, 50, 10, 10, 10, 50])
    for field in a.losses:
        for item in field.items:
            comment = _("Điều tra xã hội học") if item.survey else item.comment
            _append(ws, [item.field_code, item.item_code, item.item_name, _number(item.max_points),
                         _number(item.points), _number(item.lost_points), comment])  # fmt: skip
    if not a.has_item_data:
        _append(ws, ["", "", _("Kết quả năm %(year)s không có điểm của từng tiêu chí.") % {"year": a.year}])
    elif not a.losses:
        _append(ws, ["", "", _("Đơn vị đạt điểm tối đa ở tất cả các tiêu chí.")])


def _sipas(wb: Workbook, a: UnitAnalysis) -> None:
    headers = [_("Thành phần"), _("Năm %(year)s (%%)") % {"year": a.year}]
    if a.has_sipas_previous:
        headers += [_("Năm %(year)s (%%)") % {"year": a.previous_year}, _("Tăng/giảm")]
    ws = _sheet(wb, _("SIPAS"), _("CHỈ SỐ HÀI LÒNG (SIPAS)"), a, headers, [46, 14, 14, 14][: len(headers)])
    for line in a.sipas:
        values: list[object] = [line.label, _number(line.value)]
        if a.has_sipas_previous:
            values += [_number(line.previous_value), _number(line.change)]
        _append(ws, values)
    if not a.sipas:
        _append(ws, [_("Chưa có kết quả SIPAS năm %(year)s của đơn vị.") % {"year": a.year}])


def unit_analysis_workbook(analysis: UnitAnalysis) -> bytes:
    """Return the analysis as an .xlsx file of four sheets."""
    # A few hundred cells at most: the normal (not write-only) workbook, which can freeze panes and set print titles.
    wb = Workbook()
    wb.remove(wb.active)
    _summary(wb, analysis)
    _fields(wb, analysis)
    _losses(wb, analysis)
    _sipas(wb, analysis)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
