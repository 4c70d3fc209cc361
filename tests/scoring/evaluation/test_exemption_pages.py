"""The body administrator's page of items not applicable to one unit: mark with a reason, unmark, scale recomputed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import AuditEvent, NotApplicableItem
from scoring.workflow import Status
from tests.appraisal.helpers import set_status, submitted_assessment
from tests.scoring.assessment_helpers import appraisal_items, leaf_items, mark_not_applicable
from tests.scoring.factories import UnitFactory


@pytest.fixture
def dossier(unit):
    return submitted_assessment(unit=unit, status=Status.SELF_ASSESSMENT)


def _url(dossier):
    return reverse("scoring:unit_exemptions", args=[dossier.period_id, dossier.unit_id])


def _mark(client, dossier, item, reason="Đơn vị không có đơn vị sự nghiệp", key="k1"):
    return client.post(_url(dossier), {"item": item.pk, "reason": reason, "submission_key": key})


def _full(dossier) -> Decimal:
    return sum((i.max_points for i in leaf_items(dossier.criteria_set)), Decimal(0))


def test_marking_an_item_lowers_the_units_scale_and_is_audited(client, body_admin, dossier):
    item = appraisal_items(dossier.criteria_set)[0]
    client.force_login(body_admin)
    before = client.get(_url(dossier))
    assert before.context["data"].scale_max == _full(dossier)

    response = _mark(client, dossier, item)

    assert response.status_code == 302
    row = NotApplicableItem.objects.get(item=item, unit=dossier.unit)
    assert row.reason == "Đơn vị không có đơn vị sự nghiệp"
    event = AuditEvent.objects.get(action="not_applicable_saved")
    assert event.actor == body_admin and event.unit == dossier.unit and event.item_code == item.code
    assert "Đơn vị không có đơn vị sự nghiệp" in event.new_value
    after = client.get(_url(dossier))
    assert after.context["data"].scale_max == _full(dossier) - item.max_points
    assert after.context["data"].exempt_max == item.max_points


def test_a_double_submit_marks_once(client, body_admin, dossier):
    item = appraisal_items(dossier.criteria_set)[0]
    client.force_login(body_admin)
    _mark(client, dossier, item, key="same")
    _mark(client, dossier, item, key="same")

    assert NotApplicableItem.objects.filter(item=item).count() == 1
    assert AuditEvent.objects.filter(action="not_applicable_saved").count() == 1


def test_unmarking_counts_the_item_again_and_is_audited(client, body_admin, dossier):
    item = appraisal_items(dossier.criteria_set)[1]
    mark_not_applicable(item=item, unit=dossier.unit, reason="Cũ")
    row = NotApplicableItem.objects.get()
    client.force_login(body_admin)

    response = client.post(
        reverse("scoring:unit_exemption_delete", args=[dossier.period_id, dossier.unit_id, row.pk])
    )

    assert response.status_code == 302
    assert not NotApplicableItem.objects.exists()
    assert AuditEvent.objects.get(action="not_applicable_deleted").old_value.endswith("Cũ")
    assert client.get(_url(dossier)).context["data"].scale_max == _full(dossier)


def test_a_blank_reason_is_refused_with_a_message_and_nothing_changes(client, body_admin, dossier):
    item = appraisal_items(dossier.criteria_set)[0]
    client.force_login(body_admin)

    response = _mark(client, dossier, item, reason="   ")

    assert response.status_code == 200
    assert "Hãy ghi lý do không đánh giá tiêu chí." in response.content.decode()
    assert not NotApplicableItem.objects.exists()
    assert not AuditEvent.objects.filter(action="not_applicable_saved").exists()


def test_a_published_result_refuses_marking_and_unmarking_with_the_reason(client, body_admin, dossier):
    items = appraisal_items(dossier.criteria_set)
    mark_not_applicable(item=items[1], unit=dossier.unit, reason="Cũ")
    row = NotApplicableItem.objects.get()
    set_status(dossier, Status.PUBLISHED)
    client.force_login(body_admin)

    page = client.get(_url(dossier)).content.decode()
    assert "đã được công bố" in page
    marked = _mark(client, dossier, items[0], reason="Lý do đã gõ")
    unmarked = client.post(
        reverse("scoring:unit_exemption_delete", args=[dossier.period_id, dossier.unit_id, row.pk])
    )

    assert "đã được công bố" in marked.content.decode()
    assert "Lý do đã gõ" in marked.content.decode()  # what was typed is shown again
    assert unmarked.status_code == 302
    assert list(NotApplicableItem.objects.values_list("item_id", "reason")) == [(items[1].pk, "Cũ")]
    assert not AuditEvent.objects.filter(action__startswith="not_applicable").exists()


def test_another_bodys_administrator_and_other_roles_get_404_everywhere(client, request, dossier, outsider):
    item = appraisal_items(dossier.criteria_set)[0]
    mark_not_applicable(item=appraisal_items(dossier.criteria_set)[1], unit=dossier.unit, reason="Cũ")
    row = NotApplicableItem.objects.get()
    delete_url = reverse("scoring:unit_exemption_delete", args=[dossier.period_id, dossier.unit_id, row.pk])
    for persona in (outsider, request.getfixturevalue("unit_officer"), request.getfixturevalue("appraiser")):
        client.force_login(persona)
        assert client.get(reverse("scoring:exemptions_index")).status_code == 404
        assert client.get(_url(dossier)).status_code == 404
        assert _mark(client, dossier, item, key=f"k-{persona.pk}").status_code == 404
        assert client.post(delete_url).status_code == 404
    assert list(NotApplicableItem.objects.values_list("reason", flat=True)) == ["Cũ"]
    assert not AuditEvent.objects.filter(action__startswith="not_applicable").exists()


def test_a_unit_of_another_body_or_an_item_of_another_set_is_404(client, body_admin, dossier, other_body):
    client.force_login(body_admin)
    foreign_unit = UnitFactory(body=other_body)
    assert (
        client.get(reverse("scoring:unit_exemptions", args=[dossier.period_id, foreign_unit.pk])).status_code
        == 404
    )
    other = submitted_assessment(unit=UnitFactory(body=other_body), status=Status.SELF_ASSESSMENT)
    assert _mark(client, dossier, appraisal_items(other.criteria_set)[0]).status_code == 404
    assert not NotApplicableItem.objects.exists()


def test_the_index_leads_to_the_unit_page(client, body_admin, dossier):
    client.force_login(body_admin)
    page = client.get(reverse("scoring:exemptions_index"))
    assert dossier.unit.name in page.content.decode()
    chosen = client.get(
        reverse("scoring:exemptions_index"), {"period": dossier.period_id, "unit": dossier.unit_id}
    )
    assert chosen["Location"] == _url(dossier)


def test_the_page_reads_a_fixed_number_of_queries_however_many_exemptions(
    client, body_admin, dossier, django_assert_max_num_queries
):
    items = appraisal_items(dossier.criteria_set)
    mark_not_applicable(item=items[0], unit=dossier.unit)
    client.force_login(body_admin)
    with django_assert_max_num_queries(20) as few:
        client.get(_url(dossier))
    for item in items[1:]:
        mark_not_applicable(item=item, unit=dossier.unit)
    expected = _full(dossier) - sum((i.max_points for i in items), Decimal(0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(_url(dossier))
    assert page.context["data"].scale_max == expected
    assert page.content.decode().count("Bỏ đánh dấu") >= len(items)
