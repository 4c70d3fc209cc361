"""The bulk "Lập từ kết quả năm trước" of a unit's recovery plan never overwrites what a person typed (issue 11)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from reports.models import RecoveryAction
from tests.conftest_constants import PASSWORD
from tests.reports.plan_data import UNIT_LOSSES, unit_losses_create


def test_building_the_unit_plan_again_over_http_keeps_every_action_as_typed(client, body, unit, unit_officer):
    unit_losses_create(unit=unit)
    assert client.login(username=unit_officer.username, password=PASSWORD)
    build = reverse("reports:unit_plan_build", args=[unit.code, 2026]) + f"?body={body.code}"
    assert client.post(build).status_code == 302
    typed = RecoveryAction.objects.get(unit=unit, year=2026, item_code="1.2.2")
    data = {
        "field_code": typed.field_code,
        "item_code": typed.item_code,
        "item_name": typed.item_name,
        "lost_points": "1",
        "recoverable": "on",
        "recoverable_points": "0,25",
        "action": "Ban hành kế hoạch trước 31/01",
        "responsible": "Văn phòng Sở",
        "due_date": "30/06/2026",
        "status": "in_progress",
        "note": "Đã họp giao ban",
    }
    assert client.post(reverse("reports:plan_action_edit", args=[typed.pk]), data).status_code == 302
    before = {
        a.item_code: (a.action, a.recoverable_points, a.status, a.note, a.responsible)
        for a in RecoveryAction.objects.filter(unit=unit, year=2026)
    }

    assert client.post(build).status_code == 302

    after = {
        a.item_code: (a.action, a.recoverable_points, a.status, a.note, a.responsible)
        for a in RecoveryAction.objects.filter(unit=unit, year=2026)
    }
    assert after == before and set(after) == set(UNIT_LOSSES)
    assert after["1.2.2"] == (
        "Ban hành kế hoạch trước 31/01",
        Decimal("0.25"),
        "in_progress",
        "Đã họp giao ban",
        "Văn phòng Sở",
    )
