"""Time importing 100,000 ballots × 30 answers from Excel, and recomputing their survey points, on PostgreSQL.

Creates (or reuses) a body "bench-survey" with 50 districts, a criteria set of 30 survey items and two
ballot forms of 30 questions (plans of 1,000 ballots per form and district, so none is over quota),
writes the ballot file to /tmp with openpyxl write_only (in a child process, so that its memory is not
counted), removes the ballots of an earlier run, then imports the file with surveys.ballot_import.services and
recomputes the points with surveys.points.selectors.survey_item_points.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
        .venv/bin/python benchmarks/bench_survey.py [--ballots 100000] [--cleanup]

Goals (issue 5): import < 60 s and < 1 GB peak memory; recomputing the points < 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")

BODY_CODE = "bench-survey"
YEAR = 2026
UNITS = 50
QUESTIONS = 30
FORMS = ("M1", "M2")
UNIT_CODES = [f"huyen-{n:02d}" for n in range(1, UNITS + 1)]


def generate(path: Path, ballots: int) -> None:
    """Write the ballot file with openpyxl write_only (needs no database)."""
    from openpyxl import Workbook

    rng = random.Random(5)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phieu")
    sheet.append(
        ["ballot_number", "form_code", "unit_code", "gioi_tinh", *(f"C{n}" for n in range(1, QUESTIONS + 1))]
    )
    options = "AAABBBCCD"
    for n in range(ballots):
        form = FORMS[n % len(FORMS)]
        unit = UNIT_CODES[(n // len(FORMS)) % UNITS]
        answers = [rng.choice(options) for _ in range(QUESTIONS)]
        sheet.append([f"{n + 1:06d}", form, unit, "Nam" if n % 3 else "Nữ", *answers])
    workbook.save(path)


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _delete_ballots(period_id: int) -> int:
    """Delete a period's ballots in two statements; the ORM's cascade would load 3 million answers first."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM surveys_ballotanswer WHERE ballot_id IN (SELECT id FROM surveys_ballot WHERE period_id = %s)",
            [period_id],
        )
        answers = cursor.rowcount
        cursor.execute("DELETE FROM surveys_ballot WHERE period_id = %s", [period_id])
        return answers + cursor.rowcount


def setup():
    from scoring.evaluation import services
    from scoring.models import CriteriaItem, CriteriaSet, Level, Method, Unit
    from surveys.models import DEFAULT_OPTIONS, AnswerOption, BallotForm, Question, SamplePlan

    body = services.body_get_or_create(code=BODY_CODE, name="UBND tỉnh Đo hiệu năng điều tra")
    group, _ = services.unit_group_get_or_create(body=body, name="UBND cấp huyện")
    period, _ = services.period_get_or_create(body=body, year=YEAR)
    units = []
    for code in UNIT_CODES:
        unit, _ = Unit.objects.get_or_create(body=body, code=code, defaults={"name": code, "group": group})
        units.append(unit)
    criteria_set, created = CriteriaSet.objects.get_or_create(
        period=period, unit_group=group, defaults={"name": "Bộ tiêu chí đo hiệu năng điều tra"}
    )
    if created:
        order = 0
        leaves = []
        # 3 fields × 2 criteria × 5 sub-criteria = 30 survey items of 1 point each.
        for f in range(1, 4):
            order += 1
            field = CriteriaItem.objects.create(
                criteria_set=criteria_set,
                level=Level.FIELD,
                code=str(f),
                name=f"Lĩnh vực {f}",
                max_points=10,
                order=order,
            )
            for c in range(1, 3):
                order += 1
                criterion = CriteriaItem.objects.create(
                    criteria_set=criteria_set,
                    parent=field,
                    level=Level.CRITERION,
                    code=f"{f}.{c}",
                    name=f"Tiêu chí {f}.{c}",
                    max_points=5,
                    order=order,
                )
                for s in range(1, 6):
                    order += 1
                    leaves.append(
                        CriteriaItem.objects.create(
                            criteria_set=criteria_set,
                            parent=criterion,
                            level=Level.SUB_CRITERION,
                            code=f"{f}.{c}.{s}",
                            name=f"Tiêu chí thành phần {f}.{c}.{s}",
                            max_points=Decimal(1),
                            step="0.25",
                            method=Method.SURVEY,
                            order=order,
                        )
                    )
        for order, code in enumerate(FORMS, start=1):
            form = BallotForm.objects.create(
                period=period,
                code=code,
                name=f"Phiếu {code}",
                respondent_group="Lãnh đạo các sở, ban, ngành",
                target_group=group,
                order=order,
            )
            for number, item in enumerate(leaves, start=1):
                question = Question.objects.create(
                    form=form, number=number, text=item.name, item=item, order=number
                )
                AnswerOption.objects.bulk_create(
                    AnswerOption(question=question, code=c, label=label, share=share)
                    for c, label, share in DEFAULT_OPTIONS
                )
            SamplePlan.objects.bulk_create(SamplePlan(form=form, unit=u, issued=1000) for u in units)
    return period


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--cleanup", action="store_true")
    parser.add_argument("--generate", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate), args.ballots)
        return
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench_survey: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.db import connection

    from scoring.models import EvaluatingBody
    from surveys.ballot_import.services import ballots_import

    path = Path(f"/tmp/parindex-bench-ballots-{args.ballots}.xlsx")
    if args.cleanup:
        body = EvaluatingBody.objects.filter(code=BODY_CODE).first()
        if body is not None:
            for period_id in body.periods.values_list("id", flat=True):
                _delete_ballots(period_id)
            body.delete()
        path.unlink(missing_ok=True)
        print("removed the benchmark body and file")
        return

    if not path.exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--generate", str(path), "--ballots", str(args.ballots)], check=True
        )
        print(
            f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
    period = setup()
    removed = _delete_ballots(period.pk)
    if removed:
        print(f"removed {removed} rows of an earlier run")
        # The dead rows of the earlier run would otherwise slow this run's index inserts.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_ballotanswer, surveys_ballot")

    before = _peak_mb()
    content = path.read_bytes()
    started = time.perf_counter()
    summary = ballots_import(period=period, content=content, filename=path.name, actor=None)
    elapsed = time.perf_counter() - started
    print(
        f"import: {summary.created} ballots created ({summary.accepted} accepted) in {elapsed:.1f} s (goal < 60 s)"
    )
    print(f"peak memory (ru_maxrss): {_peak_mb():.0f} MB, {before:.0f} MB before the import (goal < 1024 MB)")

    try:
        from surveys.points.selectors import survey_item_points
    except ImportError:
        print("survey_item_points: not available yet, recompute skipped")
        return
    survey_item_points(period=period)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        points = survey_item_points(period=period)
        runs.append(time.perf_counter() - started)
    cells = sum(len(v) for v in points.values())
    print(
        f"survey_item_points: {len(points)} units × items = {cells} points, best {min(runs):.2f} s (goal < 5 s)"
    )


if __name__ == "__main__":
    main()
