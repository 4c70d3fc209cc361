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
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
# The API is timed for a body administrator signed in by force_login: no second-factor step in between.
os.environ.setdefault("TWO_FACTOR_REQUIRED_ROLES", "")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench_rankings_api: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

import django  # noqa: E402

# WhiteNoise warns that STATIC_ROOT is missing until collectstatic has run; irrelevant to an API.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.published_dataset import published_body_delete, published_body_get_or_create  # noqa: E402

BODY_CODE = "bench-national"
USERNAME = "bench-admin"
YEARS = (2023, 2024)
UNITS = 130
DEPARTMENTS = 22  # the rest are communes


def dataset_get_or_create():
    return published_body_get_or_create(
        code=BODY_CODE, username=USERNAME, units=UNITS, departments=DEPARTMENTS, years=YEARS
    )


def dataset_delete() -> None:
    published_body_delete(code=BODY_CODE, username=USERNAME)


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
