"""The kinds of report job and their file formats (the jobs themselves are `scoring.models.Job` rows)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Job


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Báo cáo kết quả Chỉ số CCHC")  # the pages add "năm 2026"
    UNIT = "unit", _("Báo cáo phân tích của đơn vị")
    RANKINGS = "rankings", _("Bảng xếp hạng")
    PROVINCE_PLAN = "province_plan", _("Kế hoạch nâng cao Chỉ số CCHC của tỉnh")
    UNIT_PLAN = "unit_plan", _("Kế hoạch khắc phục của đơn vị")
    RECOMPUTE = "recompute", _("Tính lại kết quả")


# The formats a report is made in are the job's file formats.
ReportFormat = Job.Format


REPORT_KINDS = frozenset(ReportKind.values)
