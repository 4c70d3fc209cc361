"""Two administrators create a unit with the same code at the same moment, on PostgreSQL: one unit, one clear refusal.

Run with:
  PARINDEX_INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_units \\
  .venv/bin/pytest tests/scoring/units/test_race_integration.py
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from scoring.models import AuditEvent, Unit
from scoring.units import services

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("PARINDEX_INTEGRATION") != "1",
        reason="needs PARINDEX_INTEGRATION=1 and PostgreSQL",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_with_one_code(body, body_admin, departments):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    created: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def create(name: str) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                # Both pass the "code free?" check; the transaction is held open so the other insert meets it.
                unit = services.unit_create(
                    actor=body_admin, body=body, code="so-moi", name=name, group=departments
                )
                time.sleep(0.5)
            created.append(unit.pk)
        except ValidationError as exc:
            refused.append(exc.message_dict["code"][0])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(name,)) for name in ("Sở A", "Sở B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(created) == 1
    assert refused == ["Mã đơn vị “so-moi” đã được dùng trong cơ quan này."]
    assert Unit.objects.filter(body=body, code="so-moi").count() == 1
    assert AuditEvent.objects.filter(action="unit_created").count() == 1
