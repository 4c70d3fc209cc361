"""A unit's recovery plan as a file (PDF or Excel); called by the report jobs."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from scoring.models import Unit

from .plan_selectors import PlanError, unit_plan_get
from .province_plan import check_format, plan_file
from .render.files import RenderedFile


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
