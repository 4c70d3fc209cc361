"""The people pages of a body's administrator, over HTTP: list and filters, invite, roles, deactivate, passwords."""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scoring import access
from scoring.accounts import io as users_io
from scoring.accounts.people import services as people_services
from scoring.models import AuditEvent, Role, RoleAssignment, User
from tests.conftest_constants import PASSWORD
from tests.scoring.factories import RoleAssignmentFactory, UnitFactory, UserFactory


def url(name, body, *args):
    return reverse(f"people:{name}", args=[body.code, *args])


@pytest.fixture
def admin_client(client, body_admin):
    client.force_login(body_admin)
    return client


def _counts():
    return User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count()


# --- the list ----------------------------------------------------------------------------------------------


def test_list_shows_the_bodys_people_with_roles_and_state(admin_client, body, unit_officer, outsider):
    unit_officer.is_active = False
    unit_officer.save()

    page = admin_client.get(url("list", body)).content.decode()

    assert "canbo-snv" in page and "admin-snv" in page
    assert "admin-dien-bien" not in page  # another body's people do not appear
    assert "Cán bộ đơn vị (Sở Nội vụ)" in page
    assert "Đã ngừng" in page


def test_list_filters_by_role_unit_state_and_text(admin_client, body, unit, other_unit, unit_officer, viewer):
    RoleAssignmentFactory(
        user=UserFactory(username="canbo-stp"), body=body, role=Role.UNIT_OFFICER, unit=other_unit
    )

    def names(**params):
        page = admin_client.get(url("list", body), params).content.decode()
        return set(re.findall(r'data-testid="person-([\w-]+)"', page))

    assert names(role="unit_officer") == {"canbo-snv", "canbo-stp"}
    assert names(unit=unit.pk) == {"canbo-snv"}
    assert names(role="viewer") == {"xem"}
    assert names(q="stp") == {"canbo-stp"}
    assert names(state="locked") == set()
    assert names(state="inactive") == set()


