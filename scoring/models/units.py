"""A unit's past: the names it carried in earlier years, and the mergers and splits that made it.

The unit row holds today's name; a rename keeps the old one here with the last year it was used, so a report of
an earlier year prints the name the unit had then. Lineage events record when and how units were merged or
split; the links themselves stay on ``Unit.predecessors`` (which the reports already follow across years).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .evaluation import EvaluatingBody, Unit


class UnitName(models.Model):
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="former_names", verbose_name=_("đơn vị"))
    # The name was used up to and including this year; the next row (or the unit itself) holds the later name.
    until_year = models.PositiveSmallIntegerField(_("dùng đến năm"))
    name = models.CharField(_("tên đơn vị"), max_length=255)
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")
        ordering = ["unit", "until_year"]
        constraints = [models.UniqueConstraint(fields=["unit", "until_year"], name="unitname_one_per_year")]

    def __str__(self) -> str:
        return f"{self.name} (≤ {self.until_year})"


class UnitLineage(models.Model):
    class Kind(models.TextChoices):
        MERGER = "merger", _("Hợp nhất, sáp nhập")
        SPLIT = "split", _("Chia tách")

    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="unit_lineages", verbose_name=_("cơ quan đánh giá")
    )
    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    sources = models.ManyToManyField(Unit, related_name="lineage_as_source", verbose_name=_("đơn vị cũ"))
    targets = models.ManyToManyField(Unit, related_name="lineage_as_target", verbose_name=_("đơn vị mới"))
    note = models.CharField(_("căn cứ, ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        verbose_name = _("sáp nhập, chia tách đơn vị")
        verbose_name_plural = _("sáp nhập, chia tách đơn vị")
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["merger", "split"]), name="unitlineage_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"
