"""A job whose worker died comes back once: the lease, its renewal, the sweep, the user's retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scoring.jobs import registry
from scoring.jobs import services as jobs
from scoring.jobs.lease import job_sweep
from scoring.jobs.registry import JobKind
from scoring.models import Job
from scoring.tasks import job_run_task, job_sweep_task

Status = Job.Status


@pytest.fixture
def echo_kind(monkeypatch):
    """Register a kind of test whose run records the job it got and finishes it with a summary."""
    runs: list[int] = []

    def run(job: Job) -> None:
        runs.append(job.pk)
        jobs.job_finish(job, summary={"runs": len(runs)})

    monkeypatch.setitem(
        registry._KINDS,
        "echo",
        JobKind(kind="echo", label="Nhắc lại", run=run, may_read=lambda u, j: True, page_url=str),
    )
    return runs


def _job(body, requester) -> Job:
    return jobs.job_create(requester=requester, body=body, kind="echo", enqueue=False)


def _died(job: Job, *, seconds_ago: int = 5) -> None:
    """Leave the job as a worker killed mid-run leaves it: running, its lease run out."""
    assert jobs.job_claim(job)
    Job.objects.filter(pk=job.pk).update(
        progress=20, lease_expires_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    job.refresh_from_db()


def test_a_claim_takes_a_lease_and_progress_renews_it(body, body_admin, echo_kind, settings):
    settings.JOB_LEASE_SECONDS = 60
    job = _job(body, body_admin)
    before = timezone.now()

    assert jobs.job_claim(job)
    assert before + timedelta(seconds=59) <= job.lease_expires_at <= timezone.now() + timedelta(seconds=60)
    Job.objects.filter(pk=job.pk).update(lease_expires_at=before)
    jobs.job_progress_writer(job)(40, "Đang làm")
    job.refresh_from_db()

    assert job.lease_expires_at > before + timedelta(seconds=59)
    assert not job.is_stale
    assert jobs.job_lease_renew(job)


def test_the_sweep_queues_again_a_job_whose_worker_died_and_it_finishes_once(body, body_admin, echo_kind):
    job = _job(body, body_admin)
    _died(job)
    assert job.is_stale

    # Without a broker the sweep's message runs here and now.
    assert job_sweep_task() == {"requeued": 1, "failed": 0, "resent": 0}

    job.refresh_from_db()
    assert (job.status, job.attempts, job.lost_runs, job.summary) == (Status.SUCCEEDED, 2, 1, {"runs": 1})
    assert job.lease_expires_at is None
    # A message of the first run delivered again (Redis gives back unacknowledged ones) does nothing.
    assert job_run_task(job.pk) is False
    assert echo_kind == [job.pk]
    assert job_sweep().requeued == 0


def test_the_dead_runs_outcome_is_dropped_once_the_job_is_queued_again(body, body_admin, echo_kind):
    job = _job(body, body_admin)
    _died(job)
    zombie = Job.objects.get(pk=job.pk)  # the first run, not dead after all, only slow
    job_sweep()  # queued again and run (eagerly) by a second worker

    assert jobs.job_finish(zombie, summary={"runs": 99}) is False
    assert jobs.job_fail(zombie, error="muộn") is False

    job.refresh_from_db()
    assert (job.status, job.summary, job.error) == (Status.SUCCEEDED, {"runs": 1}, "")


def test_a_job_whose_lease_is_alive_is_left_to_its_worker(body, body_admin, echo_kind):
    job = _job(body, body_admin)
    assert jobs.job_claim(job)

    assert job_sweep().requeued == 0
    assert job_run_task(job.pk) is False  # a second delivery while it runs

    job.refresh_from_db()
    assert (job.status, job.attempts, echo_kind) == (Status.RUNNING, 1, [])


def test_after_too_many_lost_runs_the_job_fails_with_a_reason(body, body_admin, echo_kind, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    job = _job(body, body_admin)
    _died(job)
    Job.objects.filter(pk=job.pk).update(lost_runs=1)

    assert job_sweep().failed == 1

    job.refresh_from_db()
    assert (job.status, job.lost_runs, echo_kind) == (Status.FAILED, 2, [])
    assert "gián đoạn 2 lần" in job.error and job.finished_at is not None


def test_a_job_claimed_before_leases_existed_is_taken_for_dead_once_a_lease_would_have_run_out(
    body, body_admin, echo_kind, settings
):
    settings.JOB_LEASE_SECONDS = 60
    job = _job(body, body_admin)
    assert jobs.job_claim(job)
    Job.objects.filter(pk=job.pk).update(
        lease_expires_at=None, started_at=timezone.now() - timedelta(seconds=61)
    )
    job.refresh_from_db()
    assert job.is_stale

    assert job_sweep().requeued == 1
    assert Job.objects.get(pk=job.pk).status == Status.SUCCEEDED


def test_a_queued_job_nobody_claimed_is_sent_again_once(body, body_admin, echo_kind, settings):
    settings.JOB_QUEUED_TIMEOUT_SECONDS = 600
    fresh = _job(body, body_admin)
    forgotten = _job(body, body_admin)
    Job.objects.filter(pk=forgotten.pk).update(queued_at=timezone.now() - timedelta(seconds=601))

    assert job_sweep().resent == 1

    assert echo_kind == [forgotten.pk]
    assert Job.objects.get(pk=fresh.pk).status == Status.QUEUED


def test_the_user_may_retry_a_job_whose_worker_died_but_not_one_still_running(
    body, body_admin, echo_kind, django_capture_on_commit_callbacks
):
    alive = _job(body, body_admin)
    assert jobs.job_claim(alive)
    dead = _job(body, body_admin)
    _died(dead)
    Job.objects.filter(pk=dead.pk).update(lost_runs=2)

    assert jobs.job_retry_reset(alive) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.job_retry_reset(dead) is True

    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.lost_runs) == (Status.SUCCEEDED, 2, 0)
