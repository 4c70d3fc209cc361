"""scoring.access as a matrix: every persona × every decision on one unit's dossier, as the module's table says."""

import pytest

from scoring.access import (
    may_edit_self_assessment,
    may_grant_extension,
    may_manage_criteria,
    may_submit_self_assessment,
    may_view_assessment,
    roles_for_assessment,
    sees_unreleased_history,
    units_visible_to,
)
from tests.scoring.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def _decisions(user, assessment, body):
    unit = assessment.unit
    return (
        may_view_assessment(user, assessment),
        may_edit_self_assessment(user, unit),
        may_submit_self_assessment(user, unit),
        may_grant_extension(user, assessment),
        may_manage_criteria(user, body),
        sees_unreleased_history(roles_for_assessment(user, assessment), is_superuser=user.is_superuser),
        sorted(units_visible_to(user, body).values_list("code", flat=True)),
    )


ALL_UNITS = ["so-noi-vu", "so-tu-phap"]
T, F = True, False

# persona          view  edit  submit extend criteria history units visible
MATRIX = [
    ("body_admin",     (T,   F,    F,     T,     T,       T,      ALL_UNITS)),
    ("viewer",         (T,   F,    F,     F,     F,       T,      ALL_UNITS)),
    ("appraiser",      (T,   F,    F,     F,     F,       T,      ALL_UNITS)),
    ("council_member", (T,   F,    F,     F,     F,       T,      ALL_UNITS)),
    ("unit_officer",   (T,   T,    F,     F,     F,       F,      ["so-noi-vu"])),
    ("unit_head",      (T,   T,    T,     F,     F,       F,      ["so-noi-vu"])),
    ("other_officer",  (F,   F,    F,     F,     F,       F,      ["so-tu-phap"])),
    ("outsider",       (F,   F,    F,     F,     F,       F,      [])),
    ("superuser",      (T,   T,    T,     T,     T,       T,      ALL_UNITS)),
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
