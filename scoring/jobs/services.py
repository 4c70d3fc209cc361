"""The life of a job, the same for every kind: create, claim once, progress, finish or fail, retry.

What a kind does when it runs is its app's (registered in `scoring.jobs.registry`); how a job is queued, claimed
and recorded is here, once.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import Job, User

from .queue import queue_down_reason, task_publish
from .registry import UnknownJobKind, job_kind_get

__all__ = [
    "PROGRESS_MIN_INTERVAL",
    "PROGRESS_MIN_STEP",
    "job_claim",
    "job_create",
    "job_enqueue",
    "job_fail",
    "job_file_store",
    "job_finish",
    "job_get_for_user",
    "job_lease_renew",
    "job_progress_writer",
    "job_publish",
    "job_queue_refused",
    "job_retry_reset",
    "job_run",
    "job_stale_q",
]

logger = logging.getLogger(__name__)

Status = Job.Status

# A progress write costs a query; a renderer calling back in a loop must not hammer the job's row.
PROGRESS_MIN_INTERVAL = 0.5  # seconds between two writes of small steps
PROGRESS_MIN_STEP = 10  # percent: a step this large is always written


def job_enqueue(job: Job) -> None:
    """Queue the job's run once the current transaction commits (at once, in-process, without a broker).

    When the broker cannot be reached the job is failed at once with the reason, and `job_queue_refused(job)`
    tells the caller (a page says so, the API answers 503): no job is left "queued" with no message behind it.
    """
    transaction.on_commit(partial(job_publish, job))


def job_publish(job: Job) -> bool:
    """Send the job's run to the broker now; on failure record the job as failed and return False."""
    from scoring.tasks import job_run_task

    if task_publish(job_run_task, args=[job.pk]):
        return True
    Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.FAILED, error=queue_down_reason(), finished_at=timezone.now()
    )
    # Read by the caller that asked for the job, in the same request (the on_commit hook shares the instance).
    job.queue_refused = True
    return False


def job_queue_refused(job: Job) -> bool:
    """Return whether this job, asked for in this request, failed because the broker could not be reached."""
    return bool(getattr(job, "queue_refused", False))


def job_file_store(job: Job, *, folder: str, filename: str, content: File, save: bool = False) -> None:
    """Store a file on the job under a random name in `folder`; the reader's name is kept apart."""
    suffix = Path(filename or "").suffix.lower()[:10]
    job.file.save(f"{folder}/{uuid.uuid4().hex}{suffix}", content, save=save)


@transaction.atomic
def job_create(*, requester: User | None, enqueue: bool = True, **fields: Any) -> Job:
    """Store a queued job of a registered kind and, unless told otherwise, queue its run once committed."""
    job_kind_get(fields["kind"])  # UnknownJobKind: refuse a job nobody can run
    job = Job.objects.create(requested_by=requester, **fields)
    if enqueue:
        job_enqueue(job)
    return job


def _lease_until() -> Any:
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_stale_q() -> Q:
    """Return the filter of running jobs whose worker has stopped renewing the lease (see `Job.is_stale`)."""
    now = timezone.now()
    legacy = Q(
        lease_expires_at__isnull=True, started_at__lt=now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    )
    return Q(status=Status.RUNNING) & (Q(lease_expires_at__lt=now) | legacy)


def job_claim(job: Job, *, progress: int = 0, note: str = "") -> bool:
    """Move a queued job to running under a lease; return False when it was not queued (taken, or gone).

    One UPDATE guarded by the status: of two deliveries of the same task, or two workers, only one wins. A job
    whose worker died is not taken over here but queued again by the sweep (`scoring.jobs.lease`), so that
    there is one way back and it counts the lost runs.
    """
    claimed = Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.RUNNING,
        started_at=timezone.now(),
        lease_expires_at=_lease_until(),
        attempts=F("attempts") + 1,
        progress=progress,
        progress_note=note,
        error="",
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def _mine(job: Job) -> Any:
    """Return the job's row while this run still holds it (a run taken for dead and queued again does not)."""
    return Job.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)


def job_lease_renew(job: Job) -> bool:
    """Extend the running job's lease; return False when this run no longer holds the job."""
    return bool(_mine(job).update(lease_expires_at=_lease_until()))


