"""Lai Châu's published 2020 department results, copied from the reference table, and builders.

Source: results of the 2020 PAR INDEX of Lai Châu's departments, approved by the appraisal
council on 13/04/2021 (points as published, rounded to 2 places; scale 98 for the full set
because the 2-point DDCI survey item was not run).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reports.models import PublishedResult
from scoring.evaluation.services import code_from_name
from scoring.models import EvaluatingBody, Period, Unit, UnitGroup
from tests.scoring.factories import PeriodFactory, UnitFactory, UnitGroupFactory

FULL_SCALE = ("full_scale", "Sở, ban, ngành (thang điểm 98)")
REDUCED_SCALE = ("reduced_scale", "Sở, ban, ngành (thang điểm dưới 98)")


@dataclass(frozen=True)
class PublishedRow:
    group: str
    order: int
    unit_name: str
    appraisal_points: Decimal
    survey_points: Decimal
    total_points: Decimal
    max_points: Decimal
    index_pct: Decimal
    classification: str


def _row(group, order, name, appraisal, survey, total, scale, index, classification) -> PublishedRow:
    return PublishedRow(
        group, order, name, Decimal(appraisal), Decimal(survey), Decimal(total), Decimal(scale),
        Decimal(index), classification,
    )  # fmt: skip


# group, published order, unit, appraisal, survey, total, scale, index %, classification
# fmt: off
LAI_CHAU_2020: tuple[PublishedRow, ...] = (
    _row("full_scale", 1, "Sở Nội vụ", "62.30", "23.37", "85.67", "98", "87.42", "Tốt"),
    _row("full_scale", 2, "Sở Tư pháp", "61.76", "23.03", "84.79", "98", "86.52", "Tốt"),
    _row("full_scale", 3, "Sở Kế hoạch và Đầu tư", "62.64", "21.70", "84.34", "98", "86.06", "Tốt"),
    _row("full_scale", 4, "Sở Giáo dục và Đào tạo", "61.25", "22.70", "83.95", "98", "85.66", "Tốt"),
    _row("full_scale", 5, "Sở Khoa học và Công nghệ", "60.89", "23.06", "83.95", "98", "85.66", "Tốt"),
    _row("full_scale", 6, "Sở Giao thông vận tải", "62.20", "21.08", "83.28", "98", "84.98", "Tốt"),
    _row("full_scale", 7, "Sở Công thương", "61.46", "21.56", "83.02", "98", "84.71", "Tốt"),
    _row("full_scale", 8, "Sở Tài nguyên và Môi trường", "60.06", "22.33", "82.39", "98", "84.07", "Tốt"),
    _row("full_scale", 9, "Sở Xây dựng", "58.31", "22.28", "80.59", "98", "82.23", "Tốt"),
    _row("full_scale", 10, "Sở Thông tin và Truyền thông", "58.47", "21.84", "80.31", "98", "81.95", "Tốt"),
    _row("full_scale", 11, "Sở Văn hóa, Thể thao và Du lịch", "59.52", "20.75", "80.27", "98", "81.91", "Tốt"),
    _row("full_scale", 12, "Sở Lao động, Thương binh và Xã hội", "57.81", "21.38", "79.19", "98", "80.81", "Tốt"),
    _row("full_scale", 13, "Sở Tài chính", "54.52", "20.88", "75.40", "98", "76.94", "Khá"),
    _row("full_scale", 14, "Sở Nông nghiệp và Phát triển nông thôn", "54.79", "20.52", "75.31", "98", "76.85", "Khá"),
    _row("full_scale", 15, "Sở Y tế", "51.57", "21.25", "72.82", "98", "74.31", "Khá"),
    _row("reduced_scale", 1, "Sở Ngoại vụ", "52.36", "15.57", "67.93", "78.50", "86.53", "Tốt"),
)
# fmt: on


def lai_chau_groups(*, body: EvaluatingBody) -> dict[str, UnitGroup]:
    """Return the two 2020 scale groups of the body, created on first use."""
    groups = {}
    for order, (code, name) in enumerate((FULL_SCALE, REDUCED_SCALE), start=1):
        group = UnitGroup.objects.filter(body=body, code=code).first()
        groups[code] = group or UnitGroupFactory(body=body, code=code, name=name, order=order)
    return groups


def lai_chau_2020_create(*, body: EvaluatingBody) -> Period:
    """Return the 2020 period with the 16 published department results of Lai Châu."""
    groups = lai_chau_groups(body=body)
    period = PeriodFactory(body=body, year=2020, publication_decision="Quyết định 701/QĐ-UBND")
    for row in LAI_CHAU_2020:
        code = code_from_name(row.unit_name)
        unit = Unit.objects.filter(body=body, code=code).first() or UnitFactory(
            body=body, group=groups[row.group], code=code, name=row.unit_name
        )
        PublishedResult.objects.create(
            period=period,
            unit=unit,
            unit_group=groups[row.group],
            appraisal_points=row.appraisal_points,
            survey_points=row.survey_points,
            max_points=row.max_points,
        )
    return period


def results_create(
    *, period: Period, group: UnitGroup, count: int, prefix: str = "don-vi", scale: str = "100"
) -> list[Unit]:
    """Return `count` new units of the group, each with a published result in the period."""
    units = []
    for n in range(count):
        unit = UnitFactory(body=period.body, group=group, code=f"{prefix}-{n}", name=f"Đơn vị {prefix} {n}")
        PublishedResult.objects.create(
            period=period,
            unit=unit,
            unit_group=group,
            appraisal_points=Decimal(50) + Decimal(n % 20),
            survey_points=Decimal(20) + Decimal(n % 7) / 4,
            max_points=Decimal(scale),
        )
        units.append(unit)
    return units
