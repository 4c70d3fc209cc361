"""/api/v1/exemptions/: items not scored for a unit, with a reason, as on the administrator's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scoring.models import AuditEvent, NotApplicableItem
from scoring.workflow import Status
from tests.appraisal.helpers import set_status, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items, mark_not_applicable
from tests.scoring.factories import UnitFactory, UnitGroupFactory

from .helpers import bearer, refusal

EXEMPTIONS = reverse("exemption-list-api")


@pytest.fixture
def dossier(unit):
    return submitted_assessment(unit=unit, status=Status.SELF_ASSESSMENT)


def delete_url(row) -> str:
    return reverse("exemption-delete-api", args=[row.pk])


def payload(dossier, code: str, reason: str = "Đơn vị không có đơn vị sự nghiệp") -> dict:
    return {"period": dossier.period_id, "unit": dossier.unit_id, "item_code": code, "reason": reason}


def test_the_admin_marks_an_item_lists_it_changes_its_reason_and_unmarks_it(body_admin, dossier):
    item = appraisal_items(dossier.criteria_set)[0]
    client = bearer(body_admin)

    created = client.post(EXEMPTIONS, payload(dossier, item.code), format="json")
    changed = client.post(EXEMPTIONS, payload(dossier, item.code, "Lý do mới"), format="json")

    assert created.status_code == 201, created.content
    assert changed.status_code == 200 and changed.json()["id"] == created.json()["id"]
    row = NotApplicableItem.objects.get()
    assert (row.item, row.unit_id, row.reason) == (item, dossier.unit_id, "Lý do mới")
    listed = client.get(EXEMPTIONS, {"period": dossier.period_id, "unit": dossier.unit_id}).json()
    assert [(r["item_code"], r["reason"]) for r in listed["results"]] == [(item.code, "Lý do mới")]
    assert AuditEvent.objects.filter(action="not_applicable_saved", actor=body_admin).count() == 2

    removed = client.delete(delete_url(row))

    assert removed.status_code == 204 and not NotApplicableItem.objects.exists()
    assert AuditEvent.objects.get(action="not_applicable_deleted").actor == body_admin


def test_a_missing_reason_or_an_unknown_item_is_refused(body_admin, dossier):
    client = bearer(body_admin)
    item = appraisal_items(dossier.criteria_set)[0]

    no_reason = client.post(EXEMPTIONS, payload(dossier, item.code, reason="  "), format="json")
    unknown = client.post(EXEMPTIONS, payload(dossier, "9.9.9"), format="json")

    assert refusal(no_reason, "reason") == "Trường này không được để trống."
    assert "9.9.9" in refusal(unknown, "item_code")
    assert not NotApplicableItem.objects.exists()


def test_a_unit_of_another_body_is_refused(body_admin, dossier, other_body):
    foreign = UnitFactory(body=other_body, group=UnitGroupFactory(body=other_body))
    item = appraisal_items(dossier.criteria_set)[0]

    response = bearer(body_admin).post(
        EXEMPTIONS, {**payload(dossier, item.code), "unit": foreign.pk}, format="json"
    )

    assert refusal(response, "unit") == "Đơn vị không thuộc cơ quan đánh giá này."
    assert not NotApplicableItem.objects.exists()


def test_a_published_result_keeps_its_exemptions(body_admin, dossier):
    items = appraisal_items(dossier.criteria_set)
    mark_not_applicable(item=items[1], unit=dossier.unit, reason="Cũ")
    row = NotApplicableItem.objects.get()
    set_status(dossier, Status.PUBLISHED)
    client = bearer(body_admin)

    marked = client.post(EXEMPTIONS, payload(dossier, items[0].code), format="json")
    unmarked = client.delete(delete_url(row))

    assert "đã được công bố" in refusal(marked, None)
    assert "đã được công bố" in refusal(unmarked, None)
    assert list(NotApplicableItem.objects.values_list("item_id", "reason")) == [(items[1].pk, "Cũ")]
    assert not AuditEvent.objects.filter(action__startswith="not_applicable").exists()


def test_another_bodys_admin_gets_404(outsider, dossier):
    item = appraisal_items(dossier.criteria_set)[0]
    mark_not_applicable(item=item, unit=dossier.unit, reason="Cũ")
    client = bearer(outsider)

    assert client.get(EXEMPTIONS, {"period": dossier.period_id}).status_code == 404
    assert client.post(EXEMPTIONS, payload(dossier, item.code), format="json").status_code == 404
    assert client.delete(delete_url(NotApplicableItem.objects.get())).status_code == 404
    assert NotApplicableItem.objects.count() == 1


def test_the_exemption_list_takes_a_fixed_number_of_queries(
    body, body_admin, dossier, django_assert_max_num_queries
):
    items = appraisal_items(dossier.criteria_set)
    client = bearer(body_admin)
    client.get(EXEMPTIONS, {"period": dossier.period_id})
    for item in items:
        mark_not_applicable(item=item, unit=dossier.unit, reason="Không có")

    with django_assert_max_num_queries(7):
        response = client.get(EXEMPTIONS, {"period": dossier.period_id})

    assert response.json()["count"] == len(items) > 3
