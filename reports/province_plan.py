"""The province's recovery plan as a file: PDF (seeds/000 §4.1 layout) or Excel; called by the report jobs.

`plan_file` is shared with the unit plan: it renders an already-built Plan through a pure renderer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import EvaluatingBody

from .plan_selectors import Plan, PlanError, province_plan_get
from .render.files import CONTENT_TYPES, RenderedFile

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
        from .render.pdf import render_pdf

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
        from .render.plan_xlsx import plan_workbook

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
