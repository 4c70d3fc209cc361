"""Two administrators creating the same year at the same moment, on the real PostgreSQL: one period, one error.

Run with PARINDEX_INTEGRATION=1 and DATABASE_URL pointing at PostgreSQL (make test-integration).
"""

from __future__ import annotations

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from scoring.models import AuditEvent, Period
from scoring.periods import services

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1", reason="needs PARINDEX_INTEGRATION=1 and PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_creates_of_one_year_at_once_make_one_period(body, body_admin):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create() -> None:
        try:
            barrier.wait(timeout=10)
            services.period_create(body=body, year=2026, actor=body_admin)
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "Đã có kỳ đánh giá năm 2026."]
    assert Period.objects.filter(body=body, year=2026).count() == 1
    assert AuditEvent.objects.filter(action="period_create").count() == 1
