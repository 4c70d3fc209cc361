"""Who keeps a body's units and groups: its administrators (and superusers), nobody else."""

import pytest

from scoring.access import bodies_managing_units, may_manage_units
from tests.scoring.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("body_admin", True),
        ("superuser", True),
        ("appraiser", False),
        ("council_member", False),
        ("viewer", False),
        ("unit_officer", False),
        ("unit_head", False),
        ("outsider", False),
    ],
)
def test_may_manage_units(request, persona, expected, body):
    user = request.getfixturevalue(persona)
    assert may_manage_units(user, body) is expected
    assert bodies_managing_units(user).filter(pk=body.pk).exists() is expected


def test_another_bodys_admin_manages_only_their_own(outsider, other_body, body):
    assert list(bodies_managing_units(outsider)) == [other_body]
    assert not may_manage_units(outsider, body)
