"""Who may call the setup API (the body's administrators and superusers only), with which token, and its schema."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import reset_generator_stats
from rest_framework.test import APIClient

from scoring.accounts.services import api_token_create, api_token_revoke
from scoring.models import UnitGroup
from tests.scoring.factories import PeriodFactory, UserFactory

from .helpers import bearer

LISTS = [
    ("unit-group-list-api", {}),
    ("unit-kind-list-api", {}),
    ("unit-list-api", {}),
    ("period-list-api", {}),
    ("people-list-api", {"body": "lai-chau"}),
]
READ_ONLY_AND_UNIT_PERSONAS = ["unit_officer", "unit_head", "appraiser", "council_member", "viewer"]


@pytest.mark.parametrize("persona", READ_ONLY_AND_UNIT_PERSONAS)
@pytest.mark.parametrize(("name", "params"), LISTS)
def test_people_who_administer_no_body_are_refused_every_list(body, persona, name, params, request):
    response = bearer(request.getfixturevalue(persona)).get(reverse(name), params)

    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không quản trị cơ quan đánh giá nào."


@pytest.mark.parametrize("persona", READ_ONLY_AND_UNIT_PERSONAS)
def test_read_only_and_unit_roles_cannot_write_or_read_objects(body, departments, unit, persona, request):
    client = bearer(request.getfixturevalue(persona))
    period = PeriodFactory(body=body, year=2026)

    created = client.post(reverse("unit-group-list-api"), {"body": body.code, "code": "x", "name": "X"})
    renamed = client.patch(reverse("unit-group-detail-api", args=[departments.pk]), {"name": "Y"})
    unit_read = client.get(reverse("unit-detail-api", args=[unit.pk]))
    opened = client.post(reverse("period-open-api", args=[period.pk]))

    assert created.status_code in (403, 404) and renamed.status_code in (403, 404)
    assert unit_read.status_code in (403, 404) and opened.status_code in (403, 404)
    assert list(UnitGroup.objects.values_list("name", flat=True)) == ["Sở, ban, ngành"]


def test_a_superuser_sets_up_any_body(body, departments):
    root = UserFactory(is_superuser=True, is_staff=True)

    response = bearer(root).post(
        reverse("unit-group-list-api"), {"body": body.code, "code": "x", "name": "X"}
    )

    assert response.status_code == 201


def test_an_anonymous_call_is_refused_with_the_bearer_challenge(body):
    response = APIClient().get(reverse("unit-list-api"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def _token_client(user, days: int = 30):
    token, key = api_token_create(
        user=user, name="kịch bản", expires_on=timezone.localdate() + timedelta(days=days)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return token, client


def test_an_expired_token_is_refused(body, body_admin):
    _token, client = _token_client(body_admin, days=1)
    assert client.get(reverse("unit-list-api")).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        response = client.post(reverse("unit-group-list-api"), {"body": body.code, "code": "x", "name": "X"})

    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]
    assert not UnitGroup.objects.filter(code="x").exists()


def test_a_revoked_token_is_refused(body, body_admin):
    token, client = _token_client(body_admin)
    api_token_revoke(token=token, actor=body_admin)

    response = client.post(reverse("unit-group-list-api"), {"body": body.code, "code": "x", "name": "X"})

    assert response.status_code == 401
    assert "thu hồi" in response.json()["detail"]
    assert not UnitGroup.objects.filter(code="x").exists()


def test_a_malformed_json_body_is_refused_in_vietnamese(body_admin):
    response = bearer(body_admin).generic(
        "POST", reverse("unit-group-list-api"), "{không phải json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Dữ liệu gửi lên không đọc được")


def test_the_schema_builds_without_warnings_and_documents_the_setup_api(db):
    reset_generator_stats()  # count this build's warnings only, whatever built a schema before in this process
    out = StringIO()
    call_command("spectacular", "--fail-on-warn", "--format", "openapi-json", stdout=out)

    schema = out.getvalue()
    for path in (
        "/api/v1/unit-groups/",
        "/api/v1/unit-kinds/",
        "/api/v1/units/{id}/merge/",
        "/api/v1/units/{id}/split/",
        "/api/v1/periods/{id}/checklist/",
        "/api/v1/periods/{id}/open/",
        "/api/v1/people/{id}/roles/",
        "/api/v1/role-assignments/{id}/",
        "/api/v1/exemptions/",
    ):
        assert path in schema


def test_a_page_past_the_end_is_a_404_in_vietnamese(body_admin):
    response = bearer(body_admin).get(reverse("unit-list-api"), {"page": 9})

    assert response.status_code == 404 and response.json()["detail"] == "Không có trang này."
