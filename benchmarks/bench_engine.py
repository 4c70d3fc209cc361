"""Time the pure scoring engine on a synthetic national data set.

34 evaluating bodies (the provinces after the 2025 merger) x 130 units x 100 scored items
= 442,000 ItemScore, pushed per body through calc.unit_totals_from_items, calc.rank_units and
calc.summarize_groups, as a national recomputation would. Building the inputs is not timed.

    .venv/bin/python benchmarks/bench_engine.py [--runs 5] [--bodies 34] [--units 130] [--items 100]

Goal: under 2 s for the national set.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import calc  # noqa: E402

# Items per field for 100 items; survey items sit at the end of each field, as in a criteria set.
FIELD_SIZES = (10, 12, 15, 14, 12, 13, 12, 12)
MAXIMA = (Decimal("0.50"), Decimal("1.00"), Decimal("1.50"))
QUARTER = Decimal("0.25")


def make_items(*, rng: random.Random, items: int) -> tuple[calc.ItemScore, ...]:
    """Return one unit's scored items: 8 fields, about a fifth by survey, ~2% not applicable."""
    sizes = [round(size * items / 100) for size in FIELD_SIZES]
    result = []
    for field_number, size in enumerate(sizes, start=1):
        for n in range(size):
            maximum = MAXIMA[n % len(MAXIMA)]
            steps = int(maximum / QUARTER)
            result.append(
                calc.ItemScore(
                    code=f"{field_number}.{n // 3 + 1}.{n % 3 + 1}",
                    field_code=str(field_number),
                    criterion_code=f"{field_number}.{n // 3 + 1}",
                    method=calc.METHOD_SURVEY if n >= size - size // 5 else calc.METHOD_APPRAISAL,
                    max_points=maximum,
                    points=QUARTER * rng.randint(steps // 2, steps),
                    applicable=rng.random() >= 0.02,
                )
            )
    return tuple(result)


def make_dataset(*, bodies: int, units: int, items: int, seed: int = 2026) -> list[list[calc.UnitItems]]:
    """Return, per body, its units' items: a sixth are departments, the rest communes."""
    rng = random.Random(seed)
    departments = units // 6
    dataset = []
    unit_id = 0
    for _ in range(bodies):
        body_units = []
        for n in range(units):
            unit_id += 1
            group = "so-ban-nganh" if n < departments else "xa-phuong"
            body_units.append(
                calc.UnitItems(unit_id=unit_id, group=group, items=make_items(rng=rng, items=items))
            )
        dataset.append(body_units)
    return dataset


def recompute(dataset: list[list[calc.UnitItems]]) -> int:
    """Return the number of ranked units after running the whole engine over every body."""
    ranked_count = 0
    for body_units in dataset:
        totals = [calc.unit_totals_from_items(unit) for unit in body_units]
        ranked = calc.rank_units(totals, calc.LAI_CHAU_BANDS)
        calc.summarize_groups(ranked, calc.LAI_CHAU_BANDS)
        ranked_count += len(ranked)
    return ranked_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bodies", type=int, default=34)
    parser.add_argument("--units", type=int, default=130)
    parser.add_argument("--items", type=int, default=100)
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = make_dataset(bodies=args.bodies, units=args.units, items=args.items)
    item_count = sum(len(unit.items) for body_units in dataset for unit in body_units)
    print(
        f"engine: {args.bodies} bodies x {args.units} units, {item_count:,} ItemScore "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )

    timings = []
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        ranked = recompute(dataset)
        timings.append(time.perf_counter() - started)
        print(f"  run {run}: {timings[-1]:.3f} s ({ranked} units ranked)")
    print(f"engine: median {statistics.median(timings):.3f} s, min {min(timings):.3f} s (goal < 2 s)")


if __name__ == "__main__":
    main()
