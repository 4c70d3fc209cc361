"""Background work people wait for, of every app: report files, recomputes, imports. One row per job."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .evaluation import EvaluatingBody, Period, Unit


def job_upload_to(instance: Job, filename: str) -> str:
    """Return a random storage name (`jobs/<hex><suffix>`), unless the service chose one (it has a folder)."""
    # Random, so that a file's address can never be guessed; the pages name the file for the reader.
    if "/" in filename:
        return filename
    return f"jobs/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class Job(models.Model):
    """One job of any kind, run by `scoring.tasks.job_run_task`; its page polls it until it is done.

    What a kind does is registered by the app that owns it (`scoring.jobs.registry`), so this model and the
    task runner know no kind. `file` is the job's file: the uploaded file of an import, the rendered file of a
    report; `original_filename` is an upload's own name and `filename` the name a result is downloaded under.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"
        DOCX = "docx", "Word"
        NONE = "", _("(không có tệp)")

    body = models.ForeignKey(
        EvaluatingBody, models.CASCADE, related_name="jobs", verbose_name=_("cơ quan đánh giá")
    )
    kind = models.CharField(_("loại việc"), max_length=30, db_index=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # What most kinds are about, as columns so that lists and permission checks can filter on them.
    period = models.ForeignKey(
        Period, models.CASCADE, null=True, blank=True, related_name="jobs", verbose_name=_("kỳ đánh giá")
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, models.CASCADE, null=True, blank=True, related_name="jobs", verbose_name=_("đơn vị")
    )
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.CharField(_("đang làm"), max_length=200, blank=True)
    file = models.FileField(_("tệp"), upload_to=job_upload_to, max_length=255, blank=True)
    original_filename = models.CharField(_("tên tệp tải lên"), max_length=255, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    errors = models.JSONField(_("lỗi theo dòng"), default=list, blank=True)
    summary = models.JSONField(_("kết quả"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    # A worker holds a running job only while it renews this lease (`scoring.jobs.lease`); once it has expired
    # the worker is taken for dead and the sweep queues the job again, or fails it after too many lost runs.
    lease_expires_at = models.DateTimeField(_("giữ việc đến"), null=True, blank=True, db_index=True)
    # Defaults in the database too: older migrations (reports 0010) insert jobs through a model state without them.
    lost_runs = models.PositiveSmallIntegerField(_("số lần chạy bị gián đoạn"), db_default=0)
    # When the job was last put in the queue: a job queued long ago and never claimed lost its message.
    queued_at = models.DateTimeField(_("xếp hàng lúc"), db_default=Now(), db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year or ''} ({self.get_status_display()})"

    def get_kind_display(self) -> str:
        from scoring.jobs.registry import job_kind_label

        return job_kind_label(self.kind)

    def get_status_display(self) -> str:
        # An import that fails saves nothing, and its page has always said so in the status itself.
        from scoring.jobs.registry import job_status_label

        return job_status_label(self.kind, self.status)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def is_stale(self) -> bool:
        """Return whether the job says it runs but no worker has renewed its lease: its worker has died."""
        if self.status != self.Status.RUNNING:
            return False
        if self.lease_expires_at is not None:
            return self.lease_expires_at < timezone.now()
        # Claimed before jobs had leases: taken for dead once a lease would have run out.
        lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
        return self.started_at is not None and self.started_at < timezone.now() - lease

    @property
    def has_file(self) -> bool:
        """Return whether the job has a result to download (an import's uploaded file is not one)."""
        return self.status == self.Status.SUCCEEDED and bool(self.file) and bool(self.filename)
