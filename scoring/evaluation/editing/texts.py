"""Messages of criteria-set editing shared by the editor and the workbook import."""

from __future__ import annotations

from django.utils.translation import gettext as _

from scoring.models import CriteriaSet


def in_use_refusal(criteria_set: CriteriaSet) -> str:
    """Return why an in-use set at its first version cannot be edited, and what to do."""
    return _(
        "Bộ tiêu chí “%(name)s” đang được sử dụng (kỳ đánh giá đã mở hoặc đã có đơn vị chấm điểm) nên không thể "
        "sửa trực tiếp. Hãy bấm “Tạo phiên bản mới” (ghi rõ lý do) rồi sửa."
    ) % {"name": criteria_set.name}
