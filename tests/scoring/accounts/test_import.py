"""Creating a province's accounts from a file: the service, the command, the admin page, the first login."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, execute_from_command_line
from django.urls import reverse
from rest_framework.authtoken.models import Token

from scoring.accounts import io as users_io
from scoring.accounts import services as users_services
from scoring.evaluation import services
from scoring.models import Role, RoleAssignment, User
from tests.conftest_constants import PASSWORD
from tests.scoring.factories import UnitFactory, UserFactory

HEADER = list(users_io.COLUMNS)
IMPORT_URL = reverse("admin:scoring_user_import")
CREDENTIALS_URL = reverse("admin:scoring_user_import_credentials")
SAMPLE_URL = reverse("admin:scoring_user_import_sample")
CHANGE_URL = reverse("password_change")
NEW_PASSWORD = "Cai-cach-hanh-chinh-2026"


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def import_rows(rows, **kwargs) -> users_services.UsersImportSummary:
    return users_services.users_import_file(content=csv_bytes(rows), filename="users.csv", **kwargs)


def counts() -> tuple[int, int]:
    return User.objects.count(), RoleAssignment.objects.count()


@pytest.fixture
def province(body, departments):
    """Return the rows of a province: 40 units with an officer and a head each, and 40 body-wide people."""
    units = [
        UnitFactory(body=body, group=departments, code=f"don-vi-{n:02d}", name=f"Đơn vị {n}")
        for n in range(40)
    ]
    rows = []
    for unit in units:
        for role, prefix in ((Role.UNIT_OFFICER, "canbo"), (Role.UNIT_HEAD, "thutruong")):
            username = f"{prefix}-{unit.code}"
            rows.append(
                [
                    username,
                    f"Người {username}",
                    f"{username}@laichau.gov.vn",
                    role.value,
                    unit.code,
                    body.code,
                ]
            )
    body_wide = [("body_admin", 1), ("Thành viên Tổ giúp việc", 9), ("council_member", 20), ("Chỉ xem", 10)]
    for role, count in body_wide:
        for n in range(count):
            username = f"{services.code_from_name(role)}-{n}"
            rows.append([username, f"Người {username}", f"{username}@laichau.gov.vn", role, "", body.code])
    assert len(rows) == 120
    return rows


# --- the service -------------------------------------------------------------------------------


def test_a_province_of_120_accounts_is_created_at_once_with_temporary_passwords(province, body):
    summary = import_rows(province)

    assert (summary.created, summary.updated, summary.roles_added, summary.unchanged) == (120, 0, 120, 0)
    assert len(summary.credentials) == 120
    officer = User.objects.get(username="canbo-don-vi-07")
    assert officer.full_name == "Người canbo-don-vi-07"
    assert officer.email == "canbo-don-vi-07@laichau.gov.vn"
    assert officer.must_change_password
    assert list(officer.roles.values_list("role", "unit__code", "body__code")) == [
        ("unit_officer", "don-vi-07", "lai-chau")
    ]
    assert RoleAssignment.objects.filter(body=body, role=Role.APPRAISER, unit=None).count() == 9
    credential = next(c for c in summary.credentials if c.username == "canbo-don-vi-07")
    assert officer.check_password(credential.password)
    assert credential.password not in officer.password


def test_temporary_password_logs_in_and_is_rehashed_at_full_strength(client, body, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    summary = import_rows([["xem-1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]])

    assert client.login(username="xem-1", password=summary.credentials[0].password)
    iterations = User.objects.get(username="xem-1").password.split("$")[1]
    assert iterations == str(PBKDF2PasswordHasher.iterations)


def test_a_file_with_one_bad_row_saves_nothing(province):
    province[57][4] = "khong-co"
    before = counts()

    with pytest.raises(users_io.UsersImportError) as exc:
        import_rows(province)

    assert [str(e) for e in exc.value.errors] == [
        "Dòng 59, cột unit_code: UBND tỉnh Lai Châu không có đơn vị mã «khong-co»."
    ]
    assert counts() == before


def test_parse_and_database_errors_are_reported_together_and_nothing_is_saved(body):
    before = counts()

    with pytest.raises(users_io.UsersImportError) as exc:
        import_rows(
            [
                ["u1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "ha-noi"],
                ["u2", "Lò Văn Cường", "abc", "viewer", "", "lai-chau"],
                ["u3", "Đặng Văn Minh", "minh@laichau.gov.vn", "viewer", "", "lai-chau"],
            ]
        )

    assert [str(e) for e in exc.value.errors] == [
        "Dòng 2, cột body_code: không có cơ quan đánh giá mã «ha-noi».",
        "Dòng 3, cột email: «abc» không phải địa chỉ email hợp lệ.",
    ]
    assert counts() == before


def test_unit_of_another_body_is_not_found(body, other_body):
    UnitFactory(body=other_body, code="so-y-te")

    with pytest.raises(users_io.UsersImportError) as exc:
        import_rows([["u1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "unit_officer", "so-y-te", "lai-chau"]])

    assert exc.value.errors[0].column == "unit_code"


def test_existing_user_with_another_email_is_an_error_not_an_overwrite(unit_officer, unit):
    before = counts()

    with pytest.raises(users_io.UsersImportError) as exc:
        import_rows(
            [[unit_officer.username, "Ai đó", "khac@laichau.gov.vn", "unit_head", unit.code, "lai-chau"]]
        )

    assert exc.value.errors[0].column == "email"
    assert "không tự ghi đè" in exc.value.errors[0].message
    unit_officer.refresh_from_db()
    assert unit_officer.email == "canbo-snv@example.gov.vn"
    assert counts() == before


def test_email_of_another_existing_account_is_an_error(unit_officer, body):
    with pytest.raises(users_io.UsersImportError) as exc:
        import_rows([["moi", "Người Mới", "CANBO-SNV@example.gov.vn", "viewer", "", "lai-chau"]])

    assert str(exc.value.errors[0]) == (
        "Dòng 2, cột email: email «CANBO-SNV@example.gov.vn» đã dùng cho tài khoản khác («canbo-snv»)."
    )


def test_reimporting_the_same_file_changes_nothing(province):
    import_rows(province)
    before = counts()
    passwords = dict(User.objects.values_list("username", "password"))

    summary = import_rows(province)

    assert (summary.created, summary.updated, summary.roles_added, summary.unchanged) == (0, 0, 0, 120)
    assert summary.credentials == ()
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords


def test_existing_user_gets_the_new_role_and_keeps_the_password(unit_officer, unit, body):
    password_hash = unit_officer.password

    summary = import_rows(
        [
            [
                unit_officer.username,
                unit_officer.full_name,
                unit_officer.email,
                "unit_officer",
                unit.code,
                body.code,
            ],
            [
                unit_officer.username,
                unit_officer.full_name,
                unit_officer.email,
                "Thủ trưởng đơn vị",
                unit.code,
                body.code,
            ],
        ]
    )

    assert (summary.created, summary.updated, summary.roles_added, summary.unchanged) == (0, 1, 1, 0)
    assert summary.credentials == ()
    unit_officer.refresh_from_db()
    assert unit_officer.password == password_hash
    assert unit_officer.check_password(PASSWORD)
    assert not unit_officer.must_change_password
    assert set(unit_officer.roles.values_list("role", flat=True)) == {"unit_officer", "unit_head"}


def test_existing_user_without_email_gets_the_file_s_email(body):
    user = UserFactory(username="cu", email="", full_name="")

    summary = import_rows([["cu", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]])

    user.refresh_from_db()
    assert (user.email, user.full_name) == ("hoa@laichau.gov.vn", "Vũ Thị Hoa")
    assert (summary.updated, summary.roles_added) == (1, 1)


# --- the command -------------------------------------------------------------------------------


def test_command_imports_and_writes_passwords_to_a_private_file(province, tmp_path, capsys):
    source = tmp_path / "users.csv"
    source.write_bytes(csv_bytes(province))
    output = tmp_path / "mat-khau.csv"

    call_command("import_users", str(source), "--output", str(output))

    captured = capsys.readouterr()
    assert "Tạo mới 120 tài khoản, cập nhật 0, thêm 120 vai trò, 0 tài khoản không đổi." in captured.out
    assert "Mật khẩu tạm của 120 tài khoản mới đã ghi vào" in captured.err
    assert "kênh an toàn" in captured.err
    rows = list(csv.DictReader(output.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 120
    officer = User.objects.get(username=rows[0]["username"])
    assert officer.check_password(rows[0]["temporary_password"])
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    assert rows[0]["temporary_password"] not in captured.out


def test_command_prints_passwords_when_no_output_file_is_given(body, tmp_path, capsys):
    source = tmp_path / "users.csv"
    source.write_bytes(csv_bytes([["xem-1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]]))

    call_command("import_users", str(source))

    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "username,full_name,email,temporary_password" in lines
    password = lines[-1].split(",")[-1]
    assert User.objects.get(username="xem-1").check_password(password)


def test_command_with_errors_prints_them_exits_non_zero_and_saves_nothing(
    transactional_db, body, tmp_path, capsys
):
    # Run from the command line, the command closes every database connection when it ends, so the
    # test must not sit inside a transaction (it would lose it on PostgreSQL).
    source = tmp_path / "users.csv"
    source.write_bytes(
        csv_bytes([["u1", "A", "abc", "viewer", "", "lai-chau"], ["u2", "B", "b@x.vn", "viewer", "", "x"]])
    )
    output = tmp_path / "mat-khau.csv"
    before = counts()

    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["manage.py", "import_users", str(source), "--output", str(output)])

    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "Dòng 2, cột email: «abc» không phải địa chỉ email hợp lệ." in err
    assert "Dòng 3, cột body_code: không có cơ quan đánh giá mã «x»." in err
    assert "2 lỗi; không lưu gì." in err
    assert counts() == before
    assert not output.exists()


def test_command_refuses_to_overwrite_an_existing_output_file(body, tmp_path):
    source = tmp_path / "users.csv"
    source.write_bytes(csv_bytes([["xem-1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]]))
    output = tmp_path / "mat-khau.csv"
    output.write_text("mật khẩu của lần nhập trước")

    with pytest.raises(CommandError, match="đã tồn tại"):
        call_command("import_users", str(source), "--output", str(output))

    assert output.read_text() == "mật khẩu của lần nhập trước"
    assert not User.objects.filter(username="xem-1").exists()


# --- the admin page ----------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="quan-tri", is_staff=True, is_superuser=True)


def upload(client, content: bytes, name: str = "users.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_user_changelist_has_the_import_button(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:scoring_user_changelist"))

    assert f'href="{IMPORT_URL}"' in response.content.decode()
    assert "Nhập người dùng từ Excel/CSV" in response.content.decode()


def test_admin_upload_with_errors_shows_them_in_a_table_and_saves_nothing(client, superuser, body):
    client.force_login(superuser)
    before = counts()

    response = upload(client, csv_bytes([["u1", "A", "abc", "unit_head", "", "lai-chau"]]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert "<td>2</td><td>email</td><td>«abc» không phải địa chỉ email hợp lệ.</td>" in page
    assert "<td>2</td><td>unit_code</td><td>vai trò «unit_head» cần mã đơn vị.</td>" in page
    assert 'type="file"' in page
    assert counts() == before


def test_admin_upload_shows_summary_and_credentials_download_works_once(client, superuser, province):
    client.force_login(superuser)

    response = upload(client, csv_bytes(province))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Tạo mới 120 tài khoản" in page
    assert CREDENTIALS_URL in page
    download = client.post(CREDENTIALS_URL)
    assert download["Content-Disposition"] == 'attachment; filename="mat-khau-tam.csv"'
    rows = list(csv.DictReader(download.content.decode("utf-8-sig").splitlines()))
    assert len(rows) == 120
    assert User.objects.get(username=rows[5]["username"]).check_password(rows[5]["temporary_password"])
    again = client.post(CREDENTIALS_URL, follow=True)
    assert again.redirect_chain == [(IMPORT_URL, 302)]
    assert "đã được tải về trước đó" in again.content.decode()
    assert CREDENTIALS_URL not in again.content.decode()


def test_credentials_of_two_imports_before_a_download_are_all_kept(client, superuser, body):
    client.force_login(superuser)
    upload(client, csv_bytes([["u1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]]))
    upload(client, csv_bytes([["u2", "Lò Văn Cường", "cuong@laichau.gov.vn", "viewer", "", "lai-chau"]]))

    download = client.post(CREDENTIALS_URL)

    rows = list(csv.DictReader(download.content.decode("utf-8-sig").splitlines()))
    assert [r["username"] for r in rows] == ["u1", "u2"]


def test_credentials_download_is_post_only(client, superuser):
    client.force_login(superuser)

    assert client.get(CREDENTIALS_URL).status_code == 405


def test_admin_sample_file_downloads_and_imports_cleanly(client, superuser, unit):
    client.force_login(superuser)

    response = client.get(SAMPLE_URL)

    assert response["Content-Disposition"] == 'attachment; filename="users_sample.csv"'
    summary = users_services.users_import_file(content=response.content, filename="users_sample.csv")
    assert (summary.created, summary.roles_added) == (4, 5)


@pytest.mark.parametrize("with_permission", [False, True])
def test_staff_who_is_not_a_superuser_is_sent_to_the_admin_login(client, db, with_permission):
    """The admin is the platform operators' (superusers'): a staff flag and the add-user permission open nothing."""
    staff = UserFactory(username="nhan-vien", is_staff=True)
    if with_permission:
        staff.user_permissions.add(
            Permission.objects.get(content_type__app_label="scoring", codename="add_user")
        )
    client.force_login(staff)

    for response in (client.get(IMPORT_URL), client.get(SAMPLE_URL), client.post(CREDENTIALS_URL)):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not User.objects.filter(username="u1").exists()


def test_a_superuser_may_import(client, body):
    operator = UserFactory(username="van-hanh", is_staff=True, is_superuser=True)
    client.force_login(operator)

    response = upload(
        client, csv_bytes([["u1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]])
    )

    assert response.status_code == 302
    assert User.objects.filter(username="u1").exists()


def test_non_staff_user_is_sent_to_the_admin_login(client, body_admin):
    client.force_login(body_admin)

    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- the first login -------------------------------------------------------------------------------


@pytest.fixture
def newcomer(body):
    user = UserFactory(username="nguoi-moi", must_change_password=True)
    RoleAssignment.objects.create(user=user, body=body, role=Role.BODY_ADMIN)
    return user


@pytest.mark.parametrize("path", ["/", "/ket-qua/xep-hang/", "/tieu-chi/", "/admin/"])
def test_user_who_must_change_password_is_sent_to_the_change_page(client, newcomer, path):
    client.force_login(newcomer)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGE_URL}?next={path.replace('/', '%2F')}"


def test_change_page_is_in_vietnamese_and_says_why(client, newcomer):
    client.force_login(newcomer)

    page = client.get(CHANGE_URL).content.decode()

    assert "Đặt mật khẩu mới" in page
    assert "mật khẩu tạm do quản trị viên cấp" in page


def test_after_changing_the_password_the_user_reaches_the_pages(client, newcomer):
    client.force_login(newcomer)

    response = client.post(
        CHANGE_URL,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/ket-qua/xep-hang/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/ket-qua/xep-hang/"
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200
    assert client.get("/ket-qua/xep-hang/").status_code == 200


def test_password_change_without_next_goes_home(client, newcomer):
    client.force_login(newcomer)

    response = client.post(
        CHANGE_URL,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == reverse("home")


def test_keeping_the_temporary_password_is_refused(client, newcomer):
    client.force_login(newcomer)

    response = client.post(
        CHANGE_URL, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )

    assert response.status_code == 200
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_user_who_must_change_password_may_log_out_and_switch_language(client, newcomer):
    client.force_login(newcomer)

    assert client.post(reverse("set_language"), {"language": "vi", "next": "/"})["Location"] == "/"
    assert client.post(reverse("logout"))["Location"] == reverse("home")


def test_htmx_request_is_told_to_load_the_change_page(client, newcomer):
    client.force_login(newcomer)

    response = client.get("/ket-qua/xep-hang/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(CHANGE_URL)


def test_api_refuses_a_session_user_who_must_change_password_with_json(client, newcomer):
    client.force_login(newcomer)

    response = client.get("/api/v1/rankings/")

    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    assert response.json()["detail"].startswith("Bạn phải đổi mật khẩu tạm trước khi dùng API")


def test_api_refuses_a_token_user_who_must_change_password(client, newcomer, body_admin):
    blocked = Token.objects.create(user=newcomer)
    allowed = Token.objects.create(user=body_admin)

    assert (
        client.get("/api/v1/rankings/", headers={"Authorization": f"Token {blocked.key}"}).status_code == 403
    )
    assert (
        client.get("/api/v1/rankings/", headers={"Authorization": f"Token {allowed.key}"}).status_code != 403
    )


def test_user_without_the_flag_is_not_redirected(client, body_admin):
    client.force_login(body_admin)

    assert client.get("/").status_code == 200
    assert client.get("/api/v1/rankings/").status_code != 403


def test_imported_user_is_sent_to_the_change_page_after_login(client, body):
    summary = import_rows([["xem-1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"]])

    response = client.post(
        reverse("login"), {"username": "xem-1", "password": summary.credentials[0].password}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"{CHANGE_URL}?next=%2F"
