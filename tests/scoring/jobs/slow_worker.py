"""A real Celery worker for the integration tests of jobs, with a slow kind of job of its own.

Run as `python -m tests.scoring.jobs.slow_worker <queue>` with DATABASE_URL, CELERY_BROKER_URL and MEDIA_ROOT
in the environment. The "slow" kind reports progress for a few seconds (time to kill its worker mid-job),
then stores one file and finishes: a job that ran twice to the end would leave two files.
"""

from __future__ import annotations

import os
import sys
import time

from django.core.files.base import ContentFile

SLOW_KIND = "slow"
STEPS = 10
STEP_SECONDS = 0.4


def slow_run(job) -> None:
    from scoring.jobs import services as jobs

    report = jobs.job_progress_writer(job)
    for step in range(1, STEPS + 1):
        time.sleep(STEP_SECONDS)
        report(step * 100 // (STEPS + 1), f"Bước {step}")
    jobs.job_file_store(job, folder="slow", filename="ket-qua.txt", content=ContentFile(b"mot lan"))
    jobs.job_finish(job, file=job.file.name, filename="ket-qua.txt", summary={"pid": os.getpid()})


def slow_kind():
    from scoring.jobs.registry import JobKind

    return JobKind(kind=SLOW_KIND, label="Việc chậm", run=slow_run, may_read=lambda u, j: True, page_url=str)


def main(queue: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    django.setup()
    from parindex.celery import app
    from scoring.jobs.registry import job_kind_register

    job_kind_register(slow_kind())
    app.worker_main(
        argv=[
            "worker",
            "--pool=solo",
            f"--queues={queue}",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1])
