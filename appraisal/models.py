"""The appraisal of a unit's assessment: who appraises what, the appraised scores of each round, the unit's
explanations and the council's decisions.

Each round's score is its own row keyed by (assessment, item, round): round 2 never overwrites round 1, and
neither touches the unit's self-score. Every write goes through the appraisal services.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models import POINTS, Assessment, CriteriaItem, Period, Unit


class AppraiserAssignmentQuerySet(models.QuerySet):
    def covering(self, *, unit_id: int, field_code: str | None = None) -> AppraiserAssignmentQuerySet:
        """Return the assignments that cover the unit (whole), or the given field across all units."""
        condition = Q(unit_id=unit_id)
        if field_code is not None:
            condition |= Q(unit__isnull=True, field_code=field_code)
        return self.filter(condition)


class AppraiserAssignment(models.Model):
    """An appraiser (member of the working group) assigned to a whole unit, or to one field across all units."""

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="appraiser_assignments", verbose_name=_("kỳ đánh giá")
    )
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="appraiser_assignments",
        verbose_name=_("người thẩm định"),
    )
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="appraiser_assignments",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống khi phân công theo lĩnh vực cho tất cả đơn vị."),
    )
    field_code = models.CharField(
        _("mã lĩnh vực"),
        max_length=20,
        blank=True,
        help_text=_("Ví dụ: 3. Chỉ điền khi không chọn đơn vị."),
    )

    objects = AppraiserAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công thẩm định")
        verbose_name_plural = _("phân công thẩm định")
        ordering = ["period", "appraiser", "unit__name", "field_code"]
        constraints = [
            # Either a unit or a field, never both nor neither: one row says one thing.
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(field_code=""))
                | (Q(unit__isnull=True) & ~Q(field_code="")),
                name="appraiserassignment_unit_or_field",
            ),
            models.UniqueConstraint(
                fields=["period", "appraiser", "unit"],
                condition=Q(unit__isnull=False),
                name="appraiserassignment_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["period", "appraiser", "field_code"],
                condition=Q(unit__isnull=True),
                name="appraiserassignment_unique_field",
            ),
        ]

    def __str__(self) -> str:
        target = self.unit.name if self.unit_id else _("lĩnh vực %(code)s") % {"code": self.field_code}
        return f"{self.appraiser} → {target} ({self.period})"


class Round(models.IntegerChoices):
    FIRST = 1, _("Vòng 1")
    SECOND = 2, _("Vòng 2")


class ItemAppraisal(models.Model):
    """One item's appraised score in one round; a round's row is never changed by another round."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="item_appraisals", verbose_name=_("hồ sơ")
    )
    item = models.ForeignKey(
        CriteriaItem, models.PROTECT, related_name="appraisals", verbose_name=_("tiêu chí")
    )
    round = models.PositiveSmallIntegerField(_("vòng thẩm định"), choices=Round.choices)
    points = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **POINTS)
    comment = models.TextField(_("nhận xét"), blank=True)
    needs_explanation = models.BooleanField(_("cần giải trình, bổ sung tài liệu"), default=False)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thẩm định"),
    )
    appraised_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    # Bumped on every save; a save carrying an older version is refused instead of overwriting a newer value.
    version = models.PositiveIntegerField(_("phiên bản"), default=0)

    class Meta:
        verbose_name = _("điểm thẩm định")
        verbose_name_plural = _("điểm thẩm định")
        ordering = ["assessment", "item__order", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "round"], name="itemappraisal_unique_round"
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="itemappraisal_round_valid"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="itemappraisal_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.item.code} ({self.get_round_display()})"


class Explanation(models.Model):
    """The unit's explanation of one item flagged in round 1."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="explanations", verbose_name=_("hồ sơ")
    )
    item = models.ForeignKey(
        CriteriaItem, models.PROTECT, related_name="explanations", verbose_name=_("tiêu chí")
    )
    text = models.TextField(_("nội dung giải trình"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giải trình")
        verbose_name_plural = _("giải trình")
        ordering = ["assessment", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="explanation_unique_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.item.code}"


def minutes_upload_to(instance: CouncilMeeting, filename: str) -> str:
    # A random name, as for evidence: the original name may carry a path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"council/{instance.period.year}/{uuid.uuid4().hex}{suffix}"


class CouncilMeeting(models.Model):
    """A meeting of the appraisal council: who was there, the minutes, and its decisions on units."""

    period = models.ForeignKey(
        Period, models.CASCADE, related_name="council_meetings", verbose_name=_("kỳ đánh giá")
    )
    held_on = models.DateField(_("ngày họp"))
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="council_meetings",
        blank=True,
        verbose_name=_("thành viên dự họp"),
    )
    minutes = models.FileField(_("biên bản họp"), upload_to=minutes_upload_to, max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên họp hội đồng thẩm định")
        verbose_name_plural = _("phiên họp hội đồng thẩm định")
        ordering = ["period", "-held_on", "-pk"]

    def __str__(self) -> str:
        return _("Phiên họp ngày %(date)s") % {"date": self.held_on.strftime("%d/%m/%Y")}


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Thông qua")
    RETURNED = "returned", _("Trả lại")


class CouncilDecision(models.Model):
    meeting = models.ForeignKey(
        CouncilMeeting, models.CASCADE, related_name="decisions", verbose_name=_("phiên họp")
    )
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="council_decisions", verbose_name=_("hồ sơ")
    )
    outcome = models.CharField(_("kết luận"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("kết luận của hội đồng")
        verbose_name_plural = _("kết luận của hội đồng")
        ordering = ["meeting", "assessment__unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "assessment"], name="councildecision_unique_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="councildecision_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_outcome_display()}"
