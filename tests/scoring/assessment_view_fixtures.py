"""Fixtures and helpers of the self-assessment page tests (imported by the test modules that use them)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, CriteriaItem, Method, Role, SelfScore
from tests.scoring.assessment_helpers import assessment_for, build_criteria_set, leaf_items
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}
YEAR = 2026


@pytest.fixture(name="period")
def period_fixture(body):
    period = PeriodFactory(body=body, year=YEAR)
    period.self_assessment_deadline = timezone.now() + timedelta(days=10)
    period.save()
    return period


@pytest.fixture(name="criteria_set")
def criteria_set_fixture(period, departments):
    # 2 fields × 2 criteria × 2 sub-criteria; every 4th leaf (1.2.2, 2.2.2) is a survey item.
    return build_criteria_set(period=period, unit_group=departments, survey_every=4)


@pytest.fixture(name="assessment")
def assessment_fixture(unit, criteria_set) -> Assessment:
    return assessment_for(unit=unit, criteria_set=criteria_set)


@pytest.fixture(name="other_assessment")
def other_assessment_fixture(other_unit, criteria_set) -> Assessment:
    return assessment_for(unit=other_unit, criteria_set=criteria_set)


@pytest.fixture(name="other_officer")
def other_officer_fixture(body, other_unit):
    """Return an officer of the other unit (Sở Tư pháp): a neighbour who must see nothing of Sở Nội vụ."""
    user = UserFactory(username="canbo-stp")
    RoleAssignmentFactory(user=user, body=body, role=Role.UNIT_OFFICER, unit=other_unit)
    return user


@pytest.fixture(name="item")
def item_fixture(criteria_set) -> CriteriaItem:
    return leaf_items(criteria_set)[0]


@pytest.fixture(name="survey_item")
def survey_item_fixture(criteria_set) -> CriteriaItem:
    return next(i for i in leaf_items(criteria_set) if i.method == Method.SURVEY)


def sheet_url(assessment: Assessment) -> str:
    return reverse("assessment:sheet", args=[assessment.pk])


def save_url(assessment: Assessment, item: CriteriaItem) -> str:
    return reverse("assessment:item_save", args=[assessment.pk, item.pk])


def score_data(points: str, *, version: int = 0, justification: str = "Đã ban hành kế hoạch") -> dict:
    return {"points": points, "justification": justification, "no_evidence_reason": "", "version": version}


def stored_points(assessment: Assessment, item: CriteriaItem) -> Decimal | None:
    row = SelfScore.objects.filter(assessment=assessment, item=item).first()
    return row.points if row else None
