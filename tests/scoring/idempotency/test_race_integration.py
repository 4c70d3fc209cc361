"""Two simultaneous POSTs with one key on PostgreSQL: the unique constraint lets one action run, not two.

Run with:
  PARINDEX_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_sqlite \\
  .venv/bin/pytest tests/scoring/idempotency/test_race_integration.py
(The SQLite side of the same race is tests/scoring/assessment/test_simultaneous_saves.py.)
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connection

from scoring.idempotency.services import submission_once
from scoring.models import AuditEvent, SubmissionKey

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1",
        reason="needs PARINDEX_INTEGRATION=1 and PostgreSQL",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_run_the_action_once(body, unit_officer):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    results: list[dict] = []
    errors: list[BaseException] = []

    def action() -> dict:
        # Writes a row and holds the transaction open, so that the other POST meets the uncommitted key.
        event = AuditEvent.objects.create(body=body, actor=unit_officer, action="race", note="race")
        time.sleep(0.5)
        return {"id": event.pk}

    def post() -> None:
        try:
            barrier.wait()
            results.append(
                submission_once(user=unit_officer, scope="race", key="same-key", action=action).result
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert AuditEvent.objects.filter(action="race").count() == 1
    assert SubmissionKey.objects.filter(scope="race").count() == 1
