"""Who manages a period's assignments, and who may be named in one: appraisal.access, as a matrix."""

import pytest
from django.http import Http404

from appraisal.access import appraisers_of_body, assignment_get, assignment_period_get
from scoring.models import Role
from tests.appraisal.helpers import assign, submitted_assessment
from tests.scoring.factories import RoleAssignmentFactory, UserFactory


@pytest.fixture
def period(unit):
    return submitted_assessment(unit=unit).period


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("body_admin", True),
        ("superuser", True),
        ("outsider", False),
        ("appraiser", False),
        ("council_member", False),
        ("viewer", False),
        ("unit_officer", False),
        ("unit_head", False),
    ],
)
def test_only_the_bodys_admin_manages_the_assignments(request, persona, appraiser, unit, period, allowed):
    if persona == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(persona)
    assignment = assign(appraiser, unit)

    if allowed:
        assert assignment_period_get(user=user, period_id=period.pk) == period
        assert assignment_get(user=user, pk=assignment.pk) == assignment
    else:
        with pytest.raises(Http404):
            assignment_period_get(user=user, period_id=period.pk)
        with pytest.raises(Http404):
            assignment_get(user=user, pk=assignment.pk)


def test_only_active_body_wide_appraisers_of_the_body_may_be_named(
    body, other_body, unit, appraiser, unit_officer
):
    inactive = UserFactory(is_active=False)
    RoleAssignmentFactory(user=inactive, body=body, role=Role.APPRAISER)
    elsewhere = UserFactory()
    RoleAssignmentFactory(user=elsewhere, body=other_body, role=Role.APPRAISER)

    assert list(appraisers_of_body(body.pk)) == [appraiser]
