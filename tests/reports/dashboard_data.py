"""Published (and computed) results with field points, for the dashboard tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from reports.models import ComputedResult, PublishedFieldResult, PublishedResult
from scoring.models import EvaluatingBody, Period, Unit, UnitGroup
from tests.scoring.factories import PeriodFactory, UnitFactory

FIELDS = ("1", "2", "3")
FIELD_MAX = Decimal(10)
# When the draft results were computed: 01:30 UTC is 08:30 in Hà Nội.
COMPUTED_AT = datetime(2021, 3, 5, 1, 30, tzinfo=UTC)


def field_points(n: int, year: int, fields: tuple[str, ...] = FIELDS) -> dict[str, Decimal]:
    """Points (of 10) of the n-th unit's fields in a year: varied, and a little higher each year for even n."""
    shift = Decimal(year - 2019) / 2 if n % 2 == 0 else -Decimal(year - 2019) / 4
    return {code: Decimal(4 + (n + i) % 6) + shift for i, code in enumerate(fields)}


def units_create(*, body: EvaluatingBody, group: UnitGroup, count: int, prefix: str = "dv") -> list[Unit]:
    return [
        UnitFactory(body=body, group=group, code=f"{prefix}-{n}", name=f"Sở thử nghiệm {prefix.upper()} {n}")
        for n in range(count)
    ]


def published_create(
    *, period: Period, group: UnitGroup, units: list[Unit], fields: tuple[str, ...] = FIELDS
) -> None:
    """Publish each unit's result: appraisal points = sum of its fields, survey 15, scale 15 + 10 per field."""
    for n, unit in enumerate(units):
        points = field_points(n, period.year, fields)
        result = PublishedResult.objects.create(
            period=period,
            unit=unit,
            unit_group=group,
            appraisal_points=sum(points.values()),
            survey_points=Decimal(15),
            max_points=Decimal(15) + FIELD_MAX * len(fields),
        )
        PublishedFieldResult.objects.bulk_create(
            PublishedFieldResult(result=result, field_code=code, points=p, max_points=FIELD_MAX)
            for code, p in points.items()
        )


def years_create(
    *,
    body: EvaluatingBody,
    group: UnitGroup,
    count: int,
    prefix: str = "dv",
    fields: tuple[str, ...] = FIELDS,
) -> list[Unit]:
    """Return `count` units of the group with published results in 2019 and 2020."""
    units = units_create(body=body, group=group, count=count, prefix=prefix)
    for year in (2019, 2020):
        period = Period.objects.filter(body=body, year=year).first() or PeriodFactory(body=body, year=year)
        published_create(period=period, group=group, units=units, fields=fields)
    return units


def computed_create(*, body: EvaluatingBody, group: UnitGroup, units: list[Unit], year: int = 2021) -> Period:
    """Return a period of the year whose results were only recomputed (not published)."""
    period = PeriodFactory(body=body, year=year)
    for n, unit in enumerate(units):
        points = field_points(n, year)
        appraisal = sum(points.values())
        ComputedResult.objects.create(
            period=period,
            unit=unit,
            unit_group=group,
            appraisal_points=appraisal,
            survey_points=Decimal(15),
            max_points=Decimal(15) + FIELD_MAX * len(FIELDS),
            index=((appraisal + 15) * 100 / (15 + FIELD_MAX * len(FIELDS))).quantize(Decimal("0.0001")),
            band_code="kha",
            rank=n + 1,
            fields=[[code, f"{p:f}", f"{FIELD_MAX:f}"] for code, p in points.items()],
            computed_at=COMPUTED_AT,
        )
    return period
