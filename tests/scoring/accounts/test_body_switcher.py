"""The header's body switcher: shown to people of several bodies, validated on the server, never widening access."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from scoring.accounts.switcher import SESSION_KEY
from scoring.models import Role
from tests.scoring.factories import (
    PeriodFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UnitGroupFactory,
    UserFactory,
)

SWITCH_URL = reverse("body_switch")
UNITS_URL = reverse("units:list")


@pytest.fixture
def two_body_admin(body, other_body):
    """Return an administrator of both Lai Châu and Điện Biên (a consultant working for two provinces)."""
    user = UserFactory(username="admin-hai-tinh")
    RoleAssignmentFactory(user=user, body=body, role=Role.BODY_ADMIN)
    RoleAssignmentFactory(user=user, body=other_body, role=Role.BODY_ADMIN)
    return user


def test_header_offers_the_switcher_only_to_people_of_several_bodies(client, body_admin, two_body_admin):
    client.force_login(body_admin)
    assert 'data-testid="body-switcher"' not in client.get(UNITS_URL).content.decode()

    client.force_login(two_body_admin)
    page = client.get(UNITS_URL).content.decode()
    assert 'data-testid="body-switcher"' in page
    assert "UBND tỉnh Điện Biên" in page and "UBND tỉnh Lai Châu" in page


def test_switch_stores_the_body_and_returns_to_the_page_without_its_body_parameter(
    client, two_body_admin, other_body
):
    client.force_login(two_body_admin)

    response = client.post(SWITCH_URL, {"body": other_body.code, "next": f"{UNITS_URL}?body=lai-chau&x=1"})

    assert response.status_code == 302 and response.url == f"{UNITS_URL}?x=1"
    assert client.session[SESSION_KEY] == other_body.pk


def test_units_page_opens_the_chosen_body_by_default_and_the_url_still_wins(
    client, two_body_admin, body, other_body
):
    client.force_login(two_body_admin)
    # Whichever body the page opens by default (the first by name), the switch opens the other one.
    first = client.get(UNITS_URL).context["body"]
    chosen = other_body if first == body else body

    client.post(SWITCH_URL, {"body": chosen.code, "next": UNITS_URL})

    assert client.get(UNITS_URL).context["body"] == chosen
    assert client.get(f"{UNITS_URL}?body={first.code}").context["body"] == first


def test_rankings_and_assignments_follow_the_chosen_body(client, two_body_admin, body, other_body):
    PeriodFactory(body=body, year=2026)
    other_period = PeriodFactory(body=other_body, year=2026)
    client.force_login(two_body_admin)
    client.post(SWITCH_URL, {"body": other_body.code, "next": "/"})

    assert client.get(reverse("reports:rankings")).context["body"] == other_body
    response = client.get(reverse("appraisal:assignments_home"))
    assert response.url == reverse("appraisal:assignments", kwargs={"period_id": other_period.pk})


def test_switch_to_a_body_without_a_role_is_404_and_changes_nothing(client, body_admin, other_body):
    client.force_login(body_admin)

    response = client.post(SWITCH_URL, {"body": other_body.code, "next": "/"})

    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def test_switch_never_widens_access(client, body, other_body):
    """An administrator of Lai Châu who is only a unit officer in Điện Biên still runs Lai Châu's units only."""
    user = UserFactory(username="admin-va-can-bo")
    RoleAssignmentFactory(user=user, body=body, role=Role.BODY_ADMIN)
    group = UnitGroupFactory(body=other_body, code="so", name="Sở")
    RoleAssignmentFactory(
        user=user, body=other_body, role=Role.UNIT_OFFICER, unit=UnitFactory(body=other_body, group=group)
    )
    client.force_login(user)

    assert client.post(SWITCH_URL, {"body": other_body.code, "next": "/"}).status_code == 302

    assert client.get(UNITS_URL).context["body"] == body
    assert client.get(f"{UNITS_URL}?body={other_body.code}").status_code == 404
    assert client.get(reverse("people:list", args=[other_body.code])).status_code == 404


def test_switch_refuses_get_a_foreign_next_and_a_missing_csrf_token(two_body_admin, other_body):
    client = Client(enforce_csrf_checks=True)
    client.force_login(two_body_admin)

    assert client.get(SWITCH_URL).status_code == 405
    assert client.post(SWITCH_URL, {"body": other_body.code}).status_code == 403

    client = Client()
    client.force_login(two_body_admin)
    response = client.post(SWITCH_URL, {"body": other_body.code, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"


def test_anonymous_switch_goes_to_login(client, other_body):
    response = client.post(SWITCH_URL, {"body": other_body.code})

    assert response.status_code == 302 and reverse("login") in response.url
