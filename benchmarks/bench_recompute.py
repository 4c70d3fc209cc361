"""Time a full recompute of the synthetic national data set on PostgreSQL, against one raw SQL aggregation.

34 evaluating bodies x 130 units x 100 appraisal items: each unit self-scored every item and the council
approved the round-1 appraisal of every item (442,000 self-scores + 442,000 appraisals). The recompute is
`reports.results.services.periods_results_recompute` over every body's period at once — the final points summed per
unit and field by the database, then index, class and rank per body through scoring.calc, ComputedResult rows
stored (4,420 results + 35,360 field results), in one transaction. The floor is one SQL
statement over the same rows: the final points (round 2, else round 1, else own score) summed per unit and
field, fetched to Python — what any recompute must at least read.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
        .venv/bin/python benchmarks/bench_recompute.py [--runs 3] [--bodies 34] [--units 130] [--items 100] [--cleanup]

`make bench` creates and migrates that database first. Goal: recompute at most 3 x the floor.
Data creation (a few minutes the first time) is not timed and is kept for the next run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench_recompute: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from appraisal.models import ItemAppraisal  # noqa: E402
from reports.models import ComputedResult  # noqa: E402
from reports.results.services import periods_results_recompute  # noqa: E402
from scoring.evaluation import services  # noqa: E402
from scoring.models import (  # noqa: E402
    Assessment,
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Level,
    Method,
    Period,
    SelfScore,
    Unit,
)
from scoring.workflow import Status  # noqa: E402

PREFIX = "bench-recompute-"
YEAR = 2025
FIELD_SIZES = (10, 12, 15, 14, 12, 13, 12, 12)  # items per field for 100 items
QUARTER = Decimal("0.25")

FLOOR_SQL = """
    SELECT a.id, split_part(ci.code, '.', 1) AS field, SUM(COALESCE(r2.points, r1.points, s.points))
    FROM scoring_assessment a
    JOIN scoring_period p ON p.id = a.period_id
    JOIN scoring_evaluatingbody b ON b.id = p.body_id
    JOIN scoring_selfscore s ON s.assessment_id = a.id
    JOIN scoring_criteriaitem ci ON ci.id = s.item_id
    LEFT JOIN appraisal_itemappraisal r1 ON r1.assessment_id = a.id AND r1.item_id = s.item_id AND r1.round = 1
    LEFT JOIN appraisal_itemappraisal r2 ON r2.assessment_id = a.id AND r2.item_id = s.item_id AND r2.round = 2
    WHERE b.code LIKE %s AND p.year = %s
    GROUP BY a.id, field
