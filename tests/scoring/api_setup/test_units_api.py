"""/api/v1/unit-groups/, /unit-kinds/, /units/: the unit pages' operations over the API, with their refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from scoring.models import AuditEvent, Unit, UnitGroup, UnitKind, UnitLineage, UnitName
from tests.scoring.factories import UnitFactory, UnitGroupFactory

from .helpers import bearer, refusal

GROUPS = reverse("unit-group-list-api")
KINDS = reverse("unit-kind-list-api")
UNITS = reverse("unit-list-api")


def url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


# --- groups ----------------------------------------------------------------------------------------------


def test_the_admin_creates_lists_and_updates_groups(body, body_admin, departments):
    client = bearer(body_admin)

    created = client.post(GROUPS, {"body": body.code, "code": "huyen", "name": "UBND huyện", "order": 2})

    assert created.status_code == 201, created.content
    group = UnitGroup.objects.get(body=body, code="huyen")
    assert created.json() == {
        "id": group.pk,
        "body": body.code,
        "code": "huyen",
        "name": "UBND huyện",
        "order": 2,
    }
    event = AuditEvent.objects.get(action="unit_group_created")
    assert event.actor == body_admin
    listed = client.get(GROUPS, {"body": body.code}).json()
    assert listed["count"] == 2 and [g["code"] for g in listed["results"]] == ["so-ban-nganh", "huyen"]

    updated = client.patch(url("unit-group-detail-api", group.pk), {"name": "UBND cấp huyện"}, format="json")

    assert updated.status_code == 200 and updated.json()["name"] == "UBND cấp huyện"
    assert updated.json()["order"] == 2
    assert AuditEvent.objects.filter(action="unit_group_updated", actor=body_admin).count() == 1


def test_a_duplicate_group_code_or_name_is_refused_and_nothing_is_created(body, body_admin, departments):
    client = bearer(body_admin)

    same_code = client.post(GROUPS, {"body": body.code, "code": departments.code, "name": "Khác"})
    same_name = client.post(GROUPS, {"body": body.code, "code": "khac", "name": departments.name})

    assert "đã có trong cơ quan này" in refusal(same_code, "code")
    assert "đã có trong cơ quan này" in refusal(same_name, "name")
    assert UnitGroup.objects.filter(body=body).count() == 1
    assert not AuditEvent.objects.filter(action="unit_group_created").exists()


def test_bad_input_is_refused_in_vietnamese_under_each_field(body, body_admin):
    response = bearer(body_admin).post(
        GROUPS, {"body": body.code, "code": "mã có dấu", "name": "X", "order": -1}
    )

    assert response.json()["errors"]["order"] == ["Giá trị nhỏ nhất là 0."]

    assert refusal(response, "code").startswith("Chỉ dùng chữ thường không dấu")
    assert not UnitGroup.objects.filter(name="X").exists()


def test_another_bodys_admin_gets_404_for_groups_and_sees_none(body, departments, outsider, other_body):
    client = bearer(outsider)

    assert client.get(url("unit-group-detail-api", departments.pk)).status_code == 404
    assert client.patch(url("unit-group-detail-api", departments.pk), {"name": "x"}).status_code == 404
    assert client.post(GROUPS, {"body": body.code, "code": "x", "name": "x"}).status_code == 404
    assert client.get(GROUPS).json()["results"] == []
    departments.refresh_from_db()
    assert departments.name == "Sở, ban, ngành"


# --- kinds -----------------------------------------------------------------------------------------------


def test_kinds_are_created_audited_listed_and_a_duplicate_code_refused(body, body_admin):
    client = bearer(body_admin)

    created = client.post(KINDS, {"body": body.code, "code": "so", "name": "Sở"})
    again = client.post(KINDS, {"body": body.code, "code": "so", "name": "Sở khác"})

    assert created.status_code == 201
    assert "đã có trong cơ quan này" in refusal(again, "code")
    assert list(UnitKind.objects.values_list("name", flat=True)) == ["Sở"]
    assert AuditEvent.objects.filter(action="unit_kind_created", actor=body_admin).count() == 1
    assert [k["code"] for k in client.get(KINDS).json()["results"]] == ["so"]


# --- units -----------------------------------------------------------------------------------------------


def test_the_admin_creates_a_unit_and_a_duplicate_code_is_refused(body, body_admin, departments, unit):
    client = bearer(body_admin)
    kind = UnitKind.objects.create(body=body, code="so", name="Sở")
    payload = {
        "body": body.code,
        "code": "so-y-te",
        "name": "Sở Y tế",
        "group": departments.pk,
        "kind": kind.pk,
    }

    created = client.post(UNITS, payload, format="json")
    duplicate = client.post(UNITS, {**payload, "code": unit.code, "name": "Trùng"}, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["kind"] == kind.pk and created.json()["active"] is True
    assert "đã được dùng" in refusal(duplicate, "code")
    assert not Unit.objects.filter(name="Trùng").exists()
    assert AuditEvent.objects.get(action="unit_created").actor == body_admin


def test_a_group_of_another_body_is_refused_like_a_missing_one(body, body_admin, other_body):
    foreign = UnitGroupFactory(body=other_body)
    client = bearer(body_admin)
    payload = {"body": body.code, "code": "x", "name": "X"}

    foreign_group = client.post(UNITS, {**payload, "group": foreign.pk}, format="json")
    missing_group = client.post(UNITS, {**payload, "group": 999999}, format="json")

    assert refusal(foreign_group, "group") == refusal(missing_group, "group")
    assert not Unit.objects.filter(code="x").exists()


def test_units_are_filtered_by_group_kind_and_activity(body, body_admin, departments, unit, other_unit):
    districts = UnitGroupFactory(body=body, code="huyen", name="Huyện")
    kind = UnitKind.objects.create(body=body, code="huyen", name="UBND huyện")
    district = UnitFactory(body=body, group=districts, kind=kind)
    Unit.objects.filter(pk=other_unit.pk).update(active_to=date(2020, 12, 31))
    client = bearer(body_admin)

    def ids(**params):
        return {u["id"] for u in client.get(UNITS, params).json()["results"]}

    assert ids(body=body.code) == {unit.pk, other_unit.pk, district.pk}
    assert ids(group=districts.pk) == {district.pk}
    assert ids(kind=kind.pk) == {district.pk}
    assert ids(active="true") == {unit.pk, district.pk}
    assert ids(active="false") == {other_unit.pk}


def test_rename_keeps_the_old_name_for_earlier_years_and_refuses_the_same_name(body_admin, unit):
    client = bearer(body_admin)

    renamed = client.post(url("unit-rename-api", unit.pk), {"name": "Sở Nội vụ mới", "from_year": 2026})
    same = client.post(url("unit-rename-api", unit.pk), {"name": "Sở Nội vụ mới", "from_year": 2027})

    assert renamed.status_code == 200 and renamed.json()["name"] == "Sở Nội vụ mới"
    assert UnitName.objects.get(unit=unit).until_year == 2025
    assert "trùng với tên hiện tại" in refusal(same, "name")
    assert AuditEvent.objects.filter(action="unit_renamed", actor=body_admin).count() == 1


def test_move_to_another_group_and_deactivate_then_reactivate(body, body_admin, unit):
    districts = UnitGroupFactory(body=body, code="huyen", name="Huyện")
    client = bearer(body_admin)

    moved = client.patch(url("unit-detail-api", unit.pk), {"group": districts.pk}, format="json")
    ended = client.post(url("unit-deactivate-api", unit.pk), {"on": "2025-12-31"}, format="json")

    assert moved.status_code == 200 and moved.json()["group"] == districts.pk
    assert ended.status_code == 200 and ended.json()["active_to"] == "2025-12-31"
    assert ended.json()["active"] is False
    back = client.post(url("unit-reactivate-api", unit.pk))
    assert back.status_code == 200 and back.json()["active_to"] is None
    actions = set(AuditEvent.objects.filter(actor=body_admin).values_list("action", flat=True))
    assert {"unit_updated", "unit_deactivated", "unit_reactivated"} <= actions


def test_a_deactivation_before_the_start_is_refused(body, body_admin, departments):
    young = UnitFactory(body=body, group=departments, active_from=date(2025, 1, 1))

    response = bearer(body_admin).post(
        url("unit-deactivate-api", young.pk), {"on": "2024-06-30"}, format="json"
    )

    assert "không được trước ngày bắt đầu" in refusal(response, "on")
    young.refresh_from_db()
    assert young.active_to is None


def test_merge_links_the_units_and_ends_the_old_ones(body, body_admin, unit, other_unit, departments):
    merged = UnitFactory(body=body, group=departments, code="so-moi", name="Sở mới")

    response = bearer(body_admin).post(
        url("unit-merge-api", merged.pk),
        {"sources": [unit.pk, other_unit.pk], "effective_on": "2025-07-01", "note": "Nghị quyết 1"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "merger" and response.json()["targets"] == [merged.pk]
    assert set(merged.predecessors.values_list("pk", flat=True)) == {unit.pk, other_unit.pk}
    unit.refresh_from_db()
    assert unit.active_to == date(2025, 6, 30)
    assert AuditEvent.objects.filter(action="unit_lineage_recorded", actor=body_admin).exists()


def test_split_and_then_a_merge_back_that_would_make_a_cycle_is_refused(body, body_admin, unit, departments):
    north, south = (UnitFactory(body=body, group=departments) for _ in range(2))
    client = bearer(body_admin)

    split = client.post(
        url("unit-split-api", unit.pk),
        {"targets": [north.pk, south.pk], "effective_on": "2025-01-01", "end_sources": False},
        format="json",
    )
    cycle = client.post(
        url("unit-merge-api", unit.pk), {"sources": [north.pk], "effective_on": "2026-01-01"}, format="json"
    )

    assert split.status_code == 201
    assert "vòng lặp" in refusal(cycle, None)
    assert UnitLineage.objects.count() == 1


def test_a_split_into_one_unit_is_refused(body_admin, unit, other_unit):
    response = bearer(body_admin).post(
        url("unit-split-api", unit.pk),
        {"targets": [other_unit.pk], "effective_on": "2025-01-01"},
        format="json",
    )

    assert "ít nhất hai đơn vị mới" in refusal(response, None)
    assert not UnitLineage.objects.exists()


def test_a_merge_with_another_bodys_unit_is_refused(body_admin, unit, other_body):
    foreign = UnitFactory(body=other_body, group=UnitGroupFactory(body=other_body))

    response = bearer(body_admin).post(
        url("unit-merge-api", unit.pk), {"sources": [foreign.pk], "effective_on": "2025-01-01"}, format="json"
    )

    assert refusal(response, "sources") == "Lựa chọn không thuộc cơ quan đánh giá này."
    assert not UnitLineage.objects.exists()


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "unit-detail-api", None),
        ("patch", "unit-detail-api", {"group": 1}),
        ("post", "unit-rename-api", {"name": "X", "from_year": 2026}),
        ("post", "unit-deactivate-api", {}),
        ("post", "unit-merge-api", {"sources": [1], "effective_on": "2025-01-01"}),
    ],
)
def test_another_bodys_admin_gets_404_on_every_unit_operation(unit, outsider, method, name, data):
    response = getattr(bearer(outsider), method)(url(name, unit.pk), data, format="json")

    assert response.status_code == 404
    unit.refresh_from_db()
    assert (unit.name, unit.active_to) == ("Sở Nội vụ", None)


def test_the_unit_list_takes_a_fixed_number_of_queries(
    body, body_admin, departments, django_assert_max_num_queries
):
    kind = UnitKind.objects.create(body=body, code="so", name="Sở")
    client = bearer(body_admin)
    client.get(UNITS)  # the token's first use is noted once; later calls do not write
    UnitFactory.create_batch(40, body=body, group=departments, kind=kind)

    # Measured 4 (token, administered bodies, count, page) at 2 and at 40 units; one spare.
    with django_assert_max_num_queries(5):
        response = client.get(UNITS, {"page_size": 100})

    assert response.json()["count"] == 40


@pytest.mark.parametrize("name", ["unit-group-list-api", "unit-kind-list-api"])
def test_the_group_and_kind_lists_take_a_fixed_number_of_queries(
    body, body_admin, name, django_assert_max_num_queries
):
    client = bearer(body_admin)
    client.get(reverse(name))
    for n in range(30):
        UnitGroupFactory(body=body, code=f"nhom-{n}", name=f"Nhóm {n}")
        UnitKind.objects.create(body=body, code=f"loai-{n}", name=f"Loại {n}")

    with django_assert_max_num_queries(6):
        response = client.get(reverse(name), {"body": body.code})

    assert response.json()["count"] == 30
