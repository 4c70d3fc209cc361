"""Jobs whose worker died: a lease renewed while a job runs, and the sweep that queues such jobs again.

A worker killed mid-job (out of memory, a deploy, a crash) leaves its job "running". Its message comes back
from Redis (late acknowledgement) but may come back late, or not at all when the worker died after claiming;
the lease is what tells: a running job whose lease was not renewed for `JOB_LEASE_SECONDS` has no worker. The
beat sweep (`scoring.tasks.job_sweep_task`) puts it back in the queue, or fails it after `JOB_MAX_ATTEMPTS`
lost runs, and sends again jobs left queued for `JOB_QUEUED_TIMEOUT_SECONDS` that nobody claimed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.models import Job

from .services import job_lease_renew, job_publish, job_stale_q

__all__ = ["SweepResult", "job_sweep", "lease_kept"]

logger = logging.getLogger(__name__)

Status = Job.Status


@contextlib.contextmanager
def lease_kept(job: Job) -> Iterator[None]:
    """Renew the job's lease from a thread while the block runs (a render may not report progress for minutes).

    Only in a worker: without a broker the job runs inside the request, which holds it anyway.
    """
    from scoring.tasks import job_run_task

    if job_run_task.app.conf.task_always_eager:
        yield
        return
    stop = threading.Event()
    interval = max(settings.JOB_LEASE_SECONDS / 3, 0.2)

    def beat() -> None:
        try:
            while not stop.wait(interval):
                if not job_lease_renew(job):
                    return  # taken for dead and queued again: this run's outcome will be dropped
        except Exception:  # a lost database connection: the lease runs out and the sweep decides
            logger.exception("job %s: could not renew its lease", job.pk)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


@dataclass(frozen=True, slots=True)
class SweepResult:
    requeued: int = 0  # running jobs whose worker died, queued again
    failed: int = 0  # such jobs given up after too many lost runs, or not sent for want of a broker
    resent: int = 0  # queued jobs nobody claimed, sent again


def job_sweep() -> SweepResult:
    """Queue again the running jobs whose worker died and the queued jobs nobody claimed; fail the hopeless."""
    requeued = failed = resent = 0
    for pk in Job.objects.filter(job_stale_q()).values_list("pk", flat=True):
        # Guarded by the same filter: a worker that renewed its lease meanwhile keeps its job.
        stale = Job.objects.filter(job_stale_q(), pk=pk)
        give_up = stale.filter(lost_runs__gte=settings.JOB_MAX_ATTEMPTS - 1).update(
            status=Status.FAILED,
            error=ngettext(
                "Việc bị gián đoạn %(n)s lần vì máy xử lý nền dừng giữa chừng; hãy thử lại hoặc báo quản "
                "trị hệ thống.",
                "Việc bị gián đoạn %(n)s lần vì máy xử lý nền dừng giữa chừng; hãy thử lại hoặc báo quản "
                "trị hệ thống.",
                settings.JOB_MAX_ATTEMPTS,
            )
            % {"n": settings.JOB_MAX_ATTEMPTS},
            lost_runs=F("lost_runs") + 1,
            lease_expires_at=None,
            finished_at=timezone.now(),
        )
        if give_up:
            logger.warning("job %s: given up after %s lost runs", pk, settings.JOB_MAX_ATTEMPTS)
            failed += 1
            continue
        if stale.update(
            status=Status.QUEUED,
            lost_runs=F("lost_runs") + 1,
            lease_expires_at=None,
            queued_at=timezone.now(),
            progress_note=_("Đang chạy lại sau khi máy xử lý nền dừng giữa chừng"),
        ):
            logger.warning("job %s: its worker died; queued again", pk)
            requeued, failed = _publish(pk, requeued, failed)
    forgotten = timezone.now() - timedelta(seconds=settings.JOB_QUEUED_TIMEOUT_SECONDS)
    for pk in Job.objects.filter(status=Status.QUEUED, queued_at__lt=forgotten).values_list("pk", flat=True):
        # Stamped first, so that the next sweep waits again before sending it once more.
        if Job.objects.filter(pk=pk, status=Status.QUEUED, queued_at__lt=forgotten).update(
            queued_at=timezone.now()
        ):
            resent, failed = _publish(pk, resent, failed)
    return SweepResult(requeued=requeued, failed=failed, resent=resent)


def _publish(pk: int, sent: int, failed: int) -> tuple[int, int]:
    job = Job.objects.get(pk=pk)
    return (sent + 1, failed) if job_publish(job) else (sent, failed + 1)
