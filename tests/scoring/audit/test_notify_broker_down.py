"""A change that notifies people is saved and answered at once even when the broker is away."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from scoring.audit.notifications import notify
from scoring.models import Notification
from tests.scoring.factories import UserFactory
from tests.scoring.jobs.broker_fixtures import broker_down_fixture  # noqa: F401 (a fixture)


# Transactional: the e-mails are queued when notify's transaction commits, as in a request.
@pytest.mark.django_db(transaction=True)
def test_notifying_with_the_broker_away_keeps_the_rows_and_raises_nothing(body, broker_down):
    user = UserFactory(username="canbo", email="canbo@example.vn")

    started = time.monotonic()
    count = notify(users=[user], body=body, verb="returned", text="Hồ sơ đã được trả lại", url="/ho-so/1/")

    assert time.monotonic() - started < 5.0
    assert count == 1
    assert Notification.objects.get(user=user).emailed_at is None  # still to e-mail
    assert mail.outbox == []
