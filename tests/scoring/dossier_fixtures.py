"""A unit's dossier and its deadline, shared by the self-assessment and evidence service tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scoring.models import Role
from tests.scoring.assessment_helpers import appraisal_items, assessment_for
from tests.scoring.factories import RoleAssignmentFactory, UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime(2027, 1, 15, 17, 0, tzinfo=HCM)
BEFORE = datetime(2027, 1, 10, 9, 0, tzinfo=HCM)
AFTER = datetime(2027, 1, 16, 9, 0, tzinfo=HCM)


@pytest.fixture
def assessment(unit):
    return assessment_for(unit=unit)


@pytest.fixture
def item(assessment):
    return appraisal_items(assessment.criteria_set)[0]


@pytest.fixture
def with_deadline(assessment):
    assessment.period.self_assessment_deadline = DEADLINE
    assessment.period.save()
    return assessment


@pytest.fixture
def other_officer(body, other_unit):
    user = UserFactory(username="canbo-stp")
    RoleAssignmentFactory(user=user, body=body, role=Role.UNIT_OFFICER, unit=other_unit)
    return user
