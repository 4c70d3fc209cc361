"""A unit's self-assessment for one period: its scores, its evidence, its status and their history."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..workflow import EDITABLE_STATUSES, Status
from .evaluation import POINTS, CriteriaItem, CriteriaSet, Period, Unit, unit_order


class AssessmentQuerySet(models.QuerySet):
    def for_body(self, body_id: int) -> AssessmentQuerySet:
        return self.filter(period__body_id=body_id)


class Assessment(models.Model):
    period = models.ForeignKey(
        Period, models.CASCADE, related_name="assessments", verbose_name=_("kỳ đánh giá")
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="assessments", verbose_name=_("đơn vị"))
    criteria_set = models.ForeignKey(
        CriteriaSet, models.PROTECT, related_name="assessments", verbose_name=_("bộ tiêu chí")
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SELF_ASSESSMENT
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("hoạt động gần nhất"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ tự đánh giá")
        verbose_name_plural = _("hồ sơ tự đánh giá")
        ordering = ["period", *unit_order("unit__")]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique_per_unit"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="assessment_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def deadline(self, extensions: list[DeadlineExtension] | None = None) -> datetime | None:
        """Return the deadline in force: the latest extension granted, else the period's."""
        granted = extensions if extensions is not None else list(self.extensions.all())
        if granted:
            return max(e.new_deadline for e in granted)
        return self.period.self_assessment_deadline


class AssessmentTransition(models.Model):
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="transitions", verbose_name=_("hồ sơ")
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")
        ordering = ["assessment", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} → {self.to_status}"


class SelfScore(models.Model):
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="scores", verbose_name=_("hồ sơ"))
    item = models.ForeignKey(
        CriteriaItem, models.PROTECT, related_name="self_scores", verbose_name=_("tiêu chí")
    )
    points = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **POINTS)
    justification = models.TextField(_("giải thích, căn cứ"), blank=True)
    no_evidence_reason = models.TextField(_("lý do không có tài liệu kiểm chứng"), blank=True)
    # Bumped on every save; a save carrying an older version is refused instead of overwriting a newer value.
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
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
        verbose_name = _("điểm tự chấm")
        verbose_name_plural = _("điểm tự chấm")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="selfscore_unique_per_item"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="selfscore_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.item.code}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # A random name: the original may carry a path, a script or another unit's name; it is kept in the row.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"evidence/{instance.assessment.period.year}/{uuid.uuid4().hex}{suffix}"


class EvidenceStage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá")
    EXPLANATION = "explanation", _("Giải trình")


class Evidence(models.Model):
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="evidence", verbose_name=_("hồ sơ")
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    items = models.ManyToManyField(
        CriteriaItem, related_name="evidence", blank=True, verbose_name=_("các tiêu chí")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    # Supplementary evidence attached during the explanation is kept apart from the self-assessment's.
    stage = models.CharField(
        _("giai đoạn"), max_length=20, choices=EvidenceStage.choices, default=EvidenceStage.SELF_ASSESSMENT
    )

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["assessment", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DeadlineExtension(models.Model):
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="extensions", verbose_name=_("hồ sơ")
    )
    new_deadline = models.DateTimeField(_("hạn mới"))
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người gia hạn"),
    )
    granted_at = models.DateTimeField(_("gia hạn lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("gia hạn tự đánh giá")
        verbose_name_plural = _("gia hạn tự đánh giá")
        ordering = ["assessment", "-new_deadline"]

    def __str__(self) -> str:
        return f"{self.assessment} → {self.new_deadline:%d/%m/%Y %H:%M}"
