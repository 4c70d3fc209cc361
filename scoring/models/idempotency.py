"""Submission keys: one row per create form or API call that was carried out, so that a repeat is recognised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionKey(models.Model):
    """A create action done once for one key, and what it created (replayed to a second POST with that key).

    Forms carry a fresh key in a hidden input; API clients send an `Idempotency-Key` header. The unique
    constraint, not a look-up before the insert, is what makes two simultaneous POSTs create one thing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Which action the key was spent on ("evidence_upload", "report_job"…): one key cannot replay another's result.
    scope = models.CharField(_("thao tác"), max_length=64)
    key = models.CharField(_("mã lần gửi"), max_length=64)
    # What the first POST answered: where to send the user, or the API's status and JSON body.
    result = models.JSONField(_("kết quả"), default=dict)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mã lần gửi")
        verbose_name_plural = _("mã lần gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="submission_key_once_per_user_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
