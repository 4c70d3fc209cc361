"""The stored results of a recompute and the state of a period's results (the jobs are scoring.models.Job)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring import calc
from scoring.models import Period, Unit, UnitGroup, job_upload_to

from .results import RESULT_POINTS


class ComputedResultQuerySet(models.QuerySet):
    def for_period(self, period_id: int) -> ComputedResultQuerySet:
        return self.filter(period_id=period_id)


class ComputedResult(models.Model):
    """A unit's result as last recomputed from the assessments of a period; replaced whole by each recompute.

    Dashboards and draft reports of a period not yet published read these rows, so that every reader sees
    the same figures until the next recompute. Published figures live in PublishedResult and never here.
    """

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="computed_results", verbose_name=_("kỳ đánh giá")
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="computed_results", verbose_name=_("đơn vị"))
    unit_group = models.ForeignKey(
        UnitGroup, models.PROTECT, related_name="computed_results", verbose_name=_("nhóm xếp hạng")
    )
    appraisal_points = models.DecimalField(_("điểm thẩm định"), **RESULT_POINTS)
    survey_points = models.DecimalField(_("điểm điều tra XHH"), **RESULT_POINTS)
    max_points = models.DecimalField(_("thang điểm"), **RESULT_POINTS)
    index = models.DecimalField(_("chỉ số (%)"), max_digits=7, decimal_places=4)
    band_code = models.CharField(_("xếp loại"), max_length=20)
    rank = models.PositiveIntegerField(_("thứ hạng"))
    # The assessment's status when computed: a self-score, an appraised result and an approved one are
    # different things, and no page may rank or label one as the other.
    status = models.CharField(_("trạng thái hồ sơ"), max_length=30, default="", blank=True)
    # [[field code, points, maximum], …] with decimals as text: read and written whole with the row, so a
    # national recompute writes one row per unit rather than nine.
    fields = models.JSONField(_("điểm theo lĩnh vực"), default=list, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))

    objects = ComputedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả tính toán")
        verbose_name_plural = _("kết quả tính toán")
        ordering = ["period", "unit_group", "rank", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="computed_result_unique_per_unit"),
            models.CheckConstraint(
                condition=Q(appraisal_points__gte=0) & Q(survey_points__gte=0) & Q(max_points__gt=0),
                name="computed_result_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def total_points(self) -> Decimal:
        return self.appraisal_points + self.survey_points

    @property
    def field_totals(self) -> tuple[calc.FieldTotal, ...]:
        return tuple(
            calc.FieldTotal(code=code, points=Decimal(points), max_points=Decimal(maximum))
            for code, points, maximum in self.fields
        )

    @staticmethod
    def fields_from_totals(fields: Iterable[calc.FieldTotal]) -> list[list[str]]:
        return [[f.code, f"{f.points:f}", f"{f.max_points:f}"] for f in fields]


class ResultsState(models.Model):
    """When a period's results last changed and were last computed: what every page says of its figures.

    A change in anything results are computed from stamps changed_at (in the transaction of the change);
    the recompute stamps computed_at with the time it started reading. Figures are current when
    computed_at >= changed_at; a recompute is queued at most once at a time (queued_at), so a burst of
    saves makes one recompute.
    """

    period = models.OneToOneField(
        Period, models.CASCADE, related_name="results_state", verbose_name=_("kỳ đánh giá")
    )
    changed_at = models.DateTimeField(_("thay đổi lúc"), null=True, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    queued_at = models.DateTimeField(_("xếp hàng lúc"), null=True, blank=True)
    error = models.TextField(_("lỗi lần tính gần nhất"), blank=True)
    error_at = models.DateTimeField(_("lỗi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("trạng thái kết quả")
        verbose_name_plural = _("trạng thái kết quả")

    def __str__(self) -> str:
        return str(self.period)

    @property
    def is_current(self) -> bool:
        return self.computed_at is not None and (
            self.changed_at is None or self.computed_at >= self.changed_at
        )


def _report_upload_to(instance: object, filename: str) -> str:
    # Named by migration 0006 (the ReportJob model, now scoring.models.Job); kept so that old migrations load.
    return job_upload_to(instance, filename)
