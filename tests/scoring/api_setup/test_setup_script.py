"""The README's example script, call by call: a province sets up its next year over the API alone."""

from __future__ import annotations

from django.core import mail

from scoring.models import AuditEvent, PeriodStatus, Role, UnitGroup
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory, UnitFactory
from tests.scoring.periods.conftest import staff_unit

from .helpers import bearer


def test_a_year_is_set_up_and_opened_through_the_api(
    body, body_admin, departments, unit, appraiser, django_capture_on_commit_callbacks
):
    last = PeriodFactory(body=body, year=2025, status=PeriodStatus.OPEN)
    build_criteria_set(period=last, unit_group=departments)
    staff_unit(body, unit)
    old_a, old_b = (UnitFactory(body=body, group=departments, code=c) for c in ("xa-a", "xa-b"))
    api = bearer(body_admin)

    def call(method, path, data=None, status=(200, 201)):
        response = getattr(api, method)(f"/api/v1{path}", data, format="json")
        assert response.status_code in status, (path, response.content)
        return response.json() if response.content else None

    period = call("post", "/periods/", {"body": body.code, "year": 2026})["period"]["id"]
    kind = call("post", "/unit-kinds/", {"body": body.code, "code": "xa", "name": "UBND xã"})["id"]
    new = call(
        "post",
        "/units/",
        {
            "body": body.code,
            "code": "xa-tan-uyen",
            "name": "UBND xã Tân Uyên",
            "group": departments.pk,
            "kind": kind,
        },
    )["id"]
    call("post", f"/units/{unit.pk}/rename/", {"name": "Sở Nội vụ tỉnh Lai Châu", "from_year": 2026})
    call("post", f"/units/{new}/merge/", {"sources": [old_a.pk, old_b.pk], "effective_on": "2025-07-01"})
    with django_capture_on_commit_callbacks(execute=True):
        for email, role in (("vp@tanuyen.vn", Role.UNIT_OFFICER), ("ct@tanuyen.vn", Role.UNIT_HEAD)):
            call(
                "post",
                "/people/",
                {"body": body.code, "email": email, "full_name": "X", "role": role, "unit": new},
            )
    appraiser_id = call("get", f"/people/?body={body.code}&role=appraiser")["results"][0]["id"]
    call(
        "post",
        "/appraiser-assignments/",
        {"period": period, "appraiser": appraiser_id, "units": [unit.pk, new]},
    )
    call("post", "/exemptions/", {"period": period, "unit": new, "item_code": "1.1.1", "reason": "Không có"})
    call(
        "patch",
        f"/periods/{period}/deadlines/",
        {
            "starts_on": "2027-01-05",
            "self_assessment": "2027-01-31T17:00:00+07:00",
            "explanation": "2027-03-10T17:00:00+07:00",
            "round2": "2027-03-31T17:00:00+07:00",
            "council": "2027-04-15T17:00:00+07:00",
        },
    )
    call(
        "put",
        f"/periods/{period}/bands/",
        [
            {"code": "tot", "label": "Tốt", "min_index": "80"},
            {"code": "yeu", "label": "Yếu", "min_index": "0"},
        ],
    )

    assert call("get", f"/periods/{period}/checklist/") == {"ready": True, "problems": []}
    assert call("post", f"/periods/{period}/open/")["status"] == "open"
    assert len(mail.outbox) == 2
    assert UnitGroup.objects.filter(body=body).count() == 1
    # Every change is in the body's log, under the token's holder.
    assert (
        not AuditEvent.objects.filter(body=body)
        .exclude(actor=body_admin)
        .exclude(action="role_assign")
        .exists()
    )
