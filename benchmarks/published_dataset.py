"""Synthetic published results for the benchmarks: one body, N units in two groups, two years, 8 fields each.

Imported by the benchmark scripts after django.setup(); the data is kept between runs (created once per body
code and size) and deleted with `published_body_delete`.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from reports.models import PublishedFieldResult, PublishedResult
from scoring.evaluation import services
from scoring.models import EvaluatingBody, Role, RoleAssignment, Unit, User

# Field maxima of a 100-point scale with 8 fields; survey points are a share of each.
FIELD_MAXIMA = tuple(Decimal(m) for m in (10, 12, 15, 14, 12, 13, 12, 12))
CENT = Decimal("0.01")


@transaction.atomic
def published_body_get_or_create(
    *, code: str, username: str, units: int, departments: int, years: tuple[int, ...]
) -> tuple[EvaluatingBody, User]:
    """Return the benchmark body and its administrator, creating units and published results on first use."""
    body = services.body_get_or_create(code=code, name="UBND tỉnh Benchmark")
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, body=body, role=Role.BODY_ADMIN, unit=None)
    if Unit.objects.filter(body=body).count() == units:
        return body, user

    group_departments, _ = services.unit_group_get_or_create(
        body=body, name="Sở, ban, ngành", code="so-ban-nganh"
    )
    group_communes, _ = services.unit_group_get_or_create(body=body, name="UBND cấp xã", code="xa-phuong")
    created_units = Unit.objects.bulk_create(
        Unit(
            body=body,
            code=f"don-vi-{n:04d}",
            name=f"Đơn vị số {n:04d} — Ủy ban nhân dân",
            group=group_departments if n <= departments else group_communes,
        )
        for n in range(1, units + 1)
    )
    rng = random.Random(2026)
    for year in years:
        period, _ = services.period_get_or_create(body=body, year=year)
        results = []
        field_rows = []
        for unit in created_units:
            fields = [
                (maximum * Decimal(rng.randint(55, 100)) / 100).quantize(CENT) for maximum in FIELD_MAXIMA
            ]
            total = sum(fields, Decimal(0))
            survey = (total * Decimal("0.2")).quantize(CENT)
            results.append(
                PublishedResult(
                    period=period,
                    unit=unit,
                    unit_group=unit.group,
                    appraisal_points=total - survey,
                    survey_points=survey,
                    max_points=sum(FIELD_MAXIMA, Decimal(0)),
                )
            )
            field_rows.append(fields)
        PublishedResult.objects.bulk_create(results, batch_size=2000)
        PublishedFieldResult.objects.bulk_create(
            (
                PublishedFieldResult(result=result, field_code=str(n), points=points, max_points=maximum)
                for result, fields in zip(results, field_rows, strict=True)
                for n, (points, maximum) in enumerate(zip(fields, FIELD_MAXIMA, strict=True), start=1)
            ),
            batch_size=5000,
        )
    return body, user


@transaction.atomic
def published_body_delete(*, code: str, username: str) -> None:
    body = EvaluatingBody.objects.filter(code=code).first()
    if body is not None:
        # Results protect their units and groups, so they go first.
        PublishedResult.objects.filter(period__body=body).delete()
        Unit.objects.filter(body=body).delete()
        body.delete()  # cascades to periods, bands, groups and role assignments
    User.objects.filter(username=username).delete()
