"""The units and groups pages over HTTP: the body administrator's own body only, bad input shown again, one
create per submission key, and list pages whose query count does not grow with the rows."""

import re

import pytest
from django.urls import reverse

from scoring.models import AuditEvent, Role, Unit, UnitGroup, UnitLineage
from tests.scoring.factories import RoleAssignmentFactory, UnitFactory, UnitGroupFactory, UserFactory


def _login(client, user):
    client.force_login(user)
    return client


def _pages(unit, group):
    # The body is named in the query: another body's administrator has a list of their own (without it).
    q = f"?body={unit.body.code}"
    return [
        ("get", reverse("units:list") + q, {}),
        ("get", reverse("units:create") + q, {}),
        ("get", reverse("units:group_create") + q, {}),
        ("get", reverse("units:lineage_create") + q, {}),
        ("post", reverse("units:create") + q, {"code": "x", "name": "x", "group": group.pk}),
        ("post", reverse("units:group_create") + q, {"code": "x", "name": "x", "order": 1}),
        ("get", reverse("units:detail", args=[unit.pk]), {}),
        ("get", reverse("units:group_edit", args=[group.pk]), {}),
        ("post", reverse("units:rename", args=[unit.pk]), {"name": "X", "from_year": 2025}),
        ("post", reverse("units:edit", args=[unit.pk]), {"group": group.pk}),
        ("post", reverse("units:active", args=[unit.pk]), {"active": "0"}),
        ("post", reverse("units:group_edit", args=[group.pk]), {"name": "X", "order": 1}),
    ]


def test_every_page_answers_the_body_admin(client, body_admin, unit, departments):
    _login(client, body_admin)
    for method, url, _data in _pages(unit, departments):
        if method == "get":
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["outsider", "unit_officer", "appraiser", "viewer"])
def test_everyone_else_gets_404_and_changes_nothing(client, request, persona, unit, departments):
    _login(client, request.getfixturevalue(persona))
    for method, url, data in _pages(unit, departments):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (persona, url)
    unit.refresh_from_db()
    departments.refresh_from_db()
    assert (unit.name, unit.active_to, departments.name) == ("Sở Nội vụ", None, "Sở, ban, ngành")
    assert not AuditEvent.objects.filter(action__startswith="unit").exists()


def test_other_body_named_in_the_query_is_404(client, body_admin, other_body):
    _login(client, body_admin)
    assert client.get(reverse("units:list"), {"body": other_body.code}).status_code == 404
    assert client.post(f"{reverse('units:create')}?body={other_body.code}", {}).status_code == 404