def test_list_query_count_does_not_grow_with_people(admin_client, body, unit, django_assert_max_num_queries):
    def load():
        return admin_client.get(url("list", body))

    for n in range(3):
        RoleAssignmentFactory(
            user=UserFactory(username=f"a{n}"), body=body, role=Role.UNIT_OFFICER, unit=unit
        )
    with django_assert_max_num_queries(20) as few:
        load()
    for n in range(30):
        RoleAssignmentFactory(user=UserFactory(username=f"b{n}"), body=body, role=Role.UNIT_HEAD, unit=unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = load()
    assert response.content.decode().count('data-testid="person-') == 34


def test_people_home_goes_to_the_administered_body_and_remembers_the_switch(
    client, body, other_body, body_admin
):
    RoleAssignmentFactory(user=body_admin, body=other_body, role=Role.BODY_ADMIN)
    client.force_login(body_admin)

    assert client.get(reverse("people:home")).url in {url("list", body), url("list", other_body)}
    assert client.get(reverse("people:home"), {"body": other_body.code}).url == url("list", other_body)
    client.get(url("list", other_body))  # the body opened last is remembered
    assert client.get(reverse("people:home")).url == url("list", other_body)
    client.get(url("list", body))
    assert client.get(reverse("people:home")).url == url("list", body)
    assert 'data-testid="people-body"' in client.get(url("list", body)).content.decode()


# --- 404 for everyone but the body's administrators --------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "unit_officer", "viewer", "appraiser"])
def test_everyone_else_gets_404_on_every_page_and_action(client, request, persona, body, unit, unit_head):
    client.force_login(request.getfixturevalue(persona))
    role = unit_head.roles.get()
    gets = [
        url("list", body),
        url("invite", body),
        url("detail", body, unit_head.pk),
        url("import", body),
        url("import_sample", body),
    ]
    posts = [
        url("invite", body),
        url("role_add", body, unit_head.pk),
        url("role_remove", body, unit_head.pk, role.pk),
        url("deactivate", body, unit_head.pk),
        url("reactivate", body, unit_head.pk),
        url("password", body, unit_head.pk),
        url("import", body),
        url("import_credentials", body),
    ]
    before = _counts()

    assert [client.get(u).status_code for u in gets] == [404] * len(gets)
    data = {"email": "x@example.vn", "full_name": "X", "role": "viewer", "mode": "temporary"}
    assert [client.post(u, data).status_code for u in posts] == [404] * len(posts)
    assert _counts() == before
    assert unit_head.roles.count() == 1


def test_people_home_is_404_for_who_administers_nothing(client, unit_officer):
    client.force_login(unit_officer)
    assert client.get(reverse("people:home")).status_code == 404


def test_a_person_of_another_body_is_404_here(admin_client, body, outsider):
    assert admin_client.get(url("detail", body, outsider.pk)).status_code == 404
    assert admin_client.post(url("deactivate", body, outsider.pk)).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


# --- invite ---------------------------------------------------------------------------------------------------


def test_invite_creates_the_account_sends_a_link_and_the_link_sets_the_password(
    admin_client, body, unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("invite", body),
            {
                "email": "lan@snv.gov.vn",
                "full_name": "Nguyễn Thị Lan",
                "username": "",
                "role": "unit_officer",
                "unit": unit.pk,
                "submission_key": "k1",
            },
        )

    user = User.objects.get(email="lan@snv.gov.vn")
    assert response.status_code == 302 and response.url == url("detail", body, user.pk)
    assert user.username == "lan" and not user.has_usable_password() and user.is_active
    assert list(user.roles.values_list("body", "role", "unit")) == [(body.pk, "unit_officer", unit.pk)]
    assert AuditEvent.objects.filter(
        action="user_invite", actor__username="admin-snv", object_id=str(user.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="role_assign", actor__username="admin-snv", unit=unit).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@snv.gov.vn"] and "UBND tỉnh Lai Châu" in message.subject
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    assert "trong 2 giờ" in message.body

    # The invited person, logged out, follows the link and chooses a password.
    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = visitor.post(
        set_url, {"new_password1": "Lai-Chau-2026-xyz!", "new_password2": "Lai-Chau-2026-xyz!"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lai-Chau-2026-xyz!") and not user.must_change_password
    assert visitor.login(username="lan", password="Lai-Chau-2026-xyz!")
    # The link is spent.
    assert "không hợp lệ" in Client().get(link, follow=True).content.decode()


def test_a_double_submitted_invite_creates_once(admin_client, body, django_capture_on_commit_callbacks):
    data = {"email": "hai@snv.gov.vn", "full_name": "Hai", "role": "viewer", "submission_key": "same"}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("invite", body), data)
        second = admin_client.post(url("invite", body), data)

    assert second.status_code == 302
    assert User.objects.filter(email="hai@snv.gov.vn").count() == 1
    assert len(mail.outbox) == 1


def test_invite_of_an_existing_address_only_adds_the_role(admin_client, body, outsider):
    admin_client.post(
        url("invite", body), {"email": outsider.email.upper(), "full_name": "X", "role": "viewer"}
    )

    assert set(outsider.roles.values_list("body__code", "role")) == {
        ("dien-bien", "body_admin"),
        ("lai-chau", "viewer"),
    }
    assert outsider.has_usable_password() and mail.outbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "khong-phai-email", "full_name": "A", "role": "viewer"}, "email"),
        ({"email": "a@x.vn", "full_name": "A", "role": ""}, "Trường này là bắt buộc"),
        ({"email": "a@x.vn", "full_name": "A", "role": "unit_officer"}, "hãy chọn đơn vị"),
        ({"email": "a@x.vn", "full_name": "A", "role": "viewer", "unit": "UNIT"}, "không chọn đơn vị"),
        (
            {"email": "a@x.vn", "full_name": "A", "role": "unit_head", "unit": "FOREIGN"},
            "Hãy chọn một lựa chọn hợp lệ",
        ),
        (
            {"email": "a@x.vn", "full_name": "A", "username": "admin-snv", "role": "viewer"},
            "đã có người dùng",
        ),
    ],
)
def test_bad_invites_are_refused_changing_nothing_and_keep_what_was_typed(
    admin_client, body, other_body, unit, data, message
):
    foreign = UnitFactory(body=other_body)
    data = {k: {"UNIT": unit.pk, "FOREIGN": foreign.pk}.get(v, v) for k, v in data.items()}
    before = _counts()

    response = admin_client.post(url("invite", body), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert message.casefold() in page.casefold()
    assert f'value="{data["email"]}"' in page
    assert _counts() == before and mail.outbox == []


def test_the_service_refuses_a_role_for_another_bodys_unit(body, other_body, body_admin, viewer):
    foreign = UnitFactory(body=other_body)
    with pytest.raises(Exception, match="không thuộc cơ quan"):
        people_services.role_grant(
            body=body, actor=body_admin, user=viewer, role="unit_officer", unit=foreign
        )
    assert viewer.roles.count() == 1


# --- roles ------------------------------------------------------------------------------------------------


def test_give_and_take_a_role_audited(admin_client, body, unit, viewer):
    response = admin_client.post(url("role_add", body, viewer.pk), {"role": "unit_head", "unit": unit.pk})

    assert response.status_code == 302
    added = viewer.roles.get(role="unit_head")
    assert added.unit == unit
    event = AuditEvent.objects.get(action="role_assign", object_id=str(added.pk))
    assert event.actor.username == "admin-snv" and "Thủ trưởng đơn vị (Sở Nội vụ)" in event.new_value

    admin_client.post(url("role_remove", body, viewer.pk, added.pk))

    assert not viewer.roles.filter(role="unit_head").exists()
    removed = AuditEvent.objects.get(action="role_remove", object_id=str(added.pk))
    assert removed.actor.username == "admin-snv" and "Thủ trưởng" in removed.old_value


def test_a_role_for_another_bodys_unit_is_refused(admin_client, body, other_body, viewer):
    foreign = UnitFactory(body=other_body)
    before = _counts()

    response = admin_client.post(
        url("role_add", body, viewer.pk), {"role": "unit_officer", "unit": foreign.pk}
    )

    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert _counts() == before


def test_a_body_role_with_a_unit_and_a_duplicate_are_refused(admin_client, body, unit, viewer):
    before = _counts()
    with_unit = admin_client.post(url("role_add", body, viewer.pk), {"role": "appraiser", "unit": unit.pk})
    duplicate = admin_client.post(url("role_add", body, viewer.pk), {"role": "viewer"})

    assert "không chọn đơn vị" in with_unit.content.decode()
    assert "đã có vai trò này" in duplicate.content.decode()
    assert _counts() == before


def test_the_last_administrator_cannot_be_removed(admin_client, body, body_admin):
    role = body_admin.roles.get()
    response = admin_client.post(url("role_remove", body, body_admin.pk, role.pk), follow=True)

    assert "ít nhất một quản trị" in response.content.decode()
    assert body_admin.roles.count() == 1


# --- deactivate, reactivate -----------------------------------------------------------------------------


def test_deactivate_and_reactivate_an_account_of_this_body_alone(admin_client, body, unit_officer):
    admin_client.post(url("deactivate", body, unit_officer.pk))
    unit_officer.refresh_from_db()
    assert not unit_officer.is_active and unit_officer.roles.count() == 1
    event = AuditEvent.objects.get(action="user_deactivate")
    assert (event.actor.username, event.old_value, event.new_value) == ("admin-snv", "Có", "Không")

    admin_client.post(url("reactivate", body, unit_officer.pk))
    unit_officer.refresh_from_db()
    assert unit_officer.is_active
    assert AuditEvent.objects.filter(action="user_reactivate", actor__username="admin-snv").exists()


def test_deactivating_someone_of_two_bodies_only_removes_this_bodys_roles(
    admin_client, body, other_body, unit
):
    both = UserFactory(username="hai-noi")
    RoleAssignmentFactory(user=both, body=body, role=Role.UNIT_OFFICER, unit=unit)
    RoleAssignmentFactory(user=both, body=body, role=Role.VIEWER)
    RoleAssignmentFactory(user=both, body=other_body, role=Role.VIEWER)

    response = admin_client.post(url("deactivate", body, both.pk))

    both.refresh_from_db()
    assert both.is_active
    assert list(both.roles.values_list("body__code", flat=True)) == ["dien-bien"]
    assert (
        AuditEvent.objects.filter(body=body, action="role_remove", actor__username="admin-snv").count() == 2
    )
    assert response.url == url("list", body)  # gone from this body
    assert admin_client.post(url("reactivate", body, both.pk)).status_code == 404


def test_an_administrator_cannot_deactivate_themself(admin_client, body, body_admin):
    admin_client.post(url("deactivate", body, body_admin.pk))
    body_admin.refresh_from_db()
    assert body_admin.is_active


# --- passwords ------------------------------------------------------------------------------------------


def test_reset_link_is_mailed_and_audited(
    admin_client, body, unit_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("password", body, unit_officer.pk), {"mode": "link"})

    assert [m.to for m in mail.outbox] == [[unit_officer.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
    unit_officer.refresh_from_db()
    assert unit_officer.check_password(PASSWORD)  # unchanged until the owner sets a new one
    assert AuditEvent.objects.filter(action="password_link_sent", actor__username="admin-snv").exists()


def test_temporary_password_is_shown_once_and_must_be_changed(admin_client, body, unit_officer):
    response = admin_client.post(url("password", body, unit_officer.pk), {"mode": "temporary"})

    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode()).group(1)
    assert response["Cache-Control"] == "no-store"
    unit_officer.refresh_from_db()
    assert unit_officer.check_password(password) and unit_officer.must_change_password
    event = AuditEvent.objects.get(action="password_temporary_set")
    assert password not in event.new_value + event.old_value + event.note
    visitor = Client()
    assert visitor.login(username="canbo-snv", password=password)
    assert visitor.get(reverse("home")).status_code == 302  # sent to change it first


def test_no_temporary_password_for_an_account_of_another_body_too(
    admin_client, body, other_body, unit_officer
):
    RoleAssignmentFactory(user=unit_officer, body=other_body, role=Role.VIEWER)

    response = admin_client.post(url("password", body, unit_officer.pk), {"mode": "temporary"}, follow=True)

    assert "chỉ có thể gửi đường dẫn" in response.content.decode()
    unit_officer.refresh_from_db()
    assert unit_officer.check_password(PASSWORD) and not unit_officer.must_change_password


# --- bulk import of the body's people ---------------------------------------------------------------------


def _upload(client, body, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(users_io.COLUMNS)
    writer.writerows(rows)
    upload = SimpleUploadedFile("users.csv", out.getvalue().encode(), content_type="text/csv")
    return client.post(url("import", body), {"file": upload})


def test_import_creates_the_bodys_people_and_hands_the_passwords_over_once(admin_client, body, unit):
    response = _upload(
        admin_client,
        body,
        [["moi-1", "Người Mới", "moi1@snv.gov.vn", "unit_officer", unit.code, body.code]],
    )

    assert response.status_code == 302
    user = User.objects.get(username="moi-1")
    assert user.must_change_password and list(user.roles.values_list("role", "unit")) == [
        ("unit_officer", unit.pk)
    ]
    assert AuditEvent.objects.filter(action="role_assign", actor__username="admin-snv", body=body).exists()
    created = AuditEvent.objects.get(action="user_import", object_id=str(user.pk))
    assert (created.actor.username, created.new_value) == ("admin-snv", "moi-1 <moi1@snv.gov.vn>")
    download = admin_client.post(url("import_credentials", body))
    assert download["Cache-Control"] == "no-store"
    password = download.content.decode("utf-8-sig").splitlines()[1].split(",")[-1]
    assert user.check_password(password)
    again = admin_client.post(url("import_credentials", body), follow=True)
    assert "đã được tải về trước đó" in again.content.decode()
    assert admin_client.get(url("import_sample", body))["Content-Type"].startswith("text/csv")


def test_import_refuses_rows_of_another_body_and_saves_nothing(admin_client, body, other_body, unit):
    before = _counts()

    response = _upload(
        admin_client,
        body,
        [
            ["moi-1", "Người Mới", "moi1@snv.gov.vn", "viewer", "", body.code],
            ["moi-2", "Người Khác", "moi2@snv.gov.vn", "viewer", "", other_body.code],
        ],
    )

    assert response.status_code == 400
    assert "chỉ nhập được người dùng của UBND tỉnh Lai Châu" in response.content.decode()
    assert _counts() == before


def test_import_refuses_to_give_an_email_to_an_account_of_others(admin_client, body, outsider):
    outsider.email = ""
    outsider.save()

    response = _upload(
        admin_client, body, [[outsider.username, "X", "ke-gian@x.vn", "viewer", "", body.code]]
    )

    assert response.status_code == 400
    assert "thuộc cơ quan khác và chưa có email" in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.email == "" and outsider.roles.count() == 1


def test_import_pages_are_404_for_another_bodys_admin(client, body, outsider):
    client.force_login(outsider)
    assert client.get(url("import", body)).status_code == 404
    assert client.get(url("import_sample", body)).status_code == 404
    assert client.post(url("import_credentials", body)).status_code == 404


# --- the access rules, as a matrix --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("body_admin", True),
        ("outsider", False),
        ("unit_officer", False),
        ("unit_head", False),
        ("appraiser", False),
        ("council_member", False),
        ("viewer", False),
    ],
)
def test_who_manages_the_bodys_people(request, body, persona, allowed):
    assert access.may_manage_people(request.getfixturevalue(persona), body) is allowed


def test_who_may_be_taken_over(body, other_body, unit_officer, viewer):
    RoleAssignmentFactory(user=viewer, body=other_body, role=Role.VIEWER)
    staff = UserFactory(username="staff", is_staff=True)
    RoleAssignmentFactory(user=staff, body=body, role=Role.VIEWER)

    assert access.may_take_over_account(body, unit_officer)
    assert not access.may_take_over_account(body, viewer)  # also of another body
    assert not access.may_take_over_account(body, staff)


def test_the_last_active_administrator_is_kept(body, body_admin, viewer):
    role = body_admin.roles.get()
    assert access.leaves_body_without_admin(body, removed_role_ids=[role.pk])
    assert access.leaves_body_without_admin(body, deactivated=body_admin)
    assert not access.leaves_body_without_admin(body, removed_role_ids=[viewer.roles.get().pk])
    second = UserFactory(username="admin-2")
    RoleAssignmentFactory(user=second, body=body, role=Role.BODY_ADMIN)
    assert not access.leaves_body_without_admin(body, removed_role_ids=[role.pk])
