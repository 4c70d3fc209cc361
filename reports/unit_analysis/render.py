"""A unit's analysis as a file and as a page: its radar chart, the template context, the PDF or Excel file.

`unit_analysis_render` hands what `reports.unit_analysis.selectors.unit_analysis_build` returns to the PDF
template or the Excel writer, which make no queries.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from reports.render.files import CONTENT_TYPES, RenderedFile
from scoring.models import Unit

from .data import FORMATS, UnitAnalysis
from .selectors import unit_analysis_build

# --- rendering -----------------------------------------------------------------------------------------


def unit_analysis_filename(analysis: UnitAnalysis, format: str) -> str:
    draft = "-du-thao" if not analysis.published else ""
    return f"phan-tich-{analysis.unit_code}-{analysis.year}{draft}.{format}"


def radar_svg(analysis: UnitAnalysis) -> str:
    """Return the radar chart of the unit's component indices against its group's average, or "" without one."""
    try:
        from reports.render.series_charts import radar_chart
    except ImportError:  # the chart module is optional: the report reads the same without it
        return ""
    fields = [f for f in analysis.fields if f.index is not None]
    if len(fields) < 3:  # a radar of fewer than three axes is a line, not a chart
        return ""
    return radar_chart(
        [_("LV %(code)s") % {"code": f.code} for f in fields],
        [
            (analysis.unit_name, [f.index for f in fields]),
            (_("Trung bình nhóm"), [f.group_average_index for f in fields]),
        ],
        title=_("Chỉ số thành phần của %(unit)s so với trung bình nhóm") % {"unit": analysis.unit_name},
    )


def unit_analysis_context(analysis: UnitAnalysis) -> dict:
    """Return the template context shared by the PDF and the page."""
    return {
        "analysis": analysis,
        "radar_svg": radar_svg(analysis),
        "title": _("Báo cáo phân tích kết quả Chỉ số CCHC năm %(year)s — %(unit)s")
        % {"year": analysis.year, "unit": analysis.unit_name},
    }


def unit_analysis_render(
    *,
    unit: Unit,
    year: int,
    format: str,
    draft: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> RenderedFile:
    """Return the unit's analysis of the year as a PDF or Excel file."""
    if format not in FORMATS:
        raise ValueError(_("Định dạng “%(format)s” không được hỗ trợ.") % {"format": format})
    report = progress or (lambda percent, note: None)
    report(20, _("Đang đọc kết quả của đơn vị"))
    analysis = unit_analysis_build(unit=unit, year=year, draft=draft)
    report(50, _("Đang tạo tệp"))
    if format == "pdf":
        from reports.render.pdf import render_pdf

        context = {
            **unit_analysis_context(analysis),
            "body_name": analysis.body_name,
            "administrator_name": analysis.administrator_name,
            "place_date": analysis.place_date,
            "footer_note": f"{analysis.unit_name} — {analysis.year}",
        }
        content = render_pdf("reports/pdf/unit_analysis.html", context)
    else:
        from reports.render.unit_analysis_xlsx import unit_analysis_workbook

        content = unit_analysis_workbook(analysis)
    report(90, _("Đã tạo tệp"))
    return RenderedFile(
        content=content, filename=unit_analysis_filename(analysis, format), content_type=CONTENT_TYPES[format]
    )
