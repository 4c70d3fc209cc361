"""Time GET /api/v1/rankings/ for one evaluating body with 130 units, on PostgreSQL.

Creates (or reuses) a benchmark body "bench-national" with 130 units in two groups and
published results (8 field results each) for two years, then asks for the later year's
rankings — which include the change against the earlier year — once to warm up and 5 times
timed, through django.test.Client as a logged-in body administrator.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
        .venv/bin/python benchmarks/bench_rankings_api.py [--runs 5] [--cleanup]

`make bench` creates and migrates that database first. Goal: median under 150 ms.
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
    sys.exit("bench_rankings_api: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

import django  # noqa: E402

# WhiteNoise warns that STATIC_ROOT is missing until collectstatic has run; irrelevant to an API.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from reports.models import PublishedFieldResult, PublishedResult  # noqa: E402
from scoring import services  # noqa: E402
from scoring.models import EvaluatingBody, Role, RoleAssignment, Unit, User  # noqa: E402

BODY_CODE = "bench-national"
USERNAME = "bench-admin"
YEARS = (2023, 2024)
UNITS = 130
DEPARTMENTS = 22  # the rest are communes
# Field maxima of a 100-point scale with 8 fields; survey points are a share of each.
FIELD_MAXIMA = (
    Decimal(10),
    Decimal(12),
    Decimal(15),
    Decimal(14),
    Decimal(12),
    Decimal(13),
    Decimal(12),
    Decimal(12),
)
CENT = Decimal("0.01")


@transaction.atomic
def dataset_get_or_create() -> tuple[EvaluatingBody, User]:
    """Return the benchmark body and its administrator, creating the data on first use."""
    body = services.body_get_or_create(code=BODY_CODE, name="UBND tỉnh Benchmark")
    user, created = User.objects.get_or_create(username=USERNAME)
    if created:
        user.set_unusable_password()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, body=body, role=Role.BODY_ADMIN, unit=None)
    if Unit.objects.filter(body=body).count() == UNITS:
        return body, user

    departments, _ = services.unit_group_get_or_create(body=body, name="Sở, ban, ngành", code="so-ban-nganh")
    communes, _ = services.unit_group_get_or_create(body=body, name="UBND cấp xã", code="xa-phuong")
    units = Unit.objects.bulk_create(
        Unit(
            body=body,
            code=f"don-vi-{n:03d}",
            name=f"Đơn vị {n:03d}",
            group=departments if n <= DEPARTMENTS else communes,
        )
        for n in range(1, UNITS + 1)
    )
    rng = random.Random(2026)
    for year in YEARS:
        period, _ = services.period_get_or_create(body=body, year=year)
        results = []
        field_rows = []
        for unit in units:
            fields = [
                (maximum * Decimal(rng.randint(55, 100)) / 100).quantize(CENT) for maximum in FIELD_MAXIMA
            ]
            total = sum(fields, Decimal(0))
            survey = (total * Decimal("0.2")).quantize(CENT)
            result = PublishedResult(
                period=period,
                unit=unit,
                unit_group=unit.group,
                appraisal_points=total - survey,
                survey_points=survey,
                max_points=sum(FIELD_MAXIMA, Decimal(0)),
            )
            results.append(result)
            field_rows.append(fields)
        PublishedResult.objects.bulk_create(results)
        PublishedFieldResult.objects.bulk_create(
            PublishedFieldResult(result=result, field_code=str(n), points=points, max_points=maximum)
            for result, fields in zip(results, field_rows, strict=True)
            for n, (points, maximum) in enumerate(zip(fields, FIELD_MAXIMA, strict=True), start=1)
        )
    return body, user


@transaction.atomic
def dataset_delete() -> None:
    body = EvaluatingBody.objects.filter(code=BODY_CODE).first()
    if body is None:
        return
    # Results protect their units and groups, so they go first.
    PublishedResult.objects.filter(period__body=body).delete()
    Unit.objects.filter(body=body).delete()
    body.delete()  # cascades to periods, bands, groups and role assignments
    User.objects.filter(username=USERNAME).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cleanup", action="store_true", help="delete the benchmark data and exit")
    args = parser.parse_args()
    if args.cleanup:
        dataset_delete()
        print("rankings API: benchmark data deleted")
        return

    body, user = dataset_get_or_create()
    client = Client(SERVER_NAME="localhost")  # a host that ALLOWED_HOSTS accepts by default
    client.force_login(user)
    url = reverse("rankings-api")
    params = {"year": YEARS[-1], "body": body.code}

    def fetch() -> float:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"rankings API: {response.status_code} {response.content[:300]!r}")
        rows = response.json()["results"]
        if len(rows) != UNITS:
            sys.exit(f"rankings API: {len(rows)} rows, expected {UNITS}")
        return elapsed

    fetch()  # warm-up: URL resolver, serializer classes, connection
    timings = [fetch() for _ in range(args.runs)]
    for run, seconds in enumerate(timings, start=1):
        print(f"  run {run}: {seconds * 1000:.1f} ms")
    print(
        f"rankings API: {UNITS} units, year {YEARS[-1]} vs {YEARS[0]}: median "
        f"{statistics.median(timings) * 1000:.1f} ms, min {min(timings) * 1000:.1f} ms (goal < 150 ms)"
    )


if __name__ == "__main__":
    main()
