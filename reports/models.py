"""Results as the province publishes them: one row per unit and period, frozen once published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring import calc
from scoring.models import Period, Unit, UnitGroup

# Four places: survey points are means over ballots and must not be rounded before the index is taken.
RESULT_POINTS = {"max_digits": 10, "decimal_places": 4}


class PublishedResultQuerySet(models.QuerySet):
    def for_body(self, body_id: int) -> PublishedResultQuerySet:
        return self.filter(period__body_id=body_id)


class PublishedResult(models.Model):
    class Source(models.TextChoices):
        IMPORT = "import", _("Nhập từ kết quả đã công bố")
        APPRAISAL = "appraisal", _("Kết quả thẩm định trong hệ thống")

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="published_results", verbose_name=_("kỳ đánh giá")
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="published_results", verbose_name=_("đơn vị"))
    unit_group = models.ForeignKey(
        UnitGroup,
        models.PROTECT,
        related_name="published_results",
        verbose_name=_("nhóm xếp hạng"),
        help_text=_("Nhóm đơn vị mà kết quả được xếp hạng trong năm đó."),
    )
    appraisal_points = models.DecimalField(_("điểm thẩm định"), **RESULT_POINTS)
    survey_points = models.DecimalField(_("điểm điều tra XHH"), **RESULT_POINTS)
    max_points = models.DecimalField(_("thang điểm"), **RESULT_POINTS)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.IMPORT)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    objects = PublishedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả đã công bố")
        verbose_name_plural = _("kết quả đã công bố")
        ordering = ["period", "unit_group", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="published_result_unique_per_unit"),
            models.CheckConstraint(
                condition=Q(appraisal_points__gte=0) & Q(survey_points__gte=0) & Q(max_points__gt=0),
                name="published_result_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def total_points(self) -> Decimal:
        return self.appraisal_points + self.survey_points


class PublishedFieldResult(models.Model):
    result = models.ForeignKey(
        PublishedResult, models.CASCADE, related_name="fields", verbose_name=_("kết quả")
    )
    field_code = models.CharField(_("mã lĩnh vực"), max_length=10)
    points = models.DecimalField(_("điểm"), **RESULT_POINTS)
    max_points = models.DecimalField(_("điểm tối đa"), **RESULT_POINTS)

    class Meta:
        verbose_name = _("kết quả theo lĩnh vực")
        verbose_name_plural = _("kết quả theo lĩnh vực")
        ordering = ["result", "field_code"]
        constraints = [
            models.UniqueConstraint(fields=["result", "field_code"], name="field_result_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(max_points__gte=0), name="field_result_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} — {self.field_code}"

    def as_field_total(self) -> calc.FieldTotal:
        return calc.FieldTotal(code=self.field_code, points=self.points, max_points=self.max_points)
