"""The Django admin is for platform operators (superusers) only: body staff use the setup pages (issue #14, point 7)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_staff_body_administrator_who_is_not_a_superuser_is_sent_to_the_login(client, body_admin):
    body_admin.is_staff = True
    body_admin.save(update_fields=["is_staff"])
    client.force_login(body_admin)

    for url in (reverse("admin:index"), reverse("admin:scoring_unit_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_a_superuser_opens_the_admin(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200
