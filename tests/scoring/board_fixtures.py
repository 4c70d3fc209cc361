"""Fixtures of the progress-board tests: a 2026 period of Lai Châu with units at different stages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scoring.models import Assessment, Evidence, Role, Unit
from scoring.workflow import Status
from tests.scoring.assessment_helpers import assessment_for, build_criteria_set, fill_scores
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime(2026, 12, 15, 17, 0, tzinfo=VN)
BEFORE_DEADLINE = datetime(2026, 12, 1, 9, 0, tzinfo=VN)
AFTER_DEADLINE = datetime(2026, 12, 20, 9, 0, tzinfo=VN)


def board_url(**params: str) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    query = {"body": "lai-chau", "year": "2026", **params}
    return f"{reverse('assessment:board')}?{urlencode(query)}"


def evidence_for(assessment: Assessment, count: int = 1) -> list[Evidence]:
    """Return evidence rows written straight to the database (no file is needed to count them)."""
    return [
        Evidence.objects.create(
            assessment=assessment,
            file=f"evidence/2026/test-{assessment.pk}-{n}.pdf",
            original_name=f"Bao cao {n}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
        )
        for n in range(count)
    ]


def submit_directly(assessment: Assessment, when: datetime = BEFORE_DEADLINE) -> None:
    """Mark the assessment submitted without the service (setup only)."""
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED, submitted_at=when)
    assessment.refresh_from_db()


def person(username: str, body, role: str, unit: Unit | None = None):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, body=body, role=role, unit=unit)
    return user


@pytest.fixture(name="period")
def period_fixture(body, departments):
    period = PeriodFactory(body=body, year=2026, self_assessment_deadline=DEADLINE)
    build_criteria_set(period=period, unit_group=departments)
    return period


@pytest.fixture(name="districts")
def districts_fixture(body):
    from tests.scoring.factories import UnitGroupFactory

    return UnitGroupFactory(body=body, code="huyen", name="UBND huyện, thành phố", order=2)


@pytest.fixture(name="stages")
def stages_fixture(period, body, departments, districts, unit, other_unit):
    """Return units at every stage: half done (unit), submitted (other_unit), not started, district half done."""
    build_criteria_set(period=period, unit_group=districts)
    half = assessment_for(unit=unit, period=period)
    fill_scores(assessment=half, count=4)  # 4 of 8 appraisal leaves
    evidence_for(half, 2)
    Assessment.objects.filter(pk=half.pk).update(last_activity_at=datetime(2026, 11, 20, 10, 30, tzinfo=VN))

    done = assessment_for(unit=other_unit, period=period)
    fill_scores(assessment=done)
    evidence_for(done, 5)
    Assessment.objects.filter(pk=done.pk).update(last_activity_at=datetime(2026, 11, 25, 8, 0, tzinfo=VN))
    submit_directly(done)

    idle = UnitFactory(body=body, group=departments, code="so-tai-chinh", name="Sở Tài chính")
    district = UnitFactory(body=body, group=districts, code="tp-lai-chau", name="Thành phố Lai Châu")
    district_assessment = assessment_for(unit=district, period=period)
    fill_scores(assessment=district_assessment, count=2)
    return {"half": unit, "done": other_unit, "idle": idle, "district": district}


@pytest.fixture(name="unit_people")
def unit_people_fixture(body, stages, unit_officer, unit_head):
    """Return the officers and heads of the 2026 units (e-mail addresses from the factory)."""
    return {
        "half_officer": unit_officer,
        "half_head": unit_head,
        "done_officer": person("canbo-stp", body, Role.UNIT_OFFICER, stages["done"]),
        "idle_officer": person("canbo-stc", body, Role.UNIT_OFFICER, stages["idle"]),
        "district_head": person("chutich-tp", body, Role.UNIT_HEAD, stages["district"]),
    }
