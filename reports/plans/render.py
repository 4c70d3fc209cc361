"""Recovery plans as files: the province's (PDF in the seeds/000 §4.1 layout, or Excel) and a unit's; called by
the report jobs. `plan_file` renders an already-built Plan through a pure renderer, for both.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.render.files import CONTENT_TYPES, RenderedFile
from scoring.models import EvaluatingBody, Unit

from .selectors import Plan, PlanError, province_plan_get, unit_plan_get

FORMATS = ("pdf", "xlsx")
# "UBND tỉnh Lai Châu" signs "Lai Châu, ngày …": the place is the body's name without its title.
_PLACE = re.compile(r"^.*?\b(?:tỉnh|thành phố)\s+", re.IGNORECASE)


def _place(body_name: str) -> str:
    return _PLACE.sub("", body_name).strip() or body_name


def place_date(body_name: str) -> str:
    today = timezone.localdate()
    return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
        "place": _place(body_name),
        "day": today.day,
        "month": today.month,
        "year": today.year,
    }


def plan_file(
    plan: Plan,
    *,
    format: str,
    title: str,
    template: str,
    filename: str,
    progress: Callable[[int, str], None],
) -> RenderedFile:
    """Return the plan rendered as PDF or Excel; no queries (the plan is built)."""
    progress(50, _("Đang tạo tệp"))
    if format == "pdf":
        from reports.render.pdf import render_pdf

        context = {
            "plan": plan,
            "title": title,
            "body_name": plan.body.name,
            "administrator_name": plan.body.administrator_name,
            "place_date": place_date(plan.body.name),
            "footer_note": title,
            "has_targets": any(f.target is not None for f in plan.fields) or plan.total_target is not None,
        }
        content = render_pdf(template, context)
    else:
        from reports.render.plan_xlsx import plan_workbook

        content = plan_workbook(plan, title=title)
    progress(90, _("Đã tạo tệp"))
    return RenderedFile(content=content, filename=f"{filename}.{format}", content_type=CONTENT_TYPES[format])


def check_format(format: str) -> None:
    if format not in FORMATS:
        raise PlanError(_("Định dạng “%(format)s” không được hỗ trợ.") % {"format": format})


def province_plan_render(
    *, body: EvaluatingBody, year: int, format: str, progress: Callable[[int, str], None] | None = None
) -> RenderedFile:
    """Return the province's plan of the year as a PDF or Excel file."""
    check_format(format)
    report = progress or (lambda percent, note: None)
    report(20, _("Đang đọc kết quả và kế hoạch của tỉnh"))
    plan = province_plan_get(body=body, year=year)
    if not plan.fields and not plan.actions:
        raise PlanError(
            _("Chưa có kết quả năm %(previous)s và chưa có nội dung kế hoạch năm %(year)s của tỉnh.")
            % {"previous": year - 1, "year": year}
        )
    title = _("Kế hoạch cải thiện Chỉ số CCHC năm %(year)s") % {"year": year}
    return plan_file(
        plan,
        format=format,
        title=title,
        template="reports/pdf/province_plan.html",
        filename=f"ke-hoach-chi-so-cchc-{body.code}-{year}",
        progress=report,
    )


def unit_plan_render(
    *, unit: Unit, year: int, format: str, progress: Callable[[int, str], None] | None = None
) -> RenderedFile:
    """Return the unit's plan of the year as a PDF or Excel file.

    The job runner checks who asked; figures of a year not yet published appear only in files the body's
    staff ask for, so this reads published results only (draft figures stay on the page).
    """
    check_format(format)
    report = progress or (lambda percent, note: None)
    report(20, _("Đang đọc kết quả và kế hoạch của đơn vị"))
    plan = unit_plan_get(unit=unit, year=year, draft=False)
    if not plan.fields and not plan.actions:
        raise PlanError(
            _("Đơn vị chưa có kết quả năm %(previous)s và chưa có nội dung kế hoạch năm %(year)s.")
            % {"previous": year - 1, "year": year}
        )
    title = _("Kế hoạch khắc phục điểm bị mất năm %(year)s") % {"year": year}
    return plan_file(
        plan,
        format=format,
        title=title,
        template="reports/pdf/unit_plan.html",
        filename=f"ke-hoach-khac-phuc-{unit.code}-{year}",
        progress=report,
    )
