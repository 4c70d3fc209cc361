"""Rate limits on the API: anonymous callers per address, signed-in ones per user, public endpoints included."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from tests.deploy.production import run_python


@pytest.fixture
def low_rates(monkeypatch):
    # DRF reads the rates once, at import; the suite's own rates (pyproject's pytest env) are set high.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})
    cache.clear()
    yield
    cache.clear()


def test_the_rates_come_from_the_environment_with_defaults():
    code = (
        "import django; django.setup(); from rest_framework.settings import api_settings as a; "
        "print(a.DEFAULT_THROTTLE_RATES['anon'], a.DEFAULT_THROTTLE_RATES['user'])"
    )
    assert run_python(code).stdout.split() == ["60/minute", "600/minute"]
    assert run_python(code, API_THROTTLE_ANON="7/second").stdout.split() == ["7/second", "600/minute"]


@pytest.mark.django_db
def test_the_public_rankings_api_answers_429_after_the_anonymous_rate(client, low_rates):
    url = reverse("rankings-api") + "?year=2024&body=lai-chau"
    statuses = [client.get(url).status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="10.0.0.7").status_code != 429


def test_signed_in_callers_are_counted_per_user(client, body_admin, low_rates):
    client.force_login(body_admin)
    url = reverse("rankings-api") + "?year=2024&body=lai-chau"
    statuses = [client.get(url).status_code for _ in range(6)]
    assert 429 not in statuses[:5]
    assert statuses[5] == 429
