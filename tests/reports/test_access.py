"""reports.access as a matrix: every persona × every decision on the body, its units and a period."""

import pytest

from reports.access import (
    bodies_readable,
    may_edit_plan,
    may_manage_province,
    may_publish,
    may_read_body_reports,
    may_read_drafts,
    may_read_plan,
    may_read_unit_reports,
    publishing_bodies,
)
from tests.scoring.factories import PeriodFactory, UserFactory


@pytest.fixture
def period(body):
    return PeriodFactory(body=body, year=2026)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def _decisions(user, body, unit, other_unit, period):
    return (
        body in bodies_readable(user),
        may_read_body_reports(user, body),
        may_read_drafts(user, body),
        may_read_unit_reports(user, unit),
        may_read_unit_reports(user, other_unit),
        may_read_plan(user, body, None),
        may_edit_plan(user, body, None),
        may_edit_plan(user, body, unit),
        may_manage_province(user, body),
        may_publish(user, period),
        body in publishing_bodies(user),
    )


T, F = True, False

# persona          body  reports drafts unit  other  prov.plan  edit prov. edit unit  province publish pub. pages
MATRIX = [
    ("body_admin",     (T,   T,      T,     T,    T,     T,         T,         T,         T,       T,      T)),
    ("viewer",         (T,   T,      T,     T,    T,     T,         F,         F,         F,       F,      F)),
    ("appraiser",      (T,   T,      T,     T,    T,     T,         F,         F,         F,       F,      F)),
    ("council_member", (T,   T,      T,     T,    T,     T,         F,         F,         F,       F,      F)),
    ("unit_officer",   (T,   F,      F,     T,    F,     T,         F,         T,         F,       F,      F)),
    ("unit_head",      (T,   F,      F,     T,    F,     T,         F,         T,         F,       F,      F)),
    ("other_officer",  (T,   F,      F,     F,    T,     T,         F,         F,         F,       F,      F)),
    ("outsider",       (F,   F,      F,     F,    F,     F,         F,         F,         F,       F,      F)),
    ("superuser",      (T,   T,      T,     T,    T,     T,         T,         T,         T,       T,      T)),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(request, persona, expected, body, unit, other_unit, period):
    user = request.getfixturevalue(persona)
    assert _decisions(user, body, unit, other_unit, period) == expected


def test_a_unit_plan_of_another_body_is_edited_by_nobody(body, other_body, unit, body_admin, superuser):
    assert not may_edit_plan(body_admin, other_body, unit)
    assert not may_edit_plan(superuser, other_body, unit)
