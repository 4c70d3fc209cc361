"""Time the report renderers on PostgreSQL: the annual report of 30 units, and the rankings Excel of 4,400 units.

- annual report: `reports.annual.render.annual_report_render` (data from the database + rendering) for a body
  with 30 units (two groups, 8 fields, published results for two years), as PDF and as Excel;
- rankings Excel: `reports.render.xlsx.rankings_workbook` over the ranking table of a body with 4,400 units
  (the size of a merged province's communes and departments), with the peak Python memory of rendering.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
        .venv/bin/python benchmarks/bench_reports.py [--runs 3] [--cleanup]

Goals: annual PDF < 15 s, annual Excel < 3 s, rankings Excel of 4,400 units < 5 s with bounded memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench_reports: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.utils import translation  # noqa: E402

from benchmarks.published_dataset import published_body_delete, published_body_get_or_create  # noqa: E402
from reports.annual.render import annual_report_render  # noqa: E402
from reports.rankings.selectors import ranking_table  # noqa: E402
from reports.render.xlsx import rankings_workbook  # noqa: E402

YEARS = (2024, 2025)
ANNUAL = {"code": "bench-annual", "username": "bench-annual-admin", "units": 30, "departments": 18}
LARGE = {"code": "bench-4400", "username": "bench-4400-admin", "units": 4400, "departments": 40}


def _timed(function, runs: int) -> list[float]:
    function()  # warm-up: templates, fonts, imports
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def _line(label: str, timings: list[float], goal: str) -> None:
    print(f"{label}: median {statistics.median(timings):.2f} s, min {min(timings):.2f} s (goal {goal})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cleanup", action="store_true", help="delete the benchmark data and stop")
    args = parser.parse_args()
    if args.cleanup:
        published_body_delete(code=ANNUAL["code"], username=ANNUAL["username"])
        published_body_delete(code=LARGE["code"], username=LARGE["username"])
        return
    translation.activate("vi")

    body, _ = published_body_get_or_create(years=YEARS, **ANNUAL)
    pdf = _timed(lambda: annual_report_render(body=body, year=YEARS[-1], format="pdf"), args.runs)
    xlsx = _timed(lambda: annual_report_render(body=body, year=YEARS[-1], format="xlsx"), args.runs)
    size = len(annual_report_render(body=body, year=YEARS[-1], format="pdf").content)
    _line(f"annual report, {ANNUAL['units']} units, PDF ({size // 1024} KB)", pdf, "< 15 s")
    _line(f"annual report, {ANNUAL['units']} units, Excel", xlsx, "< 3 s")

    large, _ = published_body_get_or_create(years=YEARS, **LARGE)
    table = ranking_table(body=large, year=YEARS[-1])
    query = _timed(lambda: ranking_table(body=large, year=YEARS[-1]), args.runs)
    render = _timed(lambda: rankings_workbook(table=table), args.runs)
    tracemalloc.start()
    content = rankings_workbook(table=table)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _line(f"rankings table of {len(table.rows):,} units from the database", query, "—")
    _line(f"rankings Excel of {len(table.rows):,} units ({len(content) // 1024} KB)", render, "< 5 s")
    print(f"rankings Excel: peak Python memory while rendering {peak / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
