"""The one job runner: it dispatches by kind through the registry and runs a job exactly once."""

from __future__ import annotations

import pytest

from scoring.jobs import registry
from scoring.jobs import services as jobs
from scoring.jobs.registry import JobKind, UnknownJobKind
from scoring.models import Job
from scoring.tasks import job_run_task


@pytest.fixture
def echo_kind(monkeypatch):
    """Register a kind of test whose run records the job it got and finishes it with a summary."""
    runs: list[int] = []

    def run(job: Job) -> None:
        runs.append(job.pk)
        jobs.job_progress_writer(job)(50, "Đang làm")
        jobs.job_finish(job, summary={"echo": job.params["word"]})

    monkeypatch.setitem(
        registry._KINDS,
        "echo",
        JobKind(
            kind="echo",
            label="Nhắc lại",
            run=run,
            may_read=lambda user, job: job.requested_by_id == user.pk,
            page_url=lambda job: f"/echo/{job.pk}/",
            start_note="Đang bắt đầu",
        ),
    )
    return runs


def test_the_task_runs_a_job_by_what_its_kind_registered(body, body_admin, echo_kind):
    job = jobs.job_create(
        requester=body_admin, body=body, kind="echo", params={"word": "xin chào"}, enqueue=False
    )

    assert job_run_task(job.pk) is True

    job.refresh_from_db()
    assert echo_kind == [job.pk]
    assert (job.status, job.progress, job.summary, job.attempts) == (
        Job.Status.SUCCEEDED,
        100,
        {"echo": "xin chào"},
        1,
    )
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.get_kind_display() == "Nhắc lại"


def test_two_runs_of_one_job_run_it_once(body, body_admin, echo_kind):
    job = jobs.job_create(requester=body_admin, body=body, kind="echo", params={"word": "a"}, enqueue=False)
    stale = Job.objects.get(pk=job.pk)  # a second worker's copy, loaded while the job was queued

    assert jobs.job_run(job_id=job.pk) is True
    assert jobs.job_run(job_id=stale.pk) is False
    assert jobs.job_claim(stale) is False

    assert echo_kind == [job.pk]
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_creating_enqueues_the_one_task_once_committed(
    body, body_admin, echo_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.job_create(requester=body_admin, body=body, kind="echo", params={"word": "b"})

    assert len(callbacks) == 1
    assert echo_kind == [job.pk]


def test_a_kind_nobody_registered_is_refused_and_never_run(body, body_admin):
    with pytest.raises(UnknownJobKind):
        jobs.job_create(requester=body_admin, body=body, kind="khong-co", enqueue=False)
    orphan = Job.objects.create(body=body, kind="khong-co")

    assert jobs.job_run(job_id=orphan.pk) is False
    assert Job.objects.get(pk=orphan.pk).status == Job.Status.QUEUED


def test_a_runner_that_raises_leaves_the_job_failed_not_running(body, body_admin, monkeypatch):
    def broken(job: Job) -> None:
        raise RuntimeError("bug")

    monkeypatch.setitem(
        registry._KINDS,
        "broken",
        JobKind(kind="broken", label="Hỏng", run=broken, may_read=lambda u, j: True, page_url=str),
    )
    job = jobs.job_create(requester=body_admin, body=body, kind="broken", enqueue=False)

    jobs.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error


def test_every_app_registers_its_kinds():
    assert {"annual", "unit", "rankings", "province_plan", "unit_plan", "recompute"} <= set(
        registry.job_kinds()
    )
    assert {"published_results", "ballots"} <= set(registry.job_kinds())
