"""Two administrators assign the same unit to the same appraiser at once, on PostgreSQL: one row, one refusal.

Run with:
  PARINDEX_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_assign \\
  .venv/bin/pytest tests/appraisal/assignments/test_race_integration.py
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from appraisal.assignments.services import assignments_create
from appraisal.models import AppraiserAssignment
from scoring.models import AuditEvent, Role
from tests.appraisal.helpers import submitted_assessment
from tests.scoring.factories import RoleAssignmentFactory, UserFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1",
        reason="needs PARINDEX_INTEGRATION=1 and PostgreSQL",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_assignments_of_one_unit_create_one_row_and_refuse_the_other(
    body, unit, body_admin, appraiser
):
    assert connection.vendor == "postgresql"
    second_admin = UserFactory(username="admin-2")
    RoleAssignmentFactory(user=second_admin, body=body, role=Role.BODY_ADMIN)
    period = submitted_assessment(unit=unit).period
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def create(actor, *, first: bool) -> None:
        try:
            barrier.wait()
            if not first:
                time.sleep(0.2)  # after the first one's insert, before its commit
            with transaction.atomic():
                assignments_create(actor=actor, period=period, appraiser=appraiser, unit_ids=[unit.pk])
                if first:
                    time.sleep(0.8)  # holds the uncommitted row while the second one checks and inserts
            outcomes[actor.username] = "created"
        except ValidationError as exc:
            outcomes[actor.username] = " ".join(exc.messages)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions below
            outcomes[actor.username] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=(body_admin,), kwargs={"first": True}),
        threading.Thread(target=create, args=(second_admin,), kwargs={"first": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes[body_admin.username] == "created"
    assert "Vừa có người khác phân công" in outcomes[second_admin.username]
    assert AppraiserAssignment.objects.count() == 1
    assert AuditEvent.objects.filter(action="appraiser_assignment_added").count() == 1