def job_progress_writer(job: Job) -> Callable[[int, str], None]:
    """Return the callback a runner reports through: it updates the job's row, not too often."""
    last = {"percent": -1, "note": None, "at": 0.0}

    def report(percent: int, note: str = "") -> None:
        # 100 is written with the result; until then the page must not say the job is done.
        percent = max(0, min(int(percent), 99))
        note = str(note or "")[:200]
        now = time.monotonic()
        if percent == last["percent"] and note == last["note"]:
            return
        if percent - last["percent"] < PROGRESS_MIN_STEP and now - last["at"] < PROGRESS_MIN_INTERVAL:
            return
        # Progress is a sign of life too: it renews the lease. A run already taken for dead writes nothing.
        Job.objects.filter(
            pk=job.pk, attempts=job.attempts, status__in=[Status.QUEUED, Status.RUNNING]
        ).update(progress=percent, progress_note=note, lease_expires_at=_lease_until())
        last.update(percent=percent, note=note, at=now)

    return report


def _record(job: Job, **values: Any) -> bool:
    """Write the outcome once: only the run that holds the job does, and only while it is running."""
    values["finished_at"] = timezone.now()
    values["lease_expires_at"] = None
    recorded = _mine(job).update(**values)
    if not recorded:
        logger.warning("job %s: outcome of a run that no longer holds it is dropped", job.pk)
    job.refresh_from_db()
    return bool(recorded)


def job_finish(job: Job, **values: Any) -> bool:
    """Record a job as succeeded at 100 %, with its result (file, filename, summary, note); False if not ours."""
    return _record(job, status=Status.SUCCEEDED, progress=100, **values)


def job_fail(job: Job, *, error: str = "", progress: int | None = None, **values: Any) -> bool:
    """Record a job as failed with its reason (and, for an import, the errors of its rows); False if not ours."""
    if progress is not None:
        values["progress"] = progress
    return _record(job, status=Status.FAILED, error=error, **values)


def job_run(*, job_id: int) -> bool:
    """Claim the job and run what its kind does; return False when there was nothing to run.

    Not atomic as a whole: the job's progress must be visible while it runs, and its error must stay recorded
    when the work fails and is rolled back.
    """
    job = Job.objects.filter(pk=job_id).select_related("body", "unit", "period", "requested_by").first()
    if job is None:
        return False
    try:
        kind = job_kind_get(job.kind)
    except UnknownJobKind:
        logger.error("job %s has the unknown kind %r", job.pk, job.kind)
        return False
    if not job_claim(job, progress=kind.start_progress, note=str(kind.start_note)):
        return False
    from .lease import lease_kept

    try:
        with lease_kept(job):
            kind.run(job)
    except Exception:
        # Runners record their own failures; this is the net for a bug, so that the page stops polling.
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_fail(job, error=_("Lỗi hệ thống; hãy thử lại hoặc báo quản trị hệ thống."))
    return True


def job_retry_reset(job: Job) -> bool:
    """Put a failed job, or one whose worker died, back in the queue (after the caller's permission check).

    Return False if it had neither failed nor lost its worker. The count of lost runs starts again: the person
    asked for a new try.
    """
    reset = (
        Job.objects.filter(pk=job.pk)
        .filter(Q(status=Status.FAILED) | job_stale_q())
        .update(
            status=Status.QUEUED,
            error="",
            errors=[],
            progress=0,
            progress_note="",
            started_at=None,
            finished_at=None,
            lease_expires_at=None,
            lost_runs=0,
            queued_at=timezone.now(),
        )
    )
    if not reset:
        return False
    job.refresh_from_db()
    job_enqueue(job)
    return True


def job_get_for_user(*, user: User, pk: int) -> Job | None:
    """Return the job if the user may read it (its kind decides who may); None otherwise, whatever the reason."""
    if not user.is_authenticated:
        return None
    job = Job.objects.filter(pk=pk).select_related("body", "unit__body", "period", "requested_by").first()
    if job is None:
        return None
    try:
        kind = job_kind_get(job.kind)
    except UnknownJobKind:
        return None
    return job if kind.may_read(user, job) else None
