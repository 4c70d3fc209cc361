"""Who changed what and when (audit trail), and the in-app notifications sent to users."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .assessment import Assessment
from .evaluation import EvaluatingBody, Unit


class AuditEvent(models.Model):
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="audit_events", verbose_name=_("cơ quan đánh giá")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=40, blank=True)
    # Kept as plain values (not FKs to the item) so history survives the deletion of what it describes.
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="audit_events", verbose_name=_("đơn vị")
    )
    # Derived from the object by audit_record: the dossier whose history the change belongs to (one year's).
    assessment = models.ForeignKey(
        Assessment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("hồ sơ"),
    )
    item_code = models.CharField(_("mã tiêu chí"), max_length=40, blank=True, db_index=True)
    field = models.CharField(_("trường dữ liệu"), max_length=60, blank=True)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["body", "unit", "-at"], name="audit_body_unit_at"),
            models.Index(fields=["assessment", "item_code"], name="audit_assessment_item"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="notifications", verbose_name=_("cơ quan đánh giá")
    )
    verb = models.CharField(_("loại thông báo"), max_length=60)
    text = models.TextField(pgettext_lazy("notification", "nội dung"))
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return f"{self.user} — {self.verb}"


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi thư ngay")
    DIGEST = "digest", _("Gửi thư tổng hợp hằng ngày")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("người dùng"),
    )
    mode = models.CharField(
        _("cách nhận thư"),
        max_length=20,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("tuỳ chọn thông báo")
        verbose_name_plural = _("tuỳ chọn thông báo")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_mode_display()}"
