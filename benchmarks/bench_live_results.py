"""Live results on PostgreSQL: how soon they follow a change, and what reading them costs as a body grows.

Two bodies, each with a 2026 period in appraisal (round 1 sent): 130 and 1,000 units, 100 items each (every
fifth a survey item), self-scores and round-1 appraisals of every item, 10 accepted ballots per unit answering
the 20 survey questions (13,000 and 100,000 answers). Three measurements:

1. **Current after a change** (130 units): with a real Celery worker on Redis (a thread, solo pool), one
   appraisal is changed and announced in a transaction as the appraisal services do; timed from the commit
   until the period's results say they are current (the recompute queued on commit has run). Then a burst of
   20 changes, one every 50 ms: how many recomputes ran, and the time from the last commit to current.
2. **One unit's analysis** (`unit_analysis_build`, draft) at 130 and at 1,000 units: time and queries.
3. **The staff rankings API** of the live year (`GET /api/v1/rankings/`, body administrator) at 130 and 1,000.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python benchmarks/bench_live_results.py [--runs 5] [--cleanup]

Goals: current within 2 s of the last change; the analysis and the API cost about the same at 1,000 units as
at 130. Data creation (a minute or two the first time) is not timed and is kept for the next run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
# The page is timed for a body administrator signed in by force_login: no second-factor step in between.
os.environ.setdefault("TWO_FACTOR_REQUIRED_ROLES", "")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench_live_results: set DATABASE_URL to a PostgreSQL database (see `make bench`)")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from appraisal.models import ItemAppraisal  # noqa: E402
from benchmarks.bench_recompute import body_data_delete, criteria_items_create  # noqa: E402
from reports.models import ResultsState  # noqa: E402
from reports.results.services import period_results_recompute  # noqa: E402
from reports.unit_analysis.selectors import unit_analysis_build  # noqa: E402
from scoring.evaluation import services  # noqa: E402
from scoring.models import (  # noqa: E402
    Assessment,
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Method,
    Period,
    Role,
    RoleAssignment,
    SelfScore,
    Unit,
    User,
)
from scoring.results.state import results_changed_notify  # noqa: E402
from scoring.workflow import Status  # noqa: E402
from surveys.models import AnswerOption, Ballot, BallotAnswer, BallotForm, Question  # noqa: E402

PREFIX = "bench-live-"
YEAR = 2026
SIZES = (130, 1000)
BALLOTS_PER_UNIT = 10
QUARTER = Decimal("0.25")
SHARES = {"A": Decimal(1), "B": Decimal("0.6"), "C": Decimal("0.2"), "D": Decimal(0)}


def _survey(period: Period, group, leaves: list[CriteriaItem], units: list[Unit], rng: random.Random) -> None:
    form = BallotForm.objects.create(period=period, code="M1", name="Mẫu 1", target_group=group)
    survey_items = [i for i in leaves if i.method == Method.SURVEY]
    questions = Question.objects.bulk_create(
        Question(form=form, number=n, text=f"Câu {n}", item=item, order=n)
        for n, item in enumerate(survey_items, start=1)
    )
    options = {
        q.pk: AnswerOption.objects.bulk_create(
            AnswerOption(question=q, code=code, label=code, share=share) for code, share in SHARES.items()
        )
        for q in questions
    }
    number = 0
    for unit in units:
        ballots = []
        for _ in range(BALLOTS_PER_UNIT):
            number += 1
            ballots.append(
                Ballot(
                    period=period, form=form, unit=unit, number=str(number), status="accepted", entry_round=1
                )
            )
        ballots = Ballot.objects.bulk_create(ballots)
        BallotAnswer.objects.bulk_create(
            BallotAnswer(ballot=b, question=q, option=rng.choice(options[q.pk]))
            for b in ballots
            for q in questions
        )


def dataset_get_or_create(units: int, rng: random.Random) -> Period:
    code = f"{PREFIX}{units}"
    body = services.body_get_or_create(code=code, name=f"UBND tỉnh Benchmark {units}")
    period, _ = services.period_get_or_create(body=body, year=YEAR)
    if Assessment.objects.filter(period=period).count() == units:
        return period
    with transaction.atomic():
        group, _ = services.unit_group_get_or_create(body=body, name="Sở, ban, ngành", code="so-ban-nganh")
        criteria_set = CriteriaSet.objects.create(period=period, unit_group=group, name="Bộ tiêu chí")
        leaves = criteria_items_create(criteria_set, 100, survey_every=5)
        created = Unit.objects.bulk_create(
            Unit(body=body, group=group, code=f"dv-{n:04d}", name=f"Đơn vị {n:04d}") for n in range(units)
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(period=period, unit=u, criteria_set=criteria_set, status=Status.EXPLANATION)
            for u in created
        )
        now = timezone.now()
        appraised = [i for i in leaves if i.method == Method.APPRAISAL]
        for a in assessments:
            own = [QUARTER * rng.randint(2, 4) for _ in appraised]
            SelfScore.objects.bulk_create(
                SelfScore(assessment=a, item=item, points=p) for item, p in zip(appraised, own, strict=True)
            )
            ItemAppraisal.objects.bulk_create(
                ItemAppraisal(
                    assessment=a,
                    item=item,
                    round=1,
                    points=max(Decimal(0), p - QUARTER * rng.randint(0, 1)),
                    appraised_at=now,
                    version=1,
                )
                for item, p in zip(appraised, own, strict=True)
            )
        _survey(period, group, leaves, created, rng)
        admin, _ = User.objects.get_or_create(username=f"{code}-admin")
        RoleAssignment.objects.get_or_create(user=admin, body=body, role=Role.BODY_ADMIN)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    period_results_recompute(period=period)
    print(
        f"  created {code}: {units} units x {len(leaves)} items, {units * BALLOTS_PER_UNIT} ballots",
        flush=True,
    )
    return period


def cleanup() -> None:
    for body in EvaluatingBody.objects.filter(code__startswith=PREFIX):
        periods = Period.objects.filter(body=body)
        BallotAnswer.objects.filter(ballot__period__in=periods).delete()
        Ballot.objects.filter(period__in=periods).delete()
        AnswerOption.objects.filter(question__form__period__in=periods).delete()
        Question.objects.filter(form__period__in=periods).delete()
        BallotForm.objects.filter(period__in=periods).delete()
        User.objects.filter(username=f"{body.code}-admin").delete()
        body_data_delete(body)


@contextmanager
def worker():
    """A real Celery worker thread on Redis, on a queue of its own."""
    from celery.contrib.testing.worker import start_worker

    from parindex.celery import app

    queue = "parindex-bench-live"
    app.conf.update(task_always_eager=False, task_default_queue=queue, result_backend=None)
    app.amqp.__dict__.pop("queues", None)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]):
        yield


def _change(period: Period, rng: random.Random) -> None:
    """One appraiser's save: one item's points changed and announced, committed."""
    with transaction.atomic():
        row = ItemAppraisal.objects.filter(assessment__period=period, round=1).order_by("?").first()
        row.points = QUARTER * rng.randint(0, 4)
        row.save(update_fields=["points"])
        results_changed_notify(period_id=period.pk)


def _wait_current(period: Period, timeout: float = 30.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        state = ResultsState.objects.filter(period=period).first()
        if state is not None and state.is_current:
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit("the results did not become current within 30 s: is a worker consuming?")


def time_freshness(period: Period, runs: int, rng: random.Random) -> None:
    with worker():
        delays = []
        for _ in range(runs):
            _change(period, rng)
            delays.append(_wait_current(period))
            time.sleep(0.3)
        print(
            f"current after one change (130 units): median {statistics.median(delays):.2f} s, "
            f"max {max(delays):.2f} s (coalescing delay {0.5:.1f} s included)"
        )
        before = ResultsState.objects.get(period=period).computed_at
        recomputes = set()
        for _ in range(20):
            _change(period, rng)
            state = ResultsState.objects.get(period=period)
            if state.computed_at and state.computed_at != before:
                recomputes.add(state.computed_at)
            time.sleep(0.05)
        last = _wait_current(period)
        recomputes.add(ResultsState.objects.get(period=period).computed_at)
        print(
            f"burst of 20 changes in 1 s: {len(recomputes)} recomputes, current {last:.2f} s after the last"
        )


def time_reads(period: Period, runs: int) -> None:
    body = period.body
    unit = Unit.objects.filter(body=body).order_by("code")[7]
    admin = User.objects.get(username=f"{body.code}-admin")
    client = Client(SERVER_NAME="localhost")  # a host that ALLOWED_HOSTS accepts by default
    client.force_login(admin)
    size = Unit.objects.filter(body=body).count()
    unit_analysis_build(unit=unit, year=YEAR, draft=True)
    client.get("/api/v1/rankings/", {"year": YEAR, "body": body.code})
    analysis, api = [], []
    for _ in range(runs):
        started = time.perf_counter()
        unit_analysis_build(unit=unit, year=YEAR, draft=True)
        analysis.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = client.get("/api/v1/rankings/", {"year": YEAR, "body": body.code})
        api.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:200]
    print(
        f"{size:>5} units: unit analysis median {statistics.median(analysis) * 1000:.0f} ms "
        f"(min {min(analysis) * 1000:.0f}); staff rankings API median "
        f"{statistics.median(api) * 1000:.0f} ms (min {min(api) * 1000:.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cleanup", action="store_true", help="delete the benchmark data and stop")
    args = parser.parse_args()
    if args.cleanup:
        cleanup()
        return
    rng = random.Random(2026)
    periods = {units: dataset_get_or_create(units, rng) for units in SIZES}
    for units in SIZES:
        time_reads(periods[units], args.runs)
    time_freshness(periods[SIZES[0]], args.runs, rng)


if __name__ == "__main__":
    main()
