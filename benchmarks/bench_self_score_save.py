"""Time saving one item of a self-assessment (the htmx autosave) and the scoring page, on PostgreSQL.

Creates (or reuses) a body "bench-self" with a 100-item criteria set and one unit whose officer
saves items through django.test.Client exactly as the page does (POST to assessment:item_save with
the stored version), then renders the whole scoring page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
        .venv/bin/python benchmarks/bench_self_score_save.py [--saves 200] [--pages 20] [--cleanup]

Goal (issue 3): saving one item p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("bench_self_score_save: set DATABASE_URL to a PostgreSQL database (see `make bench`)")

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at", UserWarning)
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from scoring.assessment import services as assessment_services  # noqa: E402
from scoring.evaluation import services  # noqa: E402
from scoring.models import (  # noqa: E402
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Level,
    Method,
    Role,
    RoleAssignment,
    SelfScore,
    Unit,
    User,
)

BODY_CODE = "bench-self"
USERNAME = "bench-officer"
YEAR = 2026


def _criteria_set(period, group) -> CriteriaSet:
    criteria_set, created = CriteriaSet.objects.get_or_create(
        period=period, unit_group=group, defaults={"name": "Bộ tiêu chí đo hiệu năng"}
    )
    if not created:
        return criteria_set
    order = 0
    # 8 fields x 5 criteria x 2-3 sub-criteria = 100 scored items, like a real set.
    for f in range(1, 9):
        order += 1
        field = CriteriaItem.objects.create(
            criteria_set=criteria_set,
            level=Level.FIELD,
            code=str(f),
            name=f"Lĩnh vực {f}",
            max_points=0,
            order=order,
        )
        field_max = Decimal(0)
        for c in range(1, 6):
            order += 1
            criterion = CriteriaItem.objects.create(
                criteria_set=criteria_set,
                parent=field,
                level=Level.CRITERION,
                code=f"{f}.{c}",
                name=f"Tiêu chí {f}.{c}",
                max_points=0,
                order=order,
            )
            subs = 3 if (f + c) % 2 == 0 and f * 5 + c < 60 else 2
            for s in range(1, subs + 1):
                order += 1
                CriteriaItem.objects.create(
                    criteria_set=criteria_set,
                    parent=criterion,
                    level=Level.SUB_CRITERION,
                    code=f"{f}.{c}.{s}",
                    name=f"Tiêu chí thành phần {f}.{c}.{s}",
                    guidance="Hoàn thành 100%: tối đa; từ 80% đến dưới 100%: một nửa; dưới 80%: 0 điểm.",
                    max_points=Decimal(1),
                    step="0.25",
                    method=Method.APPRAISAL,
                    order=order,
                )
            criterion.max_points = Decimal(subs)
            criterion.save(update_fields=["max_points"])
            field_max += subs
        field.max_points = field_max
        field.save(update_fields=["max_points"])
    return criteria_set


def setup():
    body = services.body_get_or_create(code=BODY_CODE, name="UBND tỉnh Đo hiệu năng")
    group, _ = services.unit_group_get_or_create(body=body, name="Sở, ban, ngành")
    period, _ = services.period_get_or_create(body=body, year=YEAR)
    period.self_assessment_deadline = timezone.now() + timedelta(days=30)
    period.save(update_fields=["self_assessment_deadline"])
    _criteria_set(period, group)
    unit, _ = Unit.objects.get_or_create(body=body, code="so-do", defaults={"name": "Sở Đo", "group": group})
    user, created = User.objects.get_or_create(username=USERNAME)
    if created:
        user.set_password("bench")
        user.save()
    RoleAssignment.objects.get_or_create(user=user, body=body, role=Role.UNIT_OFFICER, unit=unit)
    assessment = assessment_services.assessment_get_or_create(period=period, unit=unit)
    return user, assessment


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    if args.cleanup:
        EvaluatingBody.objects.filter(code=BODY_CODE).delete()
        print("removed the benchmark body")
        return

    user, assessment = setup()
    items = list(CriteriaItem.objects.scored().filter(criteria_set=assessment.criteria_set).order_by("order"))
    client = Client(SERVER_NAME="localhost")  # a host that ALLOWED_HOSTS accepts by default
    client.force_login(user)
    headers = {"HX-Request": "true"}

    save_ms: list[float] = []
    for n in range(args.saves + 5):
        item = items[n % len(items)]
        stored = (
            SelfScore.objects.filter(assessment=assessment, item=item)
            .values_list("version", flat=True)
            .first()
        )
        data = {
            "points": ["1", "0,75", "0,5"][n % 3],
            "justification": f"Lần lưu {n}",
            "no_evidence_reason": "",
            "version": stored or 0,
        }
        url = reverse("assessment:item_save", args=[assessment.pk, item.pk])
        started = time.perf_counter()
        response = client.post(url, data, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (response.status_code, response.content[:300])
        if n >= 5:  # the first few warm caches and connections
            save_ms.append(elapsed)

    page_ms: list[float] = []
    sheet = reverse("assessment:sheet", args=[assessment.pk])
    client.get(sheet)
    for _ in range(args.pages):
        started = time.perf_counter()
        response = client.get(sheet)
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

    print(f"items in the set: {len(items)}")
    print(
        f"save one item ({len(save_ms)} saves): median {statistics.median(save_ms):.1f} ms, "
        f"p95 {percentile(save_ms, 0.95):.1f} ms (goal p95 < 50 ms)"
    )
    print(f"scoring page ({len(page_ms)} loads): median {statistics.median(page_ms):.1f} ms")


if __name__ == "__main__":
    main()
