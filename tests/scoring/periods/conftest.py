"""A body with last year's setup complete, and a builder that makes any period ready to open."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from appraisal.models import AppraiserAssignment
from scoring.models import NotApplicableItem, Period, PeriodStatus, Role
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitFactory, UserFactory

LAST_YEAR = 2025
YEAR = 2026


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def make_ready(period: Period, *, units, appraiser) -> None:
    """Give the period everything the checklist asks for (the criteria set must exist already)."""
    period.starts_on = date(period.year, 1, 2)
    period.self_assessment_deadline = aware(period.year, 2, 1, 17)
    period.explanation_deadline = aware(period.year, 3, 1, 17)
    period.round2_deadline = aware(period.year, 4, 1, 17)
    period.council_deadline = aware(period.year, 5, 1, 17)
    period.save()
    for unit in units:
        AppraiserAssignment.objects.get_or_create(period=period, appraiser=appraiser, unit=unit)


def staff_unit(body, unit) -> None:
    for role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        RoleAssignmentFactory(user=UserFactory(), body=body, role=role, unit=unit)


@pytest.fixture
def last_year(body, departments, unit, appraiser):
    """Return last year's open period: criteria set with a period-wide exemption, bands, an assignment."""
    period = PeriodFactory(
        body=body,
        year=LAST_YEAR,
        status=PeriodStatus.OPEN,
        bands=[
            ("xuat_sac", "Xuất sắc", "90"),
            ("tot", "Tốt", "75"),
            ("yeu", "Yếu", "0"),
        ],
    )
    criteria_set = build_criteria_set(period=period, unit_group=departments)
    NotApplicableItem.objects.create(item=criteria_set.items.get(code="1.1.1"), reason="Không điều tra DDCI")
    staff_unit(body, unit)
    AppraiserAssignment.objects.create(period=period, appraiser=appraiser, unit=unit)
    AppraiserAssignment.objects.create(period=period, appraiser=appraiser, field_code="2")
    return period


@pytest.fixture
def more_units(body, departments):
    def make(n: int):
        units = [UnitFactory(body=body, group=departments) for _ in range(n)]
        for u in units:
            staff_unit(body, u)
        return units

    return make


POINTS = Decimal("1.00")