"""


def criteria_items_create(
    criteria_set: CriteriaSet, items: int, *, survey_every: int = 0
) -> list[CriteriaItem]:
    """Create 8 fields and `items` one-point leaves (every survey_every-th a survey item when set)."""
    sizes = [round(size * items / 100) for size in FIELD_SIZES]
    rows = []
    order = 0
    for number, size in enumerate(sizes, start=1):
        order += 1
        rows.append(
            CriteriaItem(
                criteria_set=criteria_set,
                level=Level.FIELD,
                code=str(number),
                name=f"Lĩnh vực {number}",
                max_points=Decimal(size),
                order=order,
            )
        )
    fields = {f.code: f for f in CriteriaItem.objects.bulk_create(rows)}
    leaves = []
    for number, size in enumerate(sizes, start=1):
        for n in range(1, size + 1):
            order += 1
            survey = survey_every and order % survey_every == 0
            leaves.append(
                CriteriaItem(
                    criteria_set=criteria_set,
                    parent=fields[str(number)],
                    level=Level.CRITERION,
                    code=f"{number}.{n}",
                    name=f"Tiêu chí {number}.{n}",
                    max_points=Decimal(1),
                    method=Method.SURVEY if survey else Method.APPRAISAL,
                    order=order,
                )
            )
    return CriteriaItem.objects.bulk_create(leaves)


def dataset_get_or_create(*, bodies: int, units: int, items: int) -> list[Period]:
    """Return the benchmark periods, creating bodies, units, assessments, scores and appraisals on first use."""
    rng = random.Random(2025)
    periods = []
    for b in range(bodies):
        code = f"{PREFIX}{b:02d}"
        body = services.body_get_or_create(code=code, name=f"UBND tỉnh Benchmark {b:02d}")
        period, _ = services.period_get_or_create(body=body, year=YEAR)
        periods.append(period)
        if Assessment.objects.filter(period=period).count() == units:
            continue
        with transaction.atomic():
            group, _ = services.unit_group_get_or_create(body=body, name="Đơn vị", code="don-vi")
            criteria_set = CriteriaSet.objects.create(period=period, unit_group=group, name="Bộ tiêu chí")
            leaves = criteria_items_create(criteria_set, items)
            created = Unit.objects.bulk_create(
                Unit(body=body, group=group, code=f"dv-{n:03d}", name=f"Đơn vị {n:03d}") for n in range(units)
            )
            assessments = Assessment.objects.bulk_create(
                Assessment(period=period, unit=u, criteria_set=criteria_set, status=Status.COUNCIL_APPROVED)
                for u in created
            )
            now = timezone.now()
            for a in assessments:
                own = [QUARTER * rng.randint(2, 4) for _ in leaves]
                SelfScore.objects.bulk_create(
                    SelfScore(assessment=a, item=item, points=p) for item, p in zip(leaves, own, strict=True)
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
                    for item, p in zip(leaves, own, strict=True)
                )
        print(f"  created {code}: {units} units x {len(leaves)} items", flush=True)
    return periods


def body_data_delete(body: EvaluatingBody) -> None:
    """Delete a benchmark body with its periods, criteria, units, assessments, scores and computed results."""
    from reports.models import ResultsState

    periods = Period.objects.filter(body=body)
    ComputedResult.objects.filter(period__in=periods).delete()
    ResultsState.objects.filter(period__in=periods).delete()
    ItemAppraisal.objects.filter(assessment__period__in=periods).delete()
    SelfScore.objects.filter(assessment__period__in=periods).delete()
    Assessment.objects.filter(period__in=periods).delete()
    CriteriaItem.objects.filter(criteria_set__period__in=periods).delete()
    CriteriaSet.objects.filter(period__in=periods).delete()
    periods.delete()
    Unit.objects.filter(body=body).delete()
    body.delete()


def cleanup() -> None:
    for body in EvaluatingBody.objects.filter(code__startswith=PREFIX):
        body_data_delete(body)


def time_recompute(periods: list[Period]) -> float:
    started = time.perf_counter()
    periods_results_recompute(periods=periods)
    return time.perf_counter() - started


def time_floor() -> tuple[float, int]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [f"{PREFIX}%", YEAR])
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bodies", type=int, default=34)
    parser.add_argument("--units", type=int, default=130)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--cleanup", action="store_true", help="delete the benchmark data and stop")
    args = parser.parse_args()
    if args.cleanup:
        cleanup()
        return

    periods = dataset_get_or_create(bodies=args.bodies, units=args.units, items=args.items)
    with connection.cursor() as cursor:
        # Fresh bulk inserts leave the planner without statistics; both sides are timed on analysed tables.
        cursor.execute("ANALYZE")
    scores = SelfScore.objects.filter(assessment__period__in=periods).count()
    print(f"data: {len(periods)} periods, {scores:,} item scores (+ as many appraisals)")
    time_recompute(periods)  # warm-up
    time_floor()
    recompute = [time_recompute(periods) for _ in range(args.runs)]
    floors = [time_floor()[0] for _ in range(args.runs)]
    ratio = statistics.median(recompute) / statistics.median(floors)
    print(f"recompute: median {statistics.median(recompute):.2f} s, min {min(recompute):.2f} s")
    print(f"SQL floor: median {statistics.median(floors):.2f} s, min {min(floors):.2f} s")
    print(f"ratio: {ratio:.2f} x the floor (goal <= 3)")
    stored = ComputedResult.objects.filter(period__in=periods).count()
    print(f"stored results: {stored:,}")


if __name__ == "__main__":
    main()
