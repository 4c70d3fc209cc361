"""The Vietnamese words of the survey settings (calc returns reasons and values; it may not import Django)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from scoring.formatting import format_number

from .calc import Preview, Problem

MESSAGES = {
    "no_forms": gettext_lazy("Điều tra xã hội học: có %(n)s tiêu chí điều tra nhưng chưa có mẫu phiếu nào."),
    "form_no_questions": gettext_lazy("Mẫu phiếu %(form)s chưa có câu hỏi nào."),
    "form_no_plan": gettext_lazy("Mẫu phiếu %(form)s chưa có kế hoạch mẫu (số phiếu phát ra)."),
    "items_unfed": gettext_lazy(
        "Nhóm «%(group)s»: tiêu chí điều tra %(codes)s chưa có câu hỏi nào và không quy đổi từ SIPAS."
    ),
    "items_both": gettext_lazy(
        "Tiêu chí %(codes)s vừa có câu hỏi trên phiếu vừa quy đổi từ SIPAS: điểm được lấy từ SIPAS."
    ),
    "sipas_missing": gettext_lazy("SIPAS: %(n)s đơn vị chưa có kết quả để quy đổi điểm."),
}


def problem_text(problem: Problem) -> str:
    """Return the problem as a sentence for the administrator."""
    return str(MESSAGES[problem.reason]) % dict(problem.params)


def preview_text(preview: Preview) -> str:
    """Return the example of a conversion, e.g. "SIPAS 85,11 % → 1,70 / 2,00 điểm"."""
    return gettext_lazy("SIPAS %(pct)s %% → %(points)s / %(max)s điểm") % {
        "pct": format_number(preview.pct),
        "points": format_number(preview.points),
        "max": format_number(preview.max_points),
    }
