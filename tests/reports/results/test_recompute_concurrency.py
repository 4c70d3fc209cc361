"""Two recomputes of one period at once, on PostgreSQL: the period lock makes them leave what one would.

SQLite serialises every write of the whole database, so the race cannot happen there: these tests skip.
Run them with DATABASE_URL=postgres://…; they commit for real (transactional_db), each thread on its own
connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from reports.jobs.services import report_job_run
from reports.models import ComputedResult
from reports.results.services import period_results_recompute
from scoring.models import Job
from scoring.workflow import Status as AssessmentStatus
from tests.appraisal.helpers import appraise_all, submitted_assessment
from tests.reports.computed_rows import stored_results
from tests.scoring.factories import PeriodFactory, UnitFactory

YEAR = 2026

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, concurrent transactions); SQLite serialises every write",
)


@pytest.fixture
def period(transactional_db, body, departments, unit, other_unit):
    period = PeriodFactory(body=body, year=YEAR)
    units = [unit, other_unit] + [
        UnitFactory(body=body, group=departments, code=f"don-vi-{n}", name=f"Đơn vị {n}") for n in range(4)
    ]
    for n, member in enumerate(units):
        assessment = submitted_assessment(unit=member, period=period, status=AssessmentStatus.ROUND_1)
        appraise_all(assessment=assessment, round=1, points=Decimal("0.25") * (n % 4 + 1))
    return period


def _queued_recompute(period, actor) -> Job:
    # Written straight: report_job_create would run it in-process as soon as it commits (no broker here).
    return Job.objects.create(
        body=period.body, kind="recompute", format="", period=period, year=period.year, requested_by=actor
    )


def _at_once(work: Callable[[], object], threads: int = 2) -> list[object]:
    """Run `work` in several threads released together; return what each returned (or raised)."""
    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[n] = work()
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            results[n] = exc
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


def test_two_recomputes_at_once_leave_the_rows_of_one(period):
    period_results_recompute(period=period)
    alone = stored_results(period)

    results = _at_once(lambda: period_results_recompute(period=period))

    assert [type(r).__name__ for r in results] == ["RecomputeSummary", "RecomputeSummary"]
    assert [r.units for r in results] == [6, 6]
    assert stored_results(period) == alone
    assert ComputedResult.objects.filter(period=period).count() == 6
    assert sum(len(r.fields) for r in ComputedResult.objects.filter(period=period)) == 12


def test_two_recompute_jobs_at_once_both_succeed_with_the_same_rows(period, body, body_admin):
    period_results_recompute(period=period)
    alone = stored_results(period)
    jobs = [_queued_recompute(period, body_admin) for _ in range(2)]
    queue = list(jobs)
    lock = threading.Lock()

    def run_one() -> bool:
        with lock:
            job = queue.pop()
        return report_job_run(job)

    assert _at_once(run_one) == [True, True]
    assert list(Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", "progress")) == [
        ("succeeded", 100),
        ("succeeded", 100),
    ]
    assert stored_results(period) == alone


def test_one_job_delivered_twice_at_once_runs_once(period, body, body_admin):
    job = _queued_recompute(period, body_admin)

    results = _at_once(lambda: report_job_run(Job.objects.get(pk=job.pk)))

    job.refresh_from_db()
    assert sorted(results) == [False, True]
    assert (job.status, job.attempts) == ("succeeded", 1)
