"""A worker killed mid-job (SIGKILL): another worker finishes the job, once, through Redis and PostgreSQL.

Real processes: two Celery workers started here on Redis (database 7 of the broker's server, a queue of its
own), the jobs' tables in PostgreSQL. Run with:
  PARINDEX_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex \
  CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/pytest tests/scoring/jobs/test_worker_killed.py -s
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection

from scoring.jobs import registry
from scoring.jobs import services as jobs
from scoring.jobs.lease import job_sweep
from scoring.models import EvaluatingBody, Job
from tests.scoring.jobs.broker_fixtures import celery_pointed_at
from tests.scoring.jobs.slow_worker import SLOW_KIND, STEP_SECONDS, STEPS, slow_kind

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1",
        reason="needs PARINDEX_INTEGRATION=1, PostgreSQL and Redis",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
QUEUE = "parindex-test-jobs-killed"
REDIS_DB = 7  # of the broker's server: this test's own, apart from the other tests' messages
LEASE_SECONDS = 2
TIMEOUT = 60.0


def _broker_url() -> str:
    parts = urlsplit(os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0")
    return parts._replace(path=f"/{REDIS_DB}").geturl()


def _database_url() -> str:
    """Return the address of the test database this process uses, for the workers to use it too."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


@pytest.fixture
def broker(settings, monkeypatch):
    """Point this process's Celery at the test's Redis database and queue, emptied first."""
    import redis

    from parindex.celery import app

    url = _broker_url()
    redis.Redis.from_url(url).flushdb()  # messages of an interrupted run name jobs of another database
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery reads these two from the environment before its settings (`make test-integration` sets them).
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    with celery_pointed_at(
        app, broker_url=url, result_backend=None, task_always_eager=False, task_default_queue=QUEUE
    ):
        yield url


class Workers:
    """Start and kill real worker processes; every one still alive is killed at the end."""

    def __init__(self, broker_url: str, media_root: Path, log_dir: Path):
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"CELERY_RESULT_BACKEND", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=broker_url,
            MEDIA_ROOT=str(media_root),
            JOB_LEASE_SECONDS=str(LEASE_SECONDS),
            PYTHONPATH=str(ROOT),
        )
        self.log_dir = log_dir
        self.started: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = open(self.log_dir / f"worker-{len(self.started) + 1}.log", "wb")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.scoring.jobs.slow_worker", QUEUE],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
            process.log.close()


@pytest.fixture
def workers(broker, settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    logs = tmp_path / "logs"
    logs.mkdir()
    started = Workers(broker, media, logs)
    try:
        yield started
    finally:
        started.stop()


def _wait(job: Job, done, what: str, workers: Workers) -> float:
    started = time.monotonic()
    while time.monotonic() - started < TIMEOUT:
        job.refresh_from_db()
        if done(job):
            return time.monotonic() - started
        time.sleep(0.1)
    logs = "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(workers.log_dir.iterdir()))
    pytest.fail(f"{what}: job is {job.status} at {job.progress} %\n{logs}")


def test_a_job_whose_worker_is_killed_mid_run_is_finished_once_by_another(
    transactional_db, settings, monkeypatch, workers
):
    assert connection.vendor == "postgresql", "set DATABASE_URL to the PostgreSQL database"
    settings.JOB_LEASE_SECONDS = LEASE_SECONDS
    monkeypatch.setitem(registry._KINDS, SLOW_KIND, slow_kind())
    body = EvaluatingBody.objects.create(code="lai-chau", name="UBND tỉnh Lai Châu")

    first = workers.start()
    job = jobs.job_create(requester=None, body=body, kind=SLOW_KIND)  # sent to Redis on commit
    _wait(job, lambda j: j.status == Job.Status.RUNNING and j.progress >= 20, "first worker starts", workers)

    os.kill(first.pid, signal.SIGKILL)  # mid-job, as the out-of-memory killer or a crash would
    first.wait(timeout=10)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)

    second = workers.start()

    # The beat sweep's work, done here every half second: nothing until the dead worker's lease runs out.
    def finished(j: Job) -> bool:
        if not j.is_finished:
            job_sweep()
        return j.is_finished

    _wait(job, finished, "second worker finishes", workers)
    recovered = time.monotonic() - killed_at

    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.attempts, job.lost_runs, job.progress) == (2, 1, 100)
    assert job.summary == {"pid": second.pid}
    # A redelivered message of the first run, or another sweep, must not run it a third time.
    time.sleep(STEPS * STEP_SECONDS / 2)
    job_sweep()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert [p.name for p in (Path(django_settings.MEDIA_ROOT) / "slow").iterdir()] == [
        Path(job.file.name).name
    ]
    print(f"\nkilled worker -> job completed once by another worker in {recovered:.1f} s")
