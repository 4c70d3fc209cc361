"""The body administrator's assignment pages: workload, bulk assign, remove, refusals, audit, 404 elsewhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appraisal.models import AppraiserAssignment
from scoring.models import AuditEvent, Role, SubmissionKey
from tests.appraisal.helpers import assign, submitted_assessment
from tests.appraisal.view_fixtures import login
from tests.scoring.factories import RoleAssignmentFactory, UnitFactory, UserFactory


@pytest.fixture
def dossiers(unit, other_unit):
    return submitted_assessment(unit=unit), submitted_assessment(unit=other_unit)


@pytest.fixture
def period(dossiers):
    return dossiers[0].period


# The appraisal list of the admin, measured 8 at 4 and at 12 dossiers (2 more than before, for the highlights).
LIST_QUERIES = 8


def page_url(period):
    return reverse("appraisal:assignments", args=[period.pk])


def test_bulk_assign_two_units_to_an_appraiser_shows_the_workload(
    client, body_admin, appraiser, unit, other_unit, period
):
    login(client, body_admin)

    response = client.post(
        page_url(period),
        {"appraiser": appraiser.pk, "units": [unit.pk, other_unit.pk], "submission_key": "k1"},
    )

    assert response.status_code == 302
    assert set(AppraiserAssignment.objects.values_list("unit_id", flat=True)) == {unit.pk, other_unit.pk}
    events = AuditEvent.objects.filter(action="appraiser_assignment_added", actor=body_admin)
    assert {e.unit_id for e in events} == {unit.pk, other_unit.pk}
    page = client.get(page_url(period)).content.decode()
    # Two dossiers of 8 appraisal items each (the helpers' small criteria set).
    assert 'data-testid="dossiers">2<' in page
    assert 'data-testid="items">16<' in page
    assert "chưa có ai thẩm định" not in page


def test_a_field_assignment_covers_that_field_in_every_dossier(client, body_admin, appraiser, period):
    login(client, body_admin)

    response = client.post(page_url(period), {"appraiser": appraiser.pk, "field_codes": ["1"]})

    assert response.status_code == 302
    assignment = AppraiserAssignment.objects.get()
    assert (assignment.unit_id, assignment.field_code) == (None, "1")
    page = client.get(page_url(period)).content.decode()
    assert 'data-testid="dossiers">2<' in page
    assert 'data-testid="items">8<' in page


def test_a_double_submit_creates_once(client, body_admin, appraiser, unit, period):
    login(client, body_admin)
    data = {"appraiser": appraiser.pk, "units": [unit.pk], "submission_key": "same-key"}

    client.post(page_url(period), data)
    second = client.post(page_url(period), data)

    assert second.status_code == 302
    assert AppraiserAssignment.objects.count() == 1
    assert SubmissionKey.objects.filter(key="same-key").count() == 1


def test_an_assignment_to_a_non_appraiser_is_refused_and_nothing_changes(
    client, body_admin, unit_officer, unit, period
):
    login(client, body_admin)

    response = client.post(page_url(period), {"appraiser": unit_officer.pk, "units": [unit.pk]})

    assert response.status_code == 400
    page = response.content.decode()
    assert "không giữ vai trò thẩm định viên" in page
    # What was typed is shown again: the unit stays ticked.
    assert f'value="{unit.pk}"' in page and "checked" in page
    assert f'<option value="{unit_officer.pk}" selected' not in page  # not offered at all
    assert not AppraiserAssignment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="appraiser_assignment").exists()


def test_the_page_offers_only_the_bodys_appraisers(client, body_admin, appraiser, unit_officer, period):
    login(client, body_admin)

    page = client.get(page_url(period)).content.decode()

    assert f'<option value="{appraiser.pk}"' in page
    assert f'<option value="{unit_officer.pk}"' not in page


def test_an_existing_assignment_is_skipped_and_a_full_duplicate_refused(
    client, body_admin, appraiser, unit, other_unit, period
):
    assign(appraiser, unit)
    login(client, body_admin)

    refused = client.post(page_url(period), {"appraiser": appraiser.pk, "units": [unit.pk]})
    assert refused.status_code == 400
    assert "đã được phân công tất cả các mục đã chọn" in refused.content.decode()
    assert AppraiserAssignment.objects.count() == 1

    response = client.post(
        page_url(period), {"appraiser": appraiser.pk, "units": [unit.pk, other_unit.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Bỏ qua 1 mục đã được phân công từ trước." in page
    assert AppraiserAssignment.objects.count() == 2
    assert AuditEvent.objects.filter(action="appraiser_assignment_added").count() == 1


def test_a_unit_of_another_body_or_nothing_chosen_is_refused(
    client, body_admin, appraiser, other_body, period
):
    foreign = UnitFactory(body=other_body)
    login(client, body_admin)

    nothing = client.post(page_url(period), {"appraiser": appraiser.pk})
    foreign_unit = client.post(page_url(period), {"appraiser": appraiser.pk, "units": [foreign.pk]})

    assert nothing.status_code == foreign_unit.status_code == 400
    assert "Chọn ít nhất một đơn vị hoặc một lĩnh vực" in nothing.content.decode()
    assert "không thuộc cơ quan đánh giá này" in foreign_unit.content.decode()
    assert not AppraiserAssignment.objects.exists()


def test_removing_an_assignment_is_audited(client, body_admin, appraiser, unit, period):
    assignment = assign(appraiser, unit)
    text = str(assignment)
    login(client, body_admin)

    response = client.post(reverse("appraisal:assignment_delete", args=[assignment.pk]))

    assert response.status_code == 302
    assert not AppraiserAssignment.objects.exists()
    event = AuditEvent.objects.get(action="appraiser_assignment_removed")
    assert (event.actor, event.unit, event.old_value) == (body_admin, unit, text)


@pytest.mark.parametrize("persona", ["outsider", "appraiser", "unit_officer"])
def test_anyone_but_the_bodys_admin_gets_404(client, request, persona, appraiser, unit, period):
    assignment = assign(appraiser, unit)
    login(client, request.getfixturevalue(persona))

    assert client.get(page_url(period)).status_code == 404
    assert client.post(page_url(period), {"appraiser": appraiser.pk, "units": [unit.pk]}).status_code == 404
    assert client.post(reverse("appraisal:assignment_delete", args=[assignment.pk])).status_code == 404
    assert AppraiserAssignment.objects.count() == 1


def test_the_menu_link_goes_to_the_latest_period(client, body_admin, period):
    login(client, body_admin)

    response = client.get(reverse("appraisal:assignments_home"))

    assert response.status_code == 302 and response.url == page_url(period)


def test_the_appraisal_list_highlights_unassigned_dossiers_for_the_admin_only(
    client, body_admin, appraiser, unit, other_unit, dossiers
):
    assign(appraiser, unit)
    list_url = reverse("appraisal:list") + f"?period={dossiers[0].period_id}"

    page = login(client, body_admin).get(list_url).content.decode()
    assert page.count('data-testid="unassigned-row"') == 1
    assert f"?unit={other_unit.pk}#assign" in page

    client.logout()
    RoleAssignmentFactory(user=appraiser, body=unit.body, role=Role.VIEWER)
    page = login(client, appraiser).get(list_url).content.decode()
    assert "unassigned-row" not in page


@pytest.mark.parametrize("count", [2, 10])
def test_the_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, body, departments, body_admin, period, count
):
    for _n in range(count):
        unit = UnitFactory(body=body, group=departments)
        submitted_assessment(unit=unit, period=period)
        person = UserFactory()
        RoleAssignmentFactory(user=person, body=body, role=Role.APPRAISER)
        assign(person, unit)
        AppraiserAssignment.objects.create(period=period, appraiser=person, field_code="2")
    login(client, body_admin)

    # Measured 12 at 2 and at 10 appraisers, units and dossiers: none per row.
    with django_assert_max_num_queries(12):
        response = client.get(page_url(period))
    assert response.status_code == 200
    assert response.content.decode().count('class="assignment-chip"') == 2 * count


@pytest.mark.parametrize("count", [2, 10])
def test_the_appraisal_list_with_highlights_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, body, departments, body_admin, period, count
):
    for _n in range(count):
        submitted_assessment(unit=UnitFactory(body=body, group=departments), period=period)
    login(client, body_admin)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("appraisal:list") + f"?period={period.pk}")
    # The two dossiers of the fixture and the new ones: all unassigned.
    assert response.content.decode().count('data-testid="unassigned-row"') == count + 2


def test_an_assignment_of_someone_who_lost_the_role_is_listed_for_removal(client, body_admin, unit, period):
    former = UserFactory(username="former-appraiser")
    assignment = assign(former, unit)
    login(client, body_admin)

    page = client.get(page_url(period)).content.decode()

    assert "Phân công của người không còn vai trò thẩm định viên" in page
    assert reverse("appraisal:assignment_delete", args=[assignment.pk]) in page
    # Nobody sees either dossier now (the former appraiser has lost the role): both are unassigned.
    assert "2 hồ sơ chưa có ai thẩm định" in page
    listed = client.get(reverse("appraisal:list") + f"?period={period.pk}").content.decode()
    assert listed.count('data-testid="unassigned-row"') == 2


def test_a_refused_form_keeps_the_chosen_appraiser(client, body_admin, appraiser, period):
    login(client, body_admin)

    response = client.post(page_url(period), {"appraiser": appraiser.pk})

    assert response.status_code == 400
    assert f'<option value="{appraiser.pk}" selected>' in response.content.decode()
