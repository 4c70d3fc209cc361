"""/api/v1/people/ and /role-assignments/: invite, roles, deactivate, password resets, as on the people pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.urls import reverse

from scoring.models import AuditEvent, Role, RoleAssignment, User
from tests.scoring.factories import RoleAssignmentFactory, UnitFactory, UnitGroupFactory, UserFactory

from .helpers import bearer, refusal

PEOPLE = reverse("people-list-api")


def url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


def test_invite_creates_the_account_and_sends_the_set_password_link(
    body, body_admin, unit, django_capture_on_commit_callbacks
):
    payload = {
        "body": body.code,
        "email": "canbo.moi@laichau.gov.vn",
        "full_name": "Lò Văn Mới",
        "role": Role.UNIT_OFFICER,
        "unit": unit.pk,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = bearer(body_admin).post(PEOPLE, payload, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["created"] is True
    user = User.objects.get(pk=response.json()["id"])
    assert user.username == "canbo.moi" and not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, unit=unit, role=Role.UNIT_OFFICER).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["canbo.moi@laichau.gov.vn"]
    assert "http://testserver/" in mail.outbox[0].body
    assert AuditEvent.objects.get(action="user_invite").actor == body_admin


def test_a_unit_role_for_another_bodys_unit_is_refused_like_a_missing_unit(body, body_admin, other_body):
    foreign = UnitFactory(body=other_body, group=UnitGroupFactory(body=other_body))
    client = bearer(body_admin)
    payload = {"body": body.code, "email": "a@b.vn", "full_name": "A", "role": Role.UNIT_OFFICER}

    foreign_unit = client.post(PEOPLE, {**payload, "unit": foreign.pk}, format="json")
    missing_unit = client.post(PEOPLE, {**payload, "unit": 999999}, format="json")

    assert refusal(foreign_unit, "unit") == refusal(missing_unit, "unit")
    assert refusal(foreign_unit, "unit") == "Đơn vị không thuộc cơ quan đánh giá này."
    assert not User.objects.filter(email="a@b.vn").exists() and mail.outbox == []


def test_invite_refuses_a_bad_email_a_unit_role_without_unit_and_a_taken_username(
    body, body_admin, unit_officer
):
    client = bearer(body_admin)
    base = {"body": body.code, "full_name": "A", "role": Role.VIEWER}

    bad_email = client.post(PEOPLE, {**base, "email": "không-phải-email"}, format="json")
    no_unit = client.post(PEOPLE, {**base, "email": "x@y.vn", "role": Role.UNIT_HEAD}, format="json")
    taken = client.post(PEOPLE, {**base, "email": "z@y.vn", "username": unit_officer.username}, format="json")

    assert refusal(bad_email, "email") == "Hãy nhập một địa chỉ email hợp lệ."
    assert "hãy chọn đơn vị" in refusal(no_unit, "unit")
    assert "đã có người dùng" in refusal(taken, "username")
    assert not User.objects.filter(email__in=["x@y.vn", "z@y.vn"]).exists()


def test_people_are_listed_with_their_roles_and_filtered(body, body_admin, unit_officer, viewer, unit):
    client = bearer(body_admin)

    everyone = client.get(PEOPLE, {"body": body.code}).json()
    officers = client.get(PEOPLE, {"body": body.code, "role": Role.UNIT_OFFICER}).json()
    of_unit = client.get(PEOPLE, {"body": body.code, "unit": unit.pk}).json()

    assert {p["username"] for p in everyone["results"]} == {"admin-snv", "canbo-snv", "xem"}
    assert [p["username"] for p in officers["results"]] == ["canbo-snv"]
    assert officers["results"][0]["roles"][0]["unit"] == unit.pk
    assert [p["username"] for p in of_unit["results"]] == ["canbo-snv"]
    viewer.is_active = False
    viewer.save()
    inactive = client.get(PEOPLE, {"body": body.code, "active": "false"}).json()
    assert [p["username"] for p in inactive["results"]] == ["xem"]


def test_roles_are_added_listed_and_revoked(body, body_admin, viewer, unit):
    client = bearer(body_admin)

    added = client.post(
        url("person-roles-api", viewer.pk),
        {"body": body.code, "role": Role.UNIT_HEAD, "unit": unit.pk},
        format="json",
    )
    duplicate = client.post(
        url("person-roles-api", viewer.pk),
        {"body": body.code, "role": Role.UNIT_HEAD, "unit": unit.pk},
        format="json",
    )

    assert added.status_code == 201, added.content
    assert "đã có vai trò này" in refusal(duplicate, "role")
    roles = client.get(url("person-roles-api", viewer.pk), {"body": body.code}).json()
    assert {r["role"] for r in roles} == {Role.VIEWER, Role.UNIT_HEAD}
    removed = client.delete(url("role-assignment-api", added.json()["id"]))
    assert removed.status_code == 204
    assert not RoleAssignment.objects.filter(pk=added.json()["id"]).exists()
    assert AuditEvent.objects.filter(action="role_remove", actor=body_admin).exists()


def test_the_last_admin_role_cannot_be_revoked(body, body_admin):
    own = RoleAssignment.objects.get(user=body_admin, role=Role.BODY_ADMIN)

    response = bearer(body_admin).delete(url("role-assignment-api", own.pk))

    assert "ít nhất một quản trị" in refusal(response, None)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_deactivate_an_account_of_this_body_and_reactivate_it(body, body_admin, viewer):
    client = bearer(body_admin)

    off = client.post(url("person-deactivate-api", viewer.pk), {"body": body.code}, format="json")
    viewer.refresh_from_db()
    assert off.json() == {"account_deactivated": True} and not viewer.is_active

    on = client.post(url("person-reactivate-api", viewer.pk), {"body": body.code}, format="json")
    viewer.refresh_from_db()
    assert on.status_code == 200 and on.json()["is_active"] is True and viewer.is_active
    actions = set(AuditEvent.objects.filter(actor=body_admin).values_list("action", flat=True))
    assert {"user_deactivate", "user_reactivate"} <= actions


def test_an_account_of_several_bodies_only_loses_this_bodys_roles(body, body_admin, other_body, viewer):
    RoleAssignmentFactory(user=viewer, body=other_body, role=Role.VIEWER)

    response = bearer(body_admin).post(
        url("person-deactivate-api", viewer.pk), {"body": body.code}, format="json"
    )

    assert response.json() == {"account_deactivated": False}
    viewer.refresh_from_db()
    assert viewer.is_active and list(viewer.roles.values_list("body", flat=True)) == [other_body.pk]


def test_the_admin_cannot_deactivate_themself(body, body_admin):
    response = bearer(body_admin).post(url("person-deactivate-api", body_admin.pk), {"body": body.code})

    assert "chính mình" in refusal(response, None)


def test_password_reset_by_link_or_temporary_password(
    body, body_admin, viewer, django_capture_on_commit_callbacks
):
    client = bearer(body_admin)
    reset = url("person-password-reset-api", viewer.pk)

    with django_capture_on_commit_callbacks(execute=True):
        link = client.post(reset, {"body": body.code, "mode": "link"}, format="json")
    temporary = client.post(reset, {"body": body.code, "mode": "temporary"}, format="json")

    assert link.status_code == 200 and link.json()["temporary_password"] is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [viewer.email]
    assert temporary.status_code == 200 and "no-store" in temporary["Cache-Control"]
    viewer.refresh_from_db()
    assert viewer.must_change_password
    assert check_password(temporary.json()["temporary_password"], viewer.password)
    assert AuditEvent.objects.filter(action="password_temporary_set", actor=body_admin).exists()


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "person-detail-api", {"body": "lai-chau"}),
        ("post", "person-deactivate-api", {"body": "lai-chau"}),
        ("post", "person-password-reset-api", {"body": "lai-chau", "mode": "temporary"}),
        ("post", "person-roles-api", {"body": "lai-chau", "role": "viewer"}),
    ],
)
def test_another_bodys_admin_gets_404_for_this_bodys_people(viewer, outsider, method, name, data):
    response = getattr(bearer(outsider), method)(url(name, viewer.pk), data, format="json")

    assert response.status_code == 404
    viewer.refresh_from_db()
    assert viewer.is_active and not viewer.must_change_password


def test_another_bodys_admin_cannot_reach_this_bodys_people_through_their_own_body(
    body, other_body, outsider, viewer
):
    """Naming their own body does not let them act on a person who holds no role there."""
    response = bearer(outsider).post(
        url("person-deactivate-api", viewer.pk), {"body": other_body.code}, format="json"
    )

    assert response.status_code == 404
    own_role = RoleAssignment.objects.get(user=viewer)
    assert bearer(outsider).delete(url("role-assignment-api", own_role.pk)).status_code == 404
    assert RoleAssignment.objects.filter(pk=own_role.pk).exists()


def test_the_people_list_takes_a_fixed_number_of_queries(
    body, body_admin, unit, django_assert_max_num_queries
):
    client = bearer(body_admin)
    client.get(PEOPLE, {"body": body.code})
    for _ in range(30):
        RoleAssignmentFactory(user=UserFactory(), body=body, role=Role.UNIT_OFFICER, unit=unit)

    # Token, administered bodies, the body, the login locks, the people, their roles (measured at 1 and 31).
    with django_assert_max_num_queries(8):
        response = client.get(PEOPLE, {"body": body.code})

    assert response.json()["count"] == 31
