"""Reading a user list from a spreadsheet: every bad input gives a row, a column and a Vietnamese reason.

No database: the vocabulary of roles is built from scoring.models.Role without a query.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from scoring.accounts import io as users_io
from scoring.accounts.services import users_role_vocabulary

HEADER = "username,full_name,email,role,unit_code,body_code"
ROLES = users_role_vocabulary()


def parse(*lines: str, header: str = HEADER, filename: str = "users.csv") -> users_io.ParsedUsers:
    text = "\n".join((header, *lines)) + "\n"
    return users_io.parse_users(content=text.encode(), filename=filename, roles=ROLES)


def messages(parsed: users_io.ParsedUsers) -> list[str]:
    return [str(e) for e in parsed.errors]


def only_error(parsed: users_io.ParsedUsers) -> users_io.RowError:
    assert len(parsed.errors) == 1, messages(parsed)
    return parsed.errors[0]


# --- what is accepted --------------------------------------------------------------------------


def test_valid_rows_are_read_with_role_codes_and_line_numbers():
    parsed = parse(
        "admin-snv,Nguyễn Văn An,an@laichau.gov.vn,body_admin,,lai-chau",
        "canbo-snv,Trần Thị Bình,binh@laichau.gov.vn,unit_officer,so-noi-vu,lai-chau",
    )

    assert parsed.errors == ()
    assert parsed.rows == (
        users_io.UserRow(2, "admin-snv", "Nguyễn Văn An", "an@laichau.gov.vn", "body_admin", "", "lai-chau"),
        users_io.UserRow(
            3, "canbo-snv", "Trần Thị Bình", "binh@laichau.gov.vn", "unit_officer", "so-noi-vu", "lai-chau"
        ),
    )


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Quản trị (Sở Nội vụ)", "body_admin"),
        ("Cán bộ đơn vị", "unit_officer"),
        ("cán bộ  đơn vị", "unit_officer"),
        ("CAN BO DON VI", "unit_officer"),
        ("Thủ trưởng đơn vị", "unit_head"),
        ("thu truong don vi", "unit_head"),
        ("Thành viên Tổ giúp việc", "appraiser"),
        ("Thành viên Hội đồng thẩm định", "council_member"),
        ("Chỉ xem", "viewer"),
        ("UNIT_HEAD", "unit_head"),
        ("council member", "council_member"),
    ],
)
def test_role_is_matched_by_code_or_vietnamese_label_without_case_or_diacritics(written, code):
    unit = "so-noi-vu" if code in ("unit_officer", "unit_head") else ""
    parsed = parse(f"u1,Lò Văn Cường,c@laichau.gov.vn,{written},{unit},lai-chau")

    assert parsed.errors == ()
    assert parsed.rows[0].role == code


def test_one_person_may_have_several_roles_on_several_rows():
    parsed = parse(
        "thutruong,Lò Văn Cường,cuong@laichau.gov.vn,unit_head,so-noi-vu,lai-chau",
        "thutruong,Lò Văn Cường,CUONG@LaiChau.gov.vn,council_member,,lai-chau",
        "thutruong,Lò Văn Cường,cuong@laichau.gov.vn,unit_head,so-tu-phap,lai-chau",
    )

    assert parsed.errors == ()
    assert [(r.role, r.unit_code) for r in parsed.rows] == [
        ("unit_head", "so-noi-vu"),
        ("council_member", ""),
        ("unit_head", "so-tu-phap"),
    ]


def test_header_may_be_in_vietnamese_in_any_order_with_semicolons_and_comment_lines():
    text = (
        "# Danh sách tài khoản Sở Nội vụ\n"
        "Mã cơ quan;Vai trò;Tên đăng nhập;Họ và tên;E-mail;Mã đơn vị\n"
        "lai-chau;Chỉ xem;xem1;Vũ Thị Hoa;hoa@laichau.gov.vn;\n"
    )

    parsed = users_io.parse_users(content=text.encode("utf-8-sig"), filename="ds.csv", roles=ROLES)

    assert parsed.errors == ()
    assert parsed.rows == (
        users_io.UserRow(3, "xem1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "viewer", "", "lai-chau"),
    )


def test_excel_file_is_read_with_excel_row_numbers_and_numeric_usernames():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Danh sách tài khoản"])
    sheet.append(list(users_io.COLUMNS))
    sheet.append([123456, "Đặng Văn Minh", "minh@laichau.gov.vn", "Chỉ xem", None, "lai-chau"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = users_io.parse_users(content=buffer.getvalue(), filename="ds.xlsx", roles=ROLES)

    assert parsed.errors == ()
    assert parsed.rows[0].line == 3
    assert parsed.rows[0].username == "123456"


def test_email_domain_is_lower_cased_and_spaces_trimmed():
    parsed = parse("u1,  Vũ   Thị Hoa ,  Hoa.VT@LaiChau.GOV.vn ,viewer,,lai-chau")

    assert parsed.rows[0].email == "Hoa.VT@laichau.gov.vn"
    assert parsed.rows[0].full_name == "Vũ Thị Hoa"


def test_sample_file_has_no_errors():
    parsed = users_io.parse_users(
        content=users_io.sample_csv().encode(), filename="users_sample.csv", roles=ROLES
    )

    assert parsed.errors == ()
    assert len(parsed.rows) == len(users_io.SAMPLE_ROWS)


# --- bad input: one test per problem -----------------------------------------------------------


def test_invalid_email_message_is_the_documented_vietnamese_sentence():
    parsed = parse(
        *[f"u{n},Người {n},u{n}@laichau.gov.vn,viewer,,lai-chau" for n in range(5)],
        "u7,Người 7,abc,viewer,,lai-chau",
    )

    assert messages(parsed) == ["Dòng 7, cột email: «abc» không phải địa chỉ email hợp lệ."]
    assert [r.username for r in parsed.rows] == ["u0", "u1", "u2", "u3", "u4"]


@pytest.mark.parametrize("column", ["username", "full_name", "email", "role", "body_code"])
def test_empty_required_cell_is_an_error(column):
    values = {
        "username": "u1",
        "full_name": "Vũ Thị Hoa",
        "email": "hoa@laichau.gov.vn",
        "role": "viewer",
        "unit_code": "",
        "body_code": "lai-chau",
    }
    values[column] = ""

    error = only_error(parse(",".join(values[c] for c in users_io.COLUMNS)))

    assert (error.row, error.column, error.message) == (2, column, "ô bắt buộc đang trống.")


@pytest.mark.parametrize("username", ["nguyen van a", "a/b", "an#1", "a,b"])
def test_username_outside_django_rules_is_an_error(username):
    error = only_error(parse(f'"{username}",A,a@laichau.gov.vn,viewer,,lai-chau'))

    assert error.column == "username"
    assert f"«{username}» không phải tên đăng nhập hợp lệ" in error.message


def test_too_long_username_is_an_error():
    error = only_error(parse(f"{'a' * 151},A,a@laichau.gov.vn,viewer,,lai-chau"))

    assert (error.column, error.message) == ("username", "dài quá 150 ký tự.")


def test_unknown_role_lists_the_accepted_codes():
    error = only_error(parse("u1,A,a@laichau.gov.vn,thư ký,,lai-chau"))

    assert error.column == "role"
    assert error.message.startswith("«thư ký» không phải vai trò; dùng một trong: appraiser, body_admin")


@pytest.mark.parametrize("role", ["unit_officer", "Thủ trưởng đơn vị"])
def test_unit_role_without_unit_code_is_an_error(role):
    error = only_error(parse(f"u1,A,a@laichau.gov.vn,{role},,lai-chau"))

    assert (error.column, error.message) == ("unit_code", f"vai trò «{role}» cần mã đơn vị.")


@pytest.mark.parametrize("role", ["body_admin", "appraiser", "council_member", "Chỉ xem"])
def test_body_wide_role_with_unit_code_is_an_error(role):
    error = only_error(parse(f"u1,A,a@laichau.gov.vn,{role},so-noi-vu,lai-chau"))

    assert error.column == "unit_code"
    assert "phải để trống mã đơn vị" in error.message
    assert "so-noi-vu" in error.message


def test_same_username_with_another_full_name_is_an_error_on_the_later_row():
    parsed = parse(
        "u1,Vũ Thị Hoa,hoa@laichau.gov.vn,viewer,,lai-chau",
        "u1,Vũ Thị Hòa,hoa@laichau.gov.vn,appraiser,,lai-chau",
    )

    assert messages(parsed) == [
        "Dòng 3, cột full_name: tên đăng nhập «u1» đã có ở dòng 2 với họ tên khác («Vũ Thị Hoa»)."
    ]
    assert [r.line for r in parsed.rows] == [2]


def test_same_username_with_another_email_is_an_error_on_the_later_row():
    parsed = parse(
        "u1,Vũ Thị Hoa,hoa@laichau.gov.vn,viewer,,lai-chau",
        "u1,Vũ Thị Hoa,hoa2@laichau.gov.vn,appraiser,,lai-chau",
    )

    error = only_error(parsed)
    assert (error.row, error.column) == (3, "email")
    assert "đã có ở dòng 2 với email khác" in error.message


def test_same_role_given_twice_is_an_error_on_the_later_row():
    parsed = parse(
        "u1,Vũ Thị Hoa,hoa@laichau.gov.vn,unit_officer,so-noi-vu,lai-chau",
        "u1,Vũ Thị Hoa,hoa@laichau.gov.vn,Cán bộ đơn vị,so-noi-vu,lai-chau",
    )

    error = only_error(parsed)
    assert (error.row, error.column) == (3, "role")
    assert error.message == "trùng với dòng 2 (cùng người, cùng vai trò, cùng đơn vị)."


def test_one_email_for_two_usernames_is_an_error():
    error = only_error(
        parse(
            "u1,Vũ Thị Hoa,hoa@laichau.gov.vn,viewer,,lai-chau",
            "u2,Vũ Hoa,HOA@laichau.gov.vn,viewer,,lai-chau",
        )
    )

    assert (error.row, error.column) == (3, "email")
    assert "đã dùng cho tài khoản «u1» ở dòng 2" in error.message


def test_missing_required_columns_are_named():
    error = only_error(parse("u1,Vũ Thị Hoa,viewer", header="username,full_name,role"))

    assert error.row == 1
    assert error.message == "thiếu cột bắt buộc: email, body_code."


def test_unknown_column_is_an_error():
    error = only_error(parse("u1,A,a@x.vn,viewer,,lai-chau,x", header=HEADER + ",ghi_chu_khac"))

    assert (error.row, error.column) == (1, "ghi_chu_khac")
    assert error.message.startswith("cột không có trong mẫu")


def test_repeated_column_is_an_error():
    error = only_error(parse("u1,A,a@x.vn,viewer,,lai-chau,b@x.vn", header=HEADER + ",email"))

    assert (error.row, error.column, error.message) == (1, "email", "tên cột bị lặp lại.")


def test_file_with_header_only_is_an_error():
    assert messages(parse()) == ["Tệp không có dòng dữ liệu nào."]


def test_too_many_rows_is_an_error():
    rows = [f"u{n},Người {n},u{n}@laichau.gov.vn,viewer,,lai-chau" for n in range(users_io.MAX_ROWS + 1)]

    assert messages(parse(*rows)) == ["Tệp có 5001 dòng; mỗi lần nhập tối đa 5000 dòng."]


def test_other_file_types_are_refused():
    parsed = users_io.parse_users(content=b"x", filename="users.pdf", roles=ROLES)

    assert messages(parsed) == ["Chỉ nhận tệp .xlsx hoặc .csv."]


def test_broken_excel_file_is_refused():
    parsed = users_io.parse_users(content=b"PK\x03\x04 not a zip", filename="users.xlsx", roles=ROLES)

    assert messages(parsed) == ["Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng."]


def test_every_problem_of_a_row_is_reported_at_once():
    parsed = parse("bad name,,abc,unit_head,,")

    assert [e.column for e in parsed.errors] == ["body_code", "email", "full_name", "unit_code", "username"]


# --- temporary passwords and the credentials file -------------------------------------------------


def test_temporary_passwords_are_12_readable_characters_with_mixed_kinds():
    passwords = {users_io.temporary_password() for _n in range(200)}

    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 12
        assert not set(password) & set("0Oo1lI")
        assert any(c.isdigit() for c in password)
        assert any(c.isupper() for c in password)
        assert any(c.islower() for c in password)


def test_credentials_csv_lists_username_name_email_and_password():
    credential = users_io.Credential("u1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "Abc23456defG")

    rows = list(csv.reader(io.StringIO(users_io.credentials_csv([credential]))))

    assert rows == [
        list(users_io.CREDENTIAL_COLUMNS),
        ["u1", "Vũ Thị Hoa", "hoa@laichau.gov.vn", "Abc23456defG"],
    ]
    assert "Abc23456defG" not in repr(credential)
