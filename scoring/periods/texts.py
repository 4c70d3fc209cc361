"""The Vietnamese messages of the setup rules (calc returns reasons and values; it may not import Django)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from .calc import Problem

DEADLINE_LABELS = {
    "starts_on": gettext_lazy("Ngày bắt đầu"),
    "self_assessment": gettext_lazy("Hạn tự đánh giá"),
    "explanation": gettext_lazy("Hạn giải trình"),
    "round2": gettext_lazy("Hạn thẩm định vòng 2"),
    "council": gettext_lazy("Hạn họp Hội đồng thẩm định"),
}

MESSAGES = {
    "no_criteria": gettext_lazy("Nhóm «%(group)s» chưa có bộ tiêu chí."),
    "criteria_sum": gettext_lazy(
        "Bộ tiêu chí của nhóm «%(group)s»: các tiêu chí cộng lại %(scored)s điểm, khác thang điểm %(scale)s."
    ),
    "no_officer": gettext_lazy("Đơn vị «%(unit)s» chưa có cán bộ đơn vị."),
    "no_head": gettext_lazy("Đơn vị «%(unit)s» chưa có thủ trưởng đơn vị."),
    "no_appraiser": gettext_lazy("Đơn vị «%(unit)s» chưa được phân công người thẩm định."),
    "unset": gettext_lazy("Chưa đặt: %(what)s."),
    "no_bands": gettext_lazy("Chưa có mức xếp loại nào."),
    "before_start": gettext_lazy("%(what)s không được trước ngày bắt đầu kỳ (%(start)s)."),
    "not_after": gettext_lazy("%(what)s phải sau %(before)s."),
    "band_range": gettext_lazy("Mức «%(label)s»: chỉ số tối thiểu %(value)s phải trong khoảng 0–100."),
    "band_same_min_index": gettext_lazy("Hai mức xếp loại trùng ngưỡng %(value)s: các mức chồng lên nhau."),
    "band_same_code": gettext_lazy("Mã mức xếp loại «%(value)s» bị trùng."),
    "band_same_label": gettext_lazy("Tên mức xếp loại «%(value)s» bị trùng."),
    "band_no_zero": gettext_lazy("Mức thấp nhất phải bắt đầu từ 0 để mọi chỉ số đều có xếp loại."),
}


def problem_text(problem: Problem) -> str:
    """Return the problem as a sentence for the administrator."""
    params = dict(problem.params)
    if "what" in params:  # one deadline, or several (a comma-separated list) when they are unset
        params["what"] = ", ".join(str(DEADLINE_LABELS[name]) for name in params["what"].split(","))
    if "before" in params:
        params["before"] = str(DEADLINE_LABELS[params["before"]]).lower()
    message = str(MESSAGES[problem.reason])
    return message % params if params else message
