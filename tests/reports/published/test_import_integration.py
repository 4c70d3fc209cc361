"""A real Celery worker on Redis runs an import job against PostgreSQL.

Run with:
  PARINDEX_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex \
  CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/pytest tests/reports/published/test_import_integration.py
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from celery.signals import task_prerun
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from reports.models import PublishedResult
from reports.published import services
from scoring.models import EvaluatingBody, Job

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1",
        reason="needs PARINDEX_INTEGRATION=1, PostgreSQL and Redis",
    ),
]

REFERENCE = Path(__file__).parent.parent / "data" / "lai-chau-2020-departments.csv"
TIMEOUT_SECONDS = 60


@pytest.fixture
def celery_worker():
    """Start a real worker thread consuming from Redis, on a queue of its own."""
    from celery.contrib.testing.worker import start_worker

    from parindex.celery import app
    from tests.scoring.jobs.broker_fixtures import celery_pointed_at

    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    # A queue of its own, so that the app's other tasks waiting in Redis are not consumed here. A
    # message left by an interrupted run names a job of another test database: the task skips it.
    queue = "parindex-test-import"
    with (
        celery_pointed_at(
            app, broker_url=broker, task_always_eager=False, task_default_queue=queue, result_backend=None
        ),
        start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]),
    ):
        yield app


def test_worker_imports_the_uploaded_file(transactional_db, settings, celery_worker):
    assert connection.vendor == "postgresql", "set DATABASE_URL to the PostgreSQL database"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = EvaluatingBody.objects.create(code="lai-chau", name="UBND tỉnh Lai Châu")
    runs: list[tuple[bool, str]] = []

    def record(sender=None, **kwargs):
        runs.append((bool(sender.request.is_eager), threading.current_thread().name))

    task_prerun.connect(record, weak=False)

    job = services.import_job_create(
        body=body, upload=SimpleUploadedFile(REFERENCE.name, REFERENCE.read_bytes()), year=2020
    )
    # Outside a transaction, on_commit has already sent the task to Redis.
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        job.refresh_from_db()
        if job.is_finished or time.monotonic() > deadline:
            break
        time.sleep(0.2)

    task_prerun.disconnect(record)
    # Run once, by the worker thread through the broker, not eagerly in this thread.
    assert runs and not runs[0][0] and runs[0][1] != threading.current_thread().name
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert job.summary["created"] == 16
    assert PublishedResult.objects.for_body(body.pk).count() == 16
    assert job.started_at is not None and job.finished_at >= job.started_at
