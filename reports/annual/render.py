"""The annual results report as a file and as a page: charts, template context, and the PDF or Excel file.

`annual_report_render` hands what `reports.annual.selectors.annual_report_build` returns to a pure renderer (the
PDF template or the Excel writer) and returns a RenderedFile; the page shows the same context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.render.files import CONTENT_TYPES, RenderedFile
from scoring import calc
from scoring.models import EvaluatingBody

from .data import (
    AnnualReport,
)
from .selectors import AnnualReportNotFound, annual_report_build

# --- charts and rendering -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupCharts:
    group_code: str
    ranking: str  # SVG
    classes: str  # SVG


def annual_report_charts(report: AnnualReport) -> dict[str, GroupCharts]:
    """Return {group code: its ranking bar chart and class distribution column chart} as SVG strings."""
    from reports.render.bar_charts import bar_chart, column_chart

    charts = {}
    for group in report.groups:
        ranking = bar_chart(
            [(r.unit_name, calc.quantize_score(r.index)) for r in group.rows],
            reference=calc.quantize_score(group.average_index),
            reference_label=_("Trung bình nhóm"),
            width=640,
            title=_("Chỉ số CCHC năm %(year)s — %(group)s") % {"year": report.year, "group": group.name},
        )
        classes = column_chart(
            [(c.label, c.count) for c in group.class_counts],
            width=320,
            height=150,
            title=_("Số đơn vị theo xếp loại — %(group)s") % {"group": group.name},
        )
        charts[group.code] = GroupCharts(group_code=group.code, ranking=ranking, classes=classes)
    return charts


def annual_report_context(report: AnnualReport) -> dict[str, object]:
    """Return the template context shared by the PDF and the page (plain values only)."""
    groups_with_charts = []
    try:
        charts = annual_report_charts(report)
    except ImportError:  # the SVG module is optional: the report reads the same without charts
        charts = {}
    for group in report.groups:
        groups_with_charts.append((group, charts.get(group.code)))
    return {
        "report": report,
        "groups_with_charts": groups_with_charts,
        "title": report.title,
        "body_name": report.body_name,
        "administrator_name": report.administrator_name,
        "place_date": report.place_date,
        "particulars": report.particulars,
        "footer_note": _("Báo cáo Chỉ số CCHC năm %(year)s") % {"year": report.year}
        + ("" if report.published else " — " + _("DỰ THẢO")),
    }


def annual_report_render(
    *,
    body: EvaluatingBody,
    year: int,
    format: str,
    draft: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> RenderedFile:
    """Return the annual report of the year as a PDF, Word or Excel file (RankingNotFound without results)."""
    if format not in CONTENT_TYPES:
        raise AnnualReportNotFound(_("Định dạng “%(format)s” không được hỗ trợ.") % {"format": format})
    report_progress = progress or (lambda percent, note: None)
    report_progress(20, _("Đang đọc kết quả của kỳ đánh giá"))
    report = annual_report_build(body=body, year=year, draft=draft)
    report_progress(60, _("Đang tạo tệp báo cáo"))
    if format == "pdf":
        from reports.render.pdf import render_pdf

        content = render_pdf("reports/pdf/annual.html", annual_report_context(report))
    elif format == "docx":
        from reports.render.annual_docx import annual_document

        content = annual_document(report)
    else:
        from reports.render.annual_xlsx import annual_workbook

        content = annual_workbook(report)
    report_progress(90, _("Đã tạo xong tệp báo cáo"))
    return RenderedFile(
        content=content,
        filename=f"{report.filename_stem}.{format}",
        content_type=CONTENT_TYPES[format],
    )
