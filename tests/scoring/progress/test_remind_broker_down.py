"""The reminder button with the broker away: the board says so at once instead of an error page."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest_constants import PASSWORD
from tests.scoring.board_fixtures import period_fixture  # noqa: F401 (a fixture)
from tests.scoring.jobs.broker_fixtures import broker_down_fixture  # noqa: F401 (a fixture)


# Transactional: the message is sent when the request's work commits, before the answer, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_reminder_button_says_the_queue_is_away_within_seconds(client, body_admin, period, broker_down):
    assert client.login(username=body_admin.username, password=PASSWORD)

    started = time.monotonic()
    response = client.post(
        reverse("assessment:board_remind", kwargs={"period_id": period.pk}),
        {"next": "body=lai-chau&year=2026"},
        follow=True,
    )

    assert time.monotonic() - started < 5.0
    assert response.status_code == 200
    assert "Hệ thống xử lý nền đang không hoạt động" in response.content.decode()
    assert mail.outbox == []
