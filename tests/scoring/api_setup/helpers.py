"""Shared by the setup API tests: a client signed in with a personal (Bearer) token, and the refusal shape."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from scoring.accounts.services import api_token_create


def bearer(user) -> APIClient:
    """Return a client that calls the API with a fresh personal token of the user."""
    _token, key = api_token_create(
        user=user, name="Kịch bản thiết lập năm", expires_on=timezone.localdate() + timedelta(days=30)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def refusal(response, field: str | None) -> str:
    """Return the message of a 400 refusal, after checking its shape and the field it names."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field, body
    assert body["detail"] in body["errors"][field or "__all__"]
    return body["detail"]
