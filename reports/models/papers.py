"""The particulars a paper needs before it is signed: its number, place and date, recipients and signer.

One row per period, kept by the body's administrator from the annual report page. Every field may stay empty:
the papers then print a blank number line ("Số:      /BC-SNV") and a signer block to fill in by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Period


class ReportParticulars(models.Model):
    period = models.OneToOneField(
        Period, models.CASCADE, related_name="report_particulars", verbose_name=_("kỳ đánh giá")
    )
    number = models.CharField(
        _("số văn bản"), max_length=50, blank=True, help_text=_("Ví dụ: 123/BC-SNV. Để trống để điền tay.")
    )
    place = models.CharField(_("địa danh"), max_length=100, blank=True, help_text=_("Ví dụ: Lai Châu."))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi nhận một dòng."))
    signer_title = models.CharField(
        _("chức vụ người ký"),
        max_length=200,
        blank=True,
        help_text=_("Mỗi dòng một cấp, ví dụ: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC."),
    )
    signer_name = models.CharField(_("họ và tên người ký"), max_length=100, blank=True)
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
        verbose_name = _("thông tin văn bản")
        verbose_name_plural = _("thông tin văn bản")

    def __str__(self) -> str:
        return f"{self.period} — {self.number or '…'}"
