"""scoring.access as a matrix: every persona × every decision on one unit's dossier, as the module's table says."""

import pytest

from scoring.access import (
    may_edit_self_assessment,
    may_grant_extension,
    may_manage_criteria,
    may_submit_self_assessment,
    may_view_assessment,
    released_for,
    roles_for_assessment,
    units_visible_to,
)
from scoring.models import Role
from tests.appraisal.helpers import assign
from tests.scoring.factories import RoleAssignmentFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def assigned_appraiser(body, assessment):
    user = UserFactory(username="tham-dinh-snv")
    RoleAssignmentFactory(user=user, body=body, role=Role.APPRAISER)
    assign(user, assessment.unit, period=assessment.period)
    return user


@pytest.fixture
def field_appraiser(body, assessment):
    user = UserFactory(username="tham-dinh-linh-vuc-1")
    RoleAssignmentFactory(user=user, body=body, role=Role.APPRAISER)
    assign(user, period=assessment.period, field_code="1")
    return user


@pytest.fixture
def other_unit_appraiser(body, other_unit, assessment):
    user = UserFactory(username="tham-dinh-stp")
    RoleAssignmentFactory(user=user, body=body, role=Role.APPRAISER)
    assign(user, other_unit, period=assessment.period)
    return user


def _decisions(user, assessment, body):
    unit = assessment.unit
    return (
        may_view_assessment(user, assessment),
        may_edit_self_assessment(user, unit),
        may_submit_self_assessment(user, unit),
        may_grant_extension(user, assessment),
        may_manage_criteria(user, body),
        released_for(user, assessment).round1,
        sorted(units_visible_to(user, body).values_list("code", flat=True)),
    )


ALL_UNITS = ["so-noi-vu", "so-tu-phap"]
T, F = True, False

# persona                  view  edit  submit extend criteria round 1 units visible
#                                                             (draft)
MATRIX = [
    ("body_admin",             (T,   F,    F,     T,     T,       T,      ALL_UNITS)),
    ("viewer",                 (T,   F,    F,     F,     F,       F,      ALL_UNITS)),
    ("appraiser",              (F,   F,    F,     F,     F,       F,      ALL_UNITS)),
    ("assigned_appraiser",     (T,   F,    F,     F,     F,       T,      ALL_UNITS)),
    ("field_appraiser",        (T,   F,    F,     F,     F,       T,      ALL_UNITS)),
    ("other_unit_appraiser",   (F,   F,    F,     F,     F,       F,      ALL_UNITS)),
    ("council_member",         (T,   F,    F,     F,     F,       F,      ALL_UNITS)),
    ("unit_officer",           (T,   T,    F,     F,     F,       F,      ["so-noi-vu"])),
    ("unit_head",              (T,   T,    T,     F,     F,       F,      ["so-noi-vu"])),
    ("other_officer",          (F,   F,    F,     F,     F,       F,      ["so-tu-phap"])),
    ("outsider",               (F,   F,    F,     F,     F,       F,      [])),
    ("superuser",              (T,   T,    T,     T,     T,       T,      ALL_UNITS)),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(request, persona, expected, assessment, body, other_unit):
    user = request.getfixturevalue(persona)
    assert _decisions(user, assessment, body) == expected


def test_an_inactive_unit_head_may_do_nothing(unit_head, assessment):
    unit_head.is_active = False
    unit_head.save()
    assert not may_edit_self_assessment(unit_head, assessment.unit)
    assert not may_submit_self_assessment(unit_head, assessment.unit)
    assert roles_for_assessment(unit_head, assessment) == frozenset()
