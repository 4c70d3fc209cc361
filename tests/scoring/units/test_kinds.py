"""Unit kinds of the body administrator (/quan-ly/don-vi/loai/): list, create, rename, delete when unused; each
change audited; a duplicate code refused with a clear message; another body's kinds 404; a unit's kind chosen on
its own create and edit forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from scoring.models import AuditEvent, Unit, UnitKind
from scoring.units import services
from tests.scoring.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(body):
    return UnitKind.objects.create(body=body, code="so", name="Sở")


def _list(body) -> str:
    return f"{reverse('units:kind_list')}?body={body.code}"


def _create(body) -> str:
    return f"{reverse('units:kind_create')}?body={body.code}"


def _kind_pages(kind):
    return [
        ("get", _list(kind.body), {}),
        ("get", _create(kind.body), {}),
        ("post", _create(kind.body), {"code": "xa", "name": "UBND xã"}),
        ("get", reverse("units:kind_edit", args=[kind.pk]), {}),
        ("post", reverse("units:kind_edit", args=[kind.pk]), {"name": "Đổi"}),
        ("post", reverse("units:kind_delete", args=[kind.pk]), {}),
    ]


@pytest.mark.parametrize("persona", ["outsider", "unit_officer", "unit_head", "appraiser", "viewer"])
def test_everyone_but_the_bodys_administrator_gets_404_and_changes_nothing(client, request, persona, kind):
    client.force_login(request.getfixturevalue(persona))
    for method, url, data in _kind_pages(kind):
        assert getattr(client, method)(url, data).status_code == 404, (persona, method, url)
    assert list(UnitKind.objects.values_list("code", "name")) == [("so", "Sở")]
    assert not AuditEvent.objects.filter(action__startswith="unit_kind").exists()


def test_the_body_admin_and_a_superuser_get_every_page(client, admin_client, body_admin, kind):
    client.force_login(body_admin)
    for user_client in (client, admin_client):
        for method, url, _data in _kind_pages(kind):
            if method == "get":
                assert user_client.get(url).status_code == 200, url


def test_the_services_refuse_an_actor_who_does_not_administer_the_body(kind, outsider):
    with pytest.raises(PermissionDenied):
        services.unit_kind_create(actor=outsider, body=kind.body, code="xa", name="UBND xã")
    with pytest.raises(PermissionDenied):
        services.unit_kind_delete(actor=outsider, kind=kind)


def test_create_rename_and_delete_each_write_an_audit_row(client, body, body_admin):
    client.force_login(body_admin)
    response = client.post(_create(body), {"code": "ubnd-xa", "name": "UBND xã", "submission_key": "k1"})
    assert response.status_code == 302 and response.url == _list(body)
    kind = UnitKind.objects.get(body=body, code="ubnd-xa")
    assert (
        client.post(reverse("units:kind_edit", args=[kind.pk]), {"name": "UBND xã, phường"}).status_code
        == 302
    )
    kind.refresh_from_db()
    assert kind.name == "UBND xã, phường"
    assert client.post(reverse("units:kind_delete", args=[kind.pk])).status_code == 302
    assert not UnitKind.objects.filter(pk=kind.pk).exists()
    rows = list(
        AuditEvent.objects.filter(action__startswith="unit_kind")
        .order_by("pk")
        .values_list("action", "old_value", "new_value", "actor")
    )
    assert rows == [
        ("unit_kind_created", "", "UBND xã", body_admin.pk),
        ("unit_kind_updated", "UBND xã", "UBND xã, phường", body_admin.pk),
        ("unit_kind_deleted", "UBND xã, phường", "", body_admin.pk),
    ]
    log = client.get(reverse("audit:log")).content.decode()
    assert "Thêm loại đơn vị" in log and "Xoá loại đơn vị" in log


def test_a_double_submit_creates_once(client, body, body_admin):
    client.force_login(body_admin)
    data = {"code": "xa", "name": "UBND xã", "submission_key": "same-key"}
    client.post(_create(body), data)
    client.post(_create(body), data)
    assert UnitKind.objects.filter(body=body, code="xa").count() == 1


def test_a_duplicate_code_is_refused_clearly_shown_again_and_nothing_added(client, body, body_admin, kind):
    client.force_login(body_admin)
    response = client.post(_create(body), {"code": "so", "name": "Sở khác", "submission_key": "k2"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mã loại đơn vị “so” đã có trong cơ quan này" in page and 'value="Sở khác"' in page
    assert UnitKind.objects.filter(body=body).count() == 1
    assert not AuditEvent.objects.filter(action="unit_kind_created").exists()


def test_a_duplicate_name_and_an_empty_name_are_refused(client, body, body_admin, kind):
    client.force_login(body_admin)
    other = UnitKind.objects.create(body=body, code="huyen", name="UBND huyện")
    response = client.post(reverse("units:kind_edit", args=[other.pk]), {"name": "Sở"})
    assert response.status_code == 400 and "Tên loại đơn vị “Sở” đã có" in response.content.decode()
    response = client.post(reverse("units:kind_edit", args=[other.pk]), {"name": "   "})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.name == "UBND huyện"


def test_the_same_code_in_another_body_is_allowed(body, other_body, body_admin, outsider, kind):
    services.unit_kind_create(actor=outsider, body=other_body, code="so", name="Sở")
    assert UnitKind.objects.filter(code="so").count() == 2


def test_a_kind_in_use_is_not_deleted_and_the_reason_is_shown(client, body, body_admin, departments, kind):
    UnitFactory(body=body, group=departments, kind=kind, active_to="2024-12-31")  # a closed unit counts too
    client.force_login(body_admin)
    response = client.post(reverse("units:kind_delete", args=[kind.pk]), follow=True)
    assert "Không xoá được loại “Sở”: còn 1 đơn vị thuộc loại này" in response.content.decode()
    assert UnitKind.objects.filter(pk=kind.pk).exists()
    assert not AuditEvent.objects.filter(action="unit_kind_deleted").exists()


def test_a_units_kind_is_chosen_on_its_create_and_edit_forms_among_the_bodys_kinds(
    client, body, other_body, body_admin, departments, unit, kind
):
    foreign = UnitKind.objects.create(body=other_body, code="xa", name="Xã của Điện Biên")
    client.force_login(body_admin)
    page = client.get(_create(body).replace("loai/", "")).content.decode()
    assert f'value="{kind.pk}"' in page and f'value="{foreign.pk}"' not in page
    data = {
        "code": "so-moi",
        "name": "Sở Mới",
        "group": departments.pk,
        "kind": kind.pk,
        "submission_key": "u1",
    }
    assert client.post(f"{reverse('units:create')}?body={body.code}", data).status_code == 302
    assert Unit.objects.get(code="so-moi").kind == kind
    response = client.post(
        reverse("units:edit", args=[unit.pk]), {"group": departments.pk, "kind": foreign.pk}
    )
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.kind is None


def test_the_list_shows_each_kind_with_its_units_and_its_queries_do_not_grow(
    client, body, body_admin, departments, kind, django_assert_max_num_queries
):
    client.force_login(body_admin)
    UnitFactory(body=body, group=departments, kind=kind)
    client.get(_list(body))
    with django_assert_max_num_queries(10) as few:
        page = client.get(_list(body)).content.decode()
    assert 'data-testid="kind-so"' in page
    for n in range(8):
        other = UnitKind.objects.create(body=body, code=f"k{n}", name=f"Loại {n}")
        UnitFactory(body=body, group=departments, kind=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_list(body)).status_code == 200
