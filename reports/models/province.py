"""The province's own national PAR INDEX: results by year, targets per field, and plans to recover lost points.

The Ministry scores the province as a whole; the body records those results here (they are not computed by
PAR INDEX), sets targets per field for the next year with the departments responsible, and lists the points
it lost that it judges recoverable. Units keep the same kind of plan for their own lost points.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scoring.models import EvaluatingBody, Unit

from .results import RESULT_POINTS

INDEX = {"max_digits": 7, "decimal_places": 4}


class EditedRecord(models.Model):
    """Who last changed a record people keep by hand, and when."""

    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )

    class Meta:
        abstract = True


class NationalResult(EditedRecord):
    """The province's PAR INDEX for one year as the Ministry of Home Affairs published it."""

    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="national_results", verbose_name=_("cơ quan đánh giá")
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    appraisal_points = models.DecimalField(
        _("điểm Bộ Nội vụ thẩm định"), null=True, blank=True, **RESULT_POINTS
    )
    survey_points = models.DecimalField(_("điểm điều tra XHH"), null=True, blank=True, **RESULT_POINTS)
    index = models.DecimalField(_("Chỉ số CCHC (%)"), **INDEX)
    national_rank = models.PositiveSmallIntegerField(_("xếp hạng cả nước"), null=True, blank=True)
    national_total = models.PositiveSmallIntegerField(
        _("số tỉnh, thành phố"),
        null=True,
        blank=True,
        help_text=_("Xếp hạng trên bao nhiêu tỉnh, thành phố."),
    )
    region_rank = models.PositiveSmallIntegerField(_("xếp hạng trong vùng"), null=True, blank=True)
    region_total = models.PositiveSmallIntegerField(_("số tỉnh trong vùng"), null=True, blank=True)
    region_name = models.CharField(_("vùng"), max_length=200, blank=True)
    sipas_index = models.DecimalField(_("Chỉ số SIPAS (%)"), null=True, blank=True, **INDEX)
    sipas_rank = models.PositiveSmallIntegerField(_("xếp hạng SIPAS"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("kết quả Chỉ số CCHC của tỉnh")
        verbose_name_plural = _("kết quả Chỉ số CCHC của tỉnh")
        ordering = ["body", "year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="national_result_one_per_year"),
            models.CheckConstraint(
                condition=Q(index__gte=0) & Q(index__lte=100), name="national_result_index_0_100"
            ),
            models.CheckConstraint(
                condition=Q(national_rank__isnull=True)
                | Q(national_total__isnull=True)
                | Q(national_rank__lte=F("national_total")),
                name="national_result_rank_within_total",
            ),
            models.CheckConstraint(
                condition=Q(region_rank__isnull=True)
                | Q(region_total__isnull=True)
                | Q(region_rank__lte=F("region_total")),
                name="national_result_region_rank_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.year}"


class NationalFieldResult(models.Model):
    """One field (component index) of the province's national result: points of its maximum, and rank."""

    result = models.ForeignKey(
        NationalResult, models.CASCADE, related_name="fields", verbose_name=_("kết quả của tỉnh")
    )
    field_code = models.CharField(_("mã lĩnh vực"), max_length=10)
    name = models.CharField(_("tên lĩnh vực"), max_length=300, blank=True)
    points = models.DecimalField(_("điểm"), null=True, blank=True, **RESULT_POINTS)
    max_points = models.DecimalField(_("điểm tối đa"), null=True, blank=True, **RESULT_POINTS)
    index = models.DecimalField(
        _("chỉ số thành phần (%)"),
        null=True,
        blank=True,
        help_text=_("Để trống khi có điểm và điểm tối đa: chỉ số được tính bằng điểm / điểm tối đa."),
        **INDEX,
    )
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả theo lĩnh vực của tỉnh")
        verbose_name_plural = _("kết quả theo lĩnh vực của tỉnh")
        ordering = ["result", "field_code"]
        constraints = [
            models.UniqueConstraint(fields=["result", "field_code"], name="national_field_result_unique"),
            models.CheckConstraint(
                condition=Q(points__isnull=True)
                | Q(max_points__isnull=True)
                | Q(points__lte=F("max_points")),
                name="national_field_points_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} — {self.field_code}"


class FieldTarget(EditedRecord):
    """The target for one field (or SIPAS, or the whole index) in a year, with who answers for it."""

    TOTAL = "total"
    SIPAS = "sipas"

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("Đạt từ … trở lên")
        ABOVE = "above", _("Trên …")
        EQUAL = "equal", _("Đạt …")

    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="field_targets", verbose_name=_("cơ quan đánh giá")
    )
    year = models.PositiveSmallIntegerField(_("năm mục tiêu"))
    field_code = models.CharField(
        _("lĩnh vực"), max_length=10, help_text=_("Mã lĩnh vực (1–8), “sipas” hoặc “total” cho cả Chỉ số.")
    )
    name = models.CharField(_("tên lĩnh vực"), max_length=300, blank=True)
    comparison = models.CharField(
        _("cách so sánh"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target_index = models.DecimalField(_("chỉ số mục tiêu (%)"), **INDEX)
    rank_best = models.PositiveSmallIntegerField(_("thứ hạng mục tiêu — cao nhất"), null=True, blank=True)
    rank_worst = models.PositiveSmallIntegerField(_("thứ hạng mục tiêu — thấp nhất"), null=True, blank=True)
    responsible = models.CharField(_("cơ quan chủ trì theo dõi"), max_length=500, blank=True)
    responsible_units = models.ManyToManyField(
        Unit, blank=True, related_name="field_targets", verbose_name=_("đơn vị chủ trì")
    )
    basis = models.TextField(_("cơ sở đưa ra chỉ tiêu"), blank=True)

    class Meta:
        verbose_name = _("mục tiêu theo lĩnh vực")
        verbose_name_plural = _("mục tiêu theo lĩnh vực")
        ordering = ["body", "year", "field_code"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "field_code"], name="field_target_one_per_field"),
            models.CheckConstraint(
                condition=Q(target_index__gte=0) & Q(target_index__lte=100), name="field_target_index_0_100"
            ),
            models.CheckConstraint(
                condition=Q(rank_best__isnull=True)
                | Q(rank_worst__isnull=True)
                | Q(rank_best__lte=F("rank_worst")),
                name="field_target_rank_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.year} — {self.field_code}"


class RecoveryAction(EditedRecord):
    """Points lost on one item in a year, judged recoverable or not, and what will be done about them.

    With no unit it belongs to the province's plan (its national index); with a unit, to that unit's plan.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        DROPPED = "dropped", _("Không thực hiện")

    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="recovery_actions", verbose_name=_("cơ quan đánh giá")
    )
    year = models.PositiveSmallIntegerField(
        _("năm kế hoạch"), help_text=_("Năm thực hiện khắc phục; điểm bị mất là của năm trước đó.")
    )
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="recovery_actions",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống: kế hoạch của tỉnh."),
    )
    field_code = models.CharField(_("lĩnh vực"), max_length=10)
    item_code = models.CharField(_("mã tiêu chí"), max_length=30, blank=True)
    item_name = models.CharField(_("nội dung tiêu chí"), max_length=1000, blank=True)
    lost_points = models.DecimalField(_("điểm bị mất"), **RESULT_POINTS)
    recoverable = models.BooleanField(_("có thể khắc phục"), default=True)
    recoverable_points = models.DecimalField(_("điểm có thể khắc phục"), **RESULT_POINTS)
    action = models.TextField(_("nhiệm vụ, giải pháp"), blank=True)
    responsible = models.CharField(_("người/cơ quan chịu trách nhiệm"), max_length=500, blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="recovery_actions_owned",
        verbose_name=_("đơn vị chủ trì"),
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("điểm cần khắc phục")
        verbose_name_plural = _("điểm cần khắc phục")
        ordering = ["body", "year", "unit", "field_code", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lost_points__gte=0)
                & Q(recoverable_points__gte=0)
                & Q(recoverable_points__lte=F("lost_points")),
                name="recovery_points_within_lost",
            ),
            # Points judged not recoverable cannot be counted in the projection.
            models.CheckConstraint(
                condition=Q(recoverable=True) | Q(recoverable_points=0),
                name="recovery_unrecoverable_counts_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.item_code or self.field_code}"

    @property
    def counted_points(self) -> Decimal:
        return (
            self.recoverable_points if self.recoverable and self.status != self.Status.DROPPED else Decimal(0)
        )
