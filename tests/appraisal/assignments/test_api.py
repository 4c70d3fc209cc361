"""/api/v1/appraiser-assignments/: list, bulk create and delete for the body's administrator, 404 for others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appraisal.models import AppraiserAssignment
from scoring.models import AuditEvent
from tests.appraisal.helpers import assign, submitted_assessment
from tests.scoring.assessment_api_helpers import api_client
from tests.scoring.factories import UnitFactory

LIST_URL = reverse("appraiser-assignment-list-api")
# Measured 4 at 2 and at 10 rows (token, period, assignments with their people and units): none per row.
API_QUERIES = 4


@pytest.fixture
def period(unit, other_unit):
    submitted_assessment(unit=other_unit)
    return submitted_assessment(unit=unit).period


def delete_url(assignment):
    return reverse("appraiser-assignment-delete-api", args=[assignment.pk])


def test_the_admin_lists_the_periods_assignments(body_admin, appraiser, unit, period):
    assign(appraiser, unit)
    assign(appraiser, None, period=period, field_code="2")

    response = api_client(body_admin).get(LIST_URL, {"period": period.pk})

    assert response.status_code == 200
    rows = sorted(response.json(), key=lambda r: r["field_code"])
    assert [(r["unit"], r["unit_name"], r["field_code"], r["appraiser"]) for r in rows] == [
        (unit.pk, unit.name, "", appraiser.pk),
        (None, None, "2", appraiser.pk),
    ]


def test_bulk_create_assigns_units_and_fields_and_audits(body_admin, appraiser, unit, other_unit, period):
    payload = {
        "period": period.pk,
        "appraiser": appraiser.pk,
        "units": [unit.pk, other_unit.pk],
        "field_codes": ["1"],
    }

    response = api_client(body_admin).post(LIST_URL, payload, format="json")

    assert response.status_code == 201
    assert len(response.json()["created"]) == 3 and response.json()["existing"] == []
    assert AppraiserAssignment.objects.count() == 3
    assert AuditEvent.objects.filter(action="appraiser_assignment_added", actor=body_admin).count() == 3


def test_a_retry_with_the_same_idempotency_key_creates_once(body_admin, appraiser, unit, period):
    client = api_client(body_admin)
    payload = {"period": period.pk, "appraiser": appraiser.pk, "units": [unit.pk]}

    first = client.post(LIST_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = client.post(LIST_URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert AppraiserAssignment.objects.count() == 1


def test_existing_rows_are_returned_apart_and_a_full_duplicate_is_refused(
    body_admin, appraiser, unit, other_unit, period
):
    assign(appraiser, unit)
    client = api_client(body_admin)

    refused = client.post(
        LIST_URL, {"period": period.pk, "appraiser": appraiser.pk, "units": [unit.pk]}, format="json"
    )
    partly = client.post(
        LIST_URL,
        {"period": period.pk, "appraiser": appraiser.pk, "units": [unit.pk, other_unit.pk]},
        format="json",
    )

    assert refused.status_code == 400 and refused.json()["field"] == "units"
    assert partly.status_code == 201
    assert [r["unit"] for r in partly.json()["existing"]] == [unit.pk]
    assert [r["unit"] for r in partly.json()["created"]] == [other_unit.pk]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"appraiser": "unit_officer", "units": ["unit"]}, "appraiser", "không giữ vai trò thẩm định viên"),
        ({"appraiser": "appraiser", "field_codes": ["9"]}, "field_codes", "Không có lĩnh vực mã 9"),
        ({"appraiser": "appraiser"}, "units", "Chọn ít nhất một đơn vị"),
        ({"appraiser": "appraiser", "units": ["abc"]}, "units", ""),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_changes(
    request, body_admin, unit, period, payload, field, message
):
    data = {"period": period.pk}
    for key, value in payload.items():
        if key == "appraiser":
            data[key] = request.getfixturevalue(value).pk
        else:
            data[key] = [unit.pk if v == "unit" else v for v in value]

    response = api_client(body_admin).post(LIST_URL, data, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert message in response.json()["detail"]
    assert not AppraiserAssignment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="appraiser_assignment").exists()


def test_delete_removes_and_audits(body_admin, appraiser, unit, period):
    assignment = assign(appraiser, unit)

    response = api_client(body_admin).delete(delete_url(assignment))

    assert response.status_code == 204
    assert not AppraiserAssignment.objects.exists()
    assert AuditEvent.objects.filter(action="appraiser_assignment_removed", actor=body_admin).count() == 1


@pytest.mark.parametrize("persona", ["outsider", "appraiser", "council_member", "unit_officer"])
def test_anyone_but_the_bodys_admin_gets_404(request, persona, appraiser, unit, period):
    assignment = assign(appraiser, unit)
    client = api_client(request.getfixturevalue(persona))

    listed = client.get(LIST_URL, {"period": period.pk})
    created = client.post(
        LIST_URL, {"period": period.pk, "appraiser": appraiser.pk, "units": [unit.pk]}, format="json"
    )
    deleted = client.delete(delete_url(assignment))

    assert (listed.status_code, created.status_code, deleted.status_code) == (404, 404, 404)
    assert AppraiserAssignment.objects.count() == 1


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries, body_admin, body, departments, period, count
):
    for _n in range(count):
        assign(body_admin, UnitFactory(body=body, group=departments), period=period)
    client = api_client(body_admin)

    with django_assert_max_num_queries(API_QUERIES):
        response = client.get(LIST_URL, {"period": period.pk})
    assert len(response.json()) == count


def test_the_schema_documents_the_endpoints(client):
    schema = client.get(reverse("schema")).content.decode()

    for operation in (
        "appraiser_assignments_list",
        "appraiser_assignments_create",
        "appraiser_assignments_destroy",
    ):
        assert operation in schema
