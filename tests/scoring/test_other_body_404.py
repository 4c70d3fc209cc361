"""Another body's administrator gets 404 on every setup page, action and API endpoint of this body (issue #14).

The URL lists are in tests/scoring/setup_pages.py; the body's own administrator gets 200 on the same pages, so
that a 404 here means "not yours", not "broken".
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from appraisal.models import AppraiserAssignment
from scoring.models import AuditEvent, Period, Role, RoleAssignment, Unit, UnitGroup
from tests.scoring.assessment_api_helpers import api_client
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UserFactory
from tests.scoring.setup_pages import (
    SETUP_INDEX_URLS,
    SetupObjects,
    setup_api_urls,
    setup_page_urls,
    setup_post_urls,
)


@pytest.fixture
def setup_objects(body, departments, unit, unit_officer, appraiser) -> SetupObjects:
    """Return Lai Châu's 2027 year being set up: a criteria set, an officer, an appraiser assigned to the unit."""
    period = PeriodFactory(body=body, year=2027, status="setup")
    criteria_set = build_criteria_set(period=period, unit_group=departments)
    AppraiserAssignment.objects.create(period=period, appraiser=appraiser, unit=unit)
    return SetupObjects(
        body=body, period=period, group=departments, unit=unit, person=unit_officer, criteria_set=criteria_set
    )


def _state():
    return (
        list(Period.objects.values_list("pk", "status", "year")),
        list(Unit.objects.values_list("pk", "name", "group_id", "active_to")),
        list(UnitGroup.objects.values_list("pk", "name")),
        list(RoleAssignment.objects.values_list("pk", "user_id", "role", "unit_id")),
        list(AppraiserAssignment.objects.values_list("pk", "appraiser_id", "unit_id", "field_code")),
        AuditEvent.objects.count(),
    )


def test_every_setup_page_answers_its_own_administrator(client, body_admin, setup_objects):
    client.force_login(body_admin)

    answers = {url: client.get(url).status_code for url in setup_page_urls(setup_objects)}

    assert answers == dict.fromkeys(answers, 200)


def test_another_bodys_administrator_gets_404_on_every_setup_page(client, outsider, setup_objects):
    client.force_login(outsider)

    answers = {url: client.get(url).status_code for url in setup_page_urls(setup_objects)}

    assert answers == dict.fromkeys(answers, 404)


def test_another_bodys_administrator_gets_404_on_every_setup_action_and_changes_nothing(
    client, outsider, setup_objects
):
    client.force_login(outsider)
    before = _state()

    answers = {
        url: client.post(url, {"name": "Đổi tên", "role": Role.BODY_ADMIN, "year": 2027}).status_code
        for url in setup_post_urls(setup_objects)
    }

    assert answers == dict.fromkeys(answers, 404)
    assert _state() == before


def test_another_bodys_administrator_sees_nothing_of_the_body_on_the_index_pages(
    client, outsider, other_unit, setup_objects
):
    client.force_login(outsider)

    for url in SETUP_INDEX_URLS:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        page = response.content.decode("utf-8", "replace")
        # (the role label "Quản trị (Sở Nội vụ)" names no body: the unit and the body are looked for by name)
        assert setup_objects.body.name not in page and "Sở Tư pháp" not in page, url
        assert setup_objects.criteria_set.name not in page and "/lai-chau/" not in page, url


def test_another_bodys_administrator_gets_404_from_the_setup_api(outsider, appraiser, setup_objects):
    client = api_client(outsider)
    before = _state()
    assignment = AppraiserAssignment.objects.get(period=setup_objects.period)

    answers = {url: _hidden(client.get(url)) for url in setup_api_urls(setup_objects)}
    answers["POST appraiser-assignments"] = client.post(
        reverse("appraiser-assignment-list-api"),
        {"period": setup_objects.period.pk, "appraiser": appraiser.pk, "field_codes": ["1"]},
        format="json",
    ).status_code
    answers["DELETE appraiser-assignments/<pk>"] = client.delete(
        reverse("appraiser-assignment-delete-api", args=[assignment.pk])
    ).status_code

    assert answers == dict.fromkeys(answers, 404)
    assert _state() == before


def _hidden(response) -> int:
    """Return 404 for an answer that shows nothing of the body: a 404, or a list filtered down to nothing."""
    if response.status_code == 200 and response.json().get("count") == 0:
        return 404
    return response.status_code


def test_the_setup_api_answers_its_own_administrator(body_admin, setup_objects):
    client = api_client(body_admin)

    answers = {url: client.get(url).status_code for url in setup_api_urls(setup_objects)}

    assert answers == dict.fromkeys(answers, 200)


def test_a_second_body_role_of_the_outsider_opens_nothing_more(client, other_body, setup_objects):
    """An administrator of Điện Biên who is also a viewer in Lai Châu (and switched to it) still cannot set it up."""
    user = UserFactory(username="admin-db-xem-lc")
    RoleAssignmentFactory(user=user, body=other_body, role=Role.BODY_ADMIN)
    RoleAssignmentFactory(user=user, body=setup_objects.body, role=Role.VIEWER)
    client.force_login(user)
    client.post(reverse("body_switch"), {"body": setup_objects.body.code, "next": "/"})

    answers = {url: client.get(url).status_code for url in setup_page_urls(setup_objects)}

    # A viewer reads criteria sets (and their export); the rest of the setup is the administrator's. The criteria
    # import, clone and editing answer 403 to a viewer (the body is theirs to see, not to change), 404 to others.
    readable = {
        reverse("scoring:criteria_set_detail", args=[setup_objects.criteria_set.pk]),
        reverse("scoring:criteria_set_export", args=[setup_objects.criteria_set.pk]),
    }
    refused = {url: code for url, code in answers.items() if url not in readable}
    assert set(refused.values()) <= {403, 404}, refused
    # Only the criteria pages (import, clone, editing) answer 403, to a viewer who may read the sets.
    assert {url for url, code in refused.items() if code == 403} == {
        url for url in refused if url.startswith(reverse("scoring:criteria_set_list"))
    } - {reverse("scoring:unit_exemptions", args=[setup_objects.period.pk, setup_objects.unit.pk])}, refused
