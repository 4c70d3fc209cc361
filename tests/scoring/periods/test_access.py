"""Who sets up a year (scoring.access): the administrators of the period's body, as a table of roles."""

from __future__ import annotations

import pytest

from scoring.access import periods_administered, unit_people_held
from tests.scoring.factories import PeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("body_admin", True),
        ("outsider", False),
        ("unit_officer", False),
        ("unit_head", False),
        ("appraiser", False),
        ("council_member", False),
        ("viewer", False),
    ],
)
def test_only_the_bodys_administrators_set_up_its_periods(body, persona, sees, request):
    period = PeriodFactory(body=body, year=2026)
    user = request.getfixturevalue(persona)
    assert periods_administered(user).filter(pk=period.pk).exists() is sees


def test_a_superuser_sets_up_every_period(body, other_body):
    periods = [PeriodFactory(body=body, year=2026), PeriodFactory(body=other_body, year=2026)]
    assert set(periods_administered(UserFactory(is_superuser=True))) == set(periods)


def test_unit_people_held_counts_active_officers_and_heads_only(
    body, unit, other_unit, unit_officer, unit_head
):
    assert unit_people_held(body=body) == {unit.pk: (True, True)}
    unit_head.is_active = False
    unit_head.save()
    assert unit_people_held(body=body) == {unit.pk: (True, False)}
