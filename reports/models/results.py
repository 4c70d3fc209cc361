"""Results as the province publishes them: one row per unit and period, frozen once published."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scoring import calc
from scoring.models import Period, Unit, UnitGroup, job_upload_to

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
    published_index = models.DecimalField(
        _("chỉ số đã công bố (%)"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Chỉ số in trong quyết định công bố; khi có, được dùng thay cho chỉ số tính lại từ điểm đã làm tròn."
        ),
    )
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


def _decision_upload_to(instance: PublicationDecision, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"decisions/{uuid.uuid4().hex}{suffix}"


class PublicationDecision(models.Model):
    """The signed decision that publishes a period's results; an amendment points at the one it amends."""

    period = models.ForeignKey(
        Period, models.PROTECT, related_name="publication_decisions", verbose_name=_("kỳ đánh giá")
    )
    number = models.CharField(_("số quyết định"), max_length=100)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=200)
    file = models.FileField(
        _("tệp quyết định"), upload_to=_decision_upload_to, max_length=255, null=True, blank=True
    )
    amends = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        verbose_name=_("sửa đổi quyết định"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    published_at = models.DateTimeField(_("công bố lúc"), auto_now_add=True)
    # Units of the published groups the decision leaves out: unit code → name, group, status, reason (as in
    # the snapshot content, where the annual report reads them for its footnotes).
    left_out = models.JSONField(_("đơn vị không công bố"), default=dict, blank=True)

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["period", "published_at", "id"]
        constraints = [
            # One original decision per period; every later one amends the latest (OneToOne keeps the chain linear).
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(amends__isnull=True),
                name="publication_one_original_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.period})"


class SnapshotImmutable(Exception):
    """A published snapshot was about to be changed; it is the record of what was published."""


class ResultSnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        raise SnapshotImmutable("a published snapshot never changes")

    def delete(self):
        raise SnapshotImmutable("a published snapshot is never deleted")


class ResultSnapshot(models.Model):
    """The frozen content of one publication: item points, totals, indices, classes and ranks, with its hash."""

    decision = models.OneToOneField(
        PublicationDecision, models.PROTECT, related_name="snapshot", verbose_name=_("quyết định công bố")
    )
    period = models.ForeignKey(
        Period, models.PROTECT, related_name="snapshots", verbose_name=_("kỳ đánh giá")
    )
    content = models.JSONField(pgettext_lazy("snapshot", "nội dung"))
    content_hash = models.CharField(_("mã băm SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ResultSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản chụp kết quả")
        verbose_name_plural = _("bản chụp kết quả")
        ordering = ["period", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} — {self.content_hash[:12]}"

    def save(self, *args, **kwargs) -> None:
        # Once written, the snapshot is the evidence of what was published: an amendment makes a new one.
        if not self._state.adding:
            raise SnapshotImmutable("a published snapshot never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotImmutable("a published snapshot is never deleted")


def _import_upload_to(instance: object, filename: str) -> str:
    # Named by migration 0003 (the ImportJob model, now scoring.models.Job); kept so that old migrations load.
    return job_upload_to(instance, filename)
