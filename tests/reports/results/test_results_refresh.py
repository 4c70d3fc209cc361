"""Live results follow every change: stamped in the change's transaction, recomputed once it commits.

Coalesced per period, swept when a recompute is lost, and a failed recompute keeps the previous figures and
says so. The last test runs a real Celery worker on Redis against PostgreSQL (PARINDEX_INTEGRATION=1).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from appraisal.models import ItemAppraisal
from reports.models import ComputedResult, ResultsState
from reports.results import services as results_refresh
from reports.results.selectors import freshness, results_table
from reports.results.services import period_results_recompute
from scoring.results.state import results_changed_notify
from scoring.workflow import Status
from tests.appraisal.helpers import appraise_all, submitted_assessment
from tests.scoring.factories import PeriodFactory

YEAR = 2026


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=YEAR)


@pytest.fixture
def appraised(period, unit):
    assessment = submitted_assessment(unit=unit, period=period, status=Status.EXPLANATION)
    appraise_all(assessment=assessment, round=1, points=Decimal("0.75"))
    return assessment


def _lower_and_announce(assessment, points: Decimal) -> None:
    """What an appraisal service does: change the points and announce it, in one transaction."""
    with transaction.atomic():
        ItemAppraisal.objects.filter(assessment=assessment).update(points=points)
        results_changed_notify(period_id=assessment.period_id)


def test_a_committed_change_recomputes_the_period(period, appraised, django_capture_on_commit_callbacks):
    period_results_recompute(period=period)
    assert ComputedResult.objects.get().appraisal_points == Decimal(6)

    with django_capture_on_commit_callbacks(execute=True):
        _lower_and_announce(appraised, Decimal("0.50"))

    assert ComputedResult.objects.get().appraisal_points == Decimal(4)
    state = ResultsState.objects.get(period=period)
    assert state.is_current and state.queued_at is None
    assert freshness(period).stale is False


def test_a_change_stamps_the_period_stale_until_recomputed(
    period, appraised, django_capture_on_commit_callbacks
):
    period_results_recompute(period=period)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _lower_and_announce(appraised, Decimal("0.50"))

    assert freshness(period).stale is True
    table = results_table(body=period.body, year=YEAR, draft=True)
    assert table.stale is True and table.computed_at is not None
    # Not recomputed yet: the old figures, said to be older than the last change.
    assert ComputedResult.objects.get().appraisal_points == Decimal(6)
    assert len(callbacks) == 1


def test_a_burst_of_changes_in_one_transaction_schedules_one_recompute(
    period, appraised, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for _ in range(20):
            results_changed_notify(period_id=period.pk)

    assert len(callbacks) == 1


def test_a_period_already_queued_is_not_queued_twice(period, appraised, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "reports.tasks.results_refresh_task.apply_async", lambda *args, **kwargs: sent.append(kwargs)
    )
    ResultsState.objects.create(period=period, changed_at=timezone.now())

    assert results_refresh.results_refresh_schedule(period_id=period.pk) is True
    assert results_refresh.results_refresh_schedule(period_id=period.pk) is False
    assert results_refresh.results_refresh_schedule(period_id=period.pk) is False
    assert len(sent) == 1


def test_a_lost_recompute_is_queued_again_by_the_sweep(period, appraised):
    # Queued long ago by a worker that died: still stale, nothing computed since.
    long_ago = timezone.now() - results_refresh.QUEUE_TIMEOUT - timedelta(seconds=1)
    ResultsState.objects.create(period=period, changed_at=long_ago, queued_at=long_ago)

    assert results_refresh.results_refresh_sweep() == 1

    state = ResultsState.objects.get(period=period)
    assert state.is_current
    assert ComputedResult.objects.filter(period=period).count() == 1


def test_the_sweep_leaves_current_and_freshly_queued_periods_alone(period, appraised, monkeypatch):
    period_results_recompute(period=period)
    other = PeriodFactory(body=period.body, year=YEAR + 1)
    ResultsState.objects.create(period=other, changed_at=timezone.now(), queued_at=timezone.now())
    monkeypatch.setattr(
        "reports.tasks.results_refresh_task.apply_async", lambda *a, **k: pytest.fail("nothing to queue")
    )

    assert results_refresh.results_refresh_sweep() == 0


def test_a_failed_recompute_keeps_the_previous_results_and_says_so(period, appraised, monkeypatch):
    period_results_recompute(period=period)
    before = list(ComputedResult.objects.values_list("unit_id", "appraisal_points", "rank"))
    ItemAppraisal.objects.filter(assessment=appraised).update(points=Decimal("0.25"))
    ResultsState.objects.filter(period=period).update(changed_at=timezone.now())

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("reports.results.live.unit_totals", broken)
    results_refresh.results_refresh_run(period_id=period.pk)

    assert list(ComputedResult.objects.values_list("unit_id", "appraisal_points", "rank")) == before
    state = freshness(period)
    assert state.stale is True and "database went away" in state.error
    assert results_table(body=period.body, year=YEAR, draft=True).refresh_error


def test_a_broker_away_leaves_the_period_stale_for_the_sweep(period, appraised, monkeypatch):
    def away(*args, **kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr("reports.tasks.results_refresh_task.apply_async", away)
    ResultsState.objects.create(period=period, changed_at=timezone.now())

    assert results_refresh.results_refresh_schedule(period_id=period.pk) is False

    state = ResultsState.objects.get(period=period)
    assert state.queued_at is None and not state.is_current


def test_the_dashboard_says_when_figures_are_older_than_the_last_change(
    client, body_admin, period, appraised, django_capture_on_commit_callbacks
):
    period_results_recompute(period=period)
    with django_capture_on_commit_callbacks(execute=False):
        _lower_and_announce(appraised, Decimal("0.50"))
    client.force_login(body_admin)

    html = client.get("/ket-qua/bieu-do/", {"body": period.body.code, "year": YEAR}).content.decode()

    assert 'data-testid="freshness"' in html
    assert "Dữ liệu đã thay đổi sau lần tính này" in html


@pytest.mark.integration
@pytest.mark.skipif(
    os.environ.get("PARINDEX_INTEGRATION") != "1", reason="needs PARINDEX_INTEGRATION=1, PostgreSQL and Redis"
)
def test_a_real_worker_brings_the_results_up_to_date_after_a_commit(transactional_db, settings, body, unit):
    assert connection.vendor == "postgresql"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    period = PeriodFactory(body=body, year=YEAR)
    assessment = submitted_assessment(unit=unit, period=period, status=Status.EXPLANATION)
    appraise_all(assessment=assessment, round=1, points=Decimal("0.75"))
    with _worker():
        _lower_and_announce(assessment, Decimal("0.50"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state = ResultsState.objects.filter(period=period).first()
            if state is not None and state.is_current:
                break
            time.sleep(0.1)
    assert ComputedResult.objects.get(period=period).appraisal_points == Decimal(4)
    assert ResultsState.objects.get(period=period).is_current


def _worker():
    from contextlib import contextmanager

    from celery.contrib.testing.worker import start_worker

    from parindex.celery import app
    from tests.scoring.jobs.broker_fixtures import celery_pointed_at

    @contextmanager
    def running():
        broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
        queue = "parindex-test-refresh"
        # celery_pointed_at takes its values back out afterwards: saving and re-setting them would pin this
        # test's non-eager setting for every later test.
        with (
            celery_pointed_at(
                app, broker_url=broker, task_always_eager=False, task_default_queue=queue, result_backend=None
            ),
            start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]),
        ):
            yield

    return running()