def test_anonymous_is_sent_to_login(client, unit):
    response = client.get(reverse("units:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_shows_groups_units_kind_and_people(client, body_admin, unit, unit_officer, unit_head, body):
    from scoring.models import UnitKind

    unit.kind = UnitKind.objects.create(body=body, code="so", name="Sở chuyên môn")
    unit.save()
    html = _login(client, body_admin).get(reverse("units:list")).content.decode()
    row = re.search(r'data-testid="unit-so-noi-vu">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert "Sở chuyên môn" in cells[2] and "Đang hoạt động" in cells[3]
    assert cells[4:] == ["1", "1"]


def test_list_query_count_does_not_grow_with_units(
    client, body_admin, body, departments, django_assert_max_num_queries
):
    _login(client, body_admin)
    client.get(reverse("units:list"))  # session and caches warm
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("units:list"))
    for n in range(30):
        group = UnitGroupFactory(body=body, order=n + 2)
        unit = UnitFactory(body=body, group=group)
        RoleAssignmentFactory(user=UserFactory(), body=body, role=Role.UNIT_OFFICER, unit=unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("units:list"))
    assert response.content.decode().count('data-testid="unit-') == 30


def test_create_unit(client, body_admin, body, departments):
    _login(client, body_admin)
    page = client.get(reverse("units:create")).content.decode()
    assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', page)
    data = {"code": "so-y-te", "name": "Sở Y tế", "group": departments.pk, "submission_key": "a" * 32}
    response = client.post(reverse("units:create"), data)
    created = Unit.objects.get(body=body, code="so-y-te")
    assert response.status_code == 302 and response["Location"] == reverse("units:detail", args=[created.pk])
    # A double click sends the same key again: nothing more is created.
    again = client.post(reverse("units:create"), data)
    assert again.status_code == 302
    assert Unit.objects.filter(body=body).count() == 1
    assert AuditEvent.objects.filter(action="unit_created").count() == 1


def test_duplicate_code_refused_clearly_and_redisplayed(client, body_admin, unit, departments):
    _login(client, body_admin)
    data = {"code": unit.code, "name": "Tên đã gõ", "group": departments.pk}
    response = client.post(reverse("units:create"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Mã đơn vị “so-noi-vu” đã được dùng trong cơ quan này." in html
    assert 'value="Tên đã gõ"' in html
    assert Unit.objects.count() == 1


def test_bad_code_refused(client, body_admin, departments):
    response = _login(client, body_admin).post(
        reverse("units:create"), {"code": "Sở Y tế", "name": "Sở Y tế", "group": departments.pk}
    )
    assert response.status_code == 400 and not Unit.objects.exists()


def test_rename_shows_the_history(client, body_admin, unit):
    _login(client, body_admin)
    response = client.post(
        reverse("units:rename", args=[unit.pk]), {"name": "Sở Nội vụ mới", "from_year": 2025}
    )
    assert response.status_code == 302
    html = client.get(reverse("units:detail", args=[unit.pk])).content.decode()
    history = re.search(r'data-testid="name-history">(.*?)</table>', html, re.S).group(1)
    assert re.search(r"Sở Nội vụ</td><td>—</td><td>2024", history)
    assert re.search(r"Sở Nội vụ mới</td><td>2025</td><td>nay", history)


def test_rename_to_the_same_name_refused(client, body_admin, unit):
    response = _login(client, body_admin).post(
        reverse("units:rename", args=[unit.pk]), {"name": unit.name, "from_year": 2025}
    )
    assert response.status_code == 400
    assert "Tên mới trùng với tên hiện tại." in response.content.decode()
    assert not AuditEvent.objects.filter(action="unit_renamed").exists()


def test_move_deactivate_reactivate(client, body_admin, body, unit):
    districts = UnitGroupFactory(body=body, name="UBND cấp huyện")
    _login(client, body_admin)
    assert client.post(reverse("units:edit", args=[unit.pk]), {"group": districts.pk}).status_code == 302
    assert (
        client.post(reverse("units:active", args=[unit.pk]), {"active": "0", "on": "2025-12-31"}).status_code
        == 302
    )
    unit.refresh_from_db()
    assert unit.group == districts and str(unit.active_to) == "2025-12-31"
    assert client.post(reverse("units:active", args=[unit.pk]), {"active": "1"}).status_code == 302
    unit.refresh_from_db()
    assert unit.active_to is None


def test_move_to_another_bodys_group_refused(client, body_admin, unit, other_body):
    foreign = UnitGroupFactory(body=other_body)
    response = _login(client, body_admin).post(reverse("units:edit", args=[unit.pk]), {"group": foreign.pk})
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.group != foreign


def test_group_create_edit_and_duplicate(client, body_admin, body, departments):
    _login(client, body_admin)
    data = {"code": "huyen", "name": "UBND cấp huyện", "order": 2, "submission_key": "b" * 32}
    assert client.post(reverse("units:group_create"), data).status_code == 302
    assert client.post(reverse("units:group_create"), data).status_code == 302  # same key: once
    assert UnitGroup.objects.filter(body=body).count() == 2
    duplicate = client.post(
        reverse("units:group_create"), {"code": "khac", "name": "UBND cấp huyện", "order": 3}
    )
    assert duplicate.status_code == 400 and "đã có trong cơ quan này" in duplicate.content.decode()
    response = client.post(
        reverse("units:group_edit", args=[departments.pk]), {"name": "Sở, ngành", "order": 9}
    )
    assert response.status_code == 302
    departments.refresh_from_db()
    assert (departments.name, departments.order) == ("Sở, ngành", 9)


def test_merger_and_cycle_refusal(client, body_admin, body, unit, other_unit):
    _login(client, body_admin)
    url = reverse("units:lineage_create")
    data = {
        "kind": "merger",
        "sources": [other_unit.pk],
        "targets": [unit.pk],
        "effective_on": "2025-03-01",
        "end_sources": "on",
        "submission_key": "c" * 32,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # same key: once
    assert UnitLineage.objects.count() == 1
    assert list(unit.predecessors.all()) == [other_unit]
    back = {**data, "sources": [unit.pk], "targets": [other_unit.pk], "submission_key": "d" * 32}
    response = client.post(url, back)
    html = response.content.decode()
    assert response.status_code == 400 and "vòng lặp" in html
    assert UnitLineage.objects.count() == 1
    assert "Sáp nhập" in client.get(reverse("units:detail", args=[unit.pk])).content.decode()


def test_lineage_with_another_bodys_unit_refused(client, body_admin, unit, other_body):
    foreign = UnitFactory(body=other_body)
    response = _login(client, body_admin).post(
        reverse("units:lineage_create"),
        {"kind": "merger", "sources": [foreign.pk], "targets": [unit.pk], "effective_on": "2025-03-01"},
    )
    assert response.status_code == 400 and not UnitLineage.objects.exists()


def test_nav_link_for_body_admin_only(client, body_admin, unit_officer):
    assert 'data-testid="nav-units"' in _login(client, body_admin).get(reverse("units:list")).content.decode()
    client.logout()
    html = _login(client, unit_officer).get(reverse("home")).content.decode()
    assert 'data-testid="nav-units"' not in html
