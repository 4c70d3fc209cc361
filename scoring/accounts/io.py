"""Reading a list of user accounts from a spreadsheet: parse and validate, no database.

One row is one role assignment: `username, full_name, email, role, unit_code, body_code`. A person
with several roles has several rows, which must agree on the full name and e-mail. `parse_users`
returns every valid row and every problem at once, each naming the row and column as the user sees
them in Excel, so that a Sở Nội vụ officer can fix the whole file in one pass. What needs the
database (bodies, units, existing accounts) is checked by `scoring.accounts.services.users_import`.
"""

from __future__ import annotations

import io
import re
import secrets
import string
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.spreadsheets.io import Cell, RowError, Table, TableReadError, is_blank, read_table
from scoring.spreadsheets.write import csv_writer

COLUMNS = ("username", "full_name", "email", "role", "unit_code", "body_code")
REQUIRED_COLUMNS = ("username", "full_name", "email", "role", "body_code")
# Offices often retype the header in Vietnamese; these spellings are matched without diacritics.
COLUMN_ALIASES = {
    "ten dang nhap": "username",
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "e-mail": "email",
    "thu dien tu": "email",
    "vai tro": "role",
    "ma don vi": "unit_code",
    "ma co quan": "body_code",
    "ma co quan danh gia": "body_code",
}
# The lengths of the model fields (AbstractUser.username and .email, User.full_name, the slugs).
LENGTHS = {"username": 150, "full_name": 200, "email": 254, "unit_code": 80, "body_code": 50}
# Django's UnicodeUsernameValidator: letters, digits and @ . + - _ only.
USERNAME_RE = re.compile(r"^[\w.@+-]+\Z")
MAX_ROWS = 5000
# Rows at the top of a sheet searched for the header.
HEADER_SEARCH_ROWS = 10

# Shown on the upload page and in docs/users-import.md: (column, required, meaning).
COLUMN_HELP: tuple[tuple[str, bool, str], ...] = (
    (
        "username",
        True,
        gettext_lazy(
            "Tên đăng nhập: chữ, chữ số và các dấu @ . + - _, không có khoảng trắng, tối đa 150 ký tự."
        ),
    ),
    ("full_name", True, gettext_lazy("Họ và tên.")),
    ("email", True, gettext_lazy("Địa chỉ email công vụ.")),
    (
        "role",
        True,
        gettext_lazy(
            "Vai trò: mã (body_admin, unit_officer, unit_head, appraiser, council_member, viewer) "
            "hoặc tên tiếng Việt (ví dụ “Cán bộ đơn vị”)."
        ),
    ),
    (
        "unit_code",
        False,
        gettext_lazy(
            "Mã đơn vị: bắt buộc với Cán bộ đơn vị và Thủ trưởng đơn vị; để trống với các vai trò khác."
        ),
    ),
    ("body_code", True, gettext_lazy("Mã cơ quan đánh giá, ví dụ lai-chau.")),
)

# No 0/O, 1/l/I: a temporary password is read off paper or a screen and typed by hand.
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0Oo1lI")
PASSWORD_LENGTH = 12


class UsersImportError(Exception):
    """The file cannot be imported; nothing was saved. .errors lists every problem."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: (e.row or 0, e.column)))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True, slots=True)
class UserRow:
    """One validated row: one role of one person in one evaluating body."""

    line: int
    username: str
    full_name: str
    email: str
    role: str  # the code, e.g. "unit_officer"
    unit_code: str  # "" for body-wide roles
    body_code: str


@dataclass(frozen=True, slots=True)
class ParsedUsers:
    rows: tuple[UserRow, ...]
    errors: tuple[RowError, ...]


@dataclass(frozen=True, slots=True)
class RoleVocabulary:
    """The roles a file may name: code -> label, and which of them belong to a unit."""

    labels: Mapping[str, str]
    unit_roles: Collection[str]

    def lookup(self) -> dict[str, str]:
        """Return the role code for every accepted spelling (code or label, without case or diacritics)."""
        keys: dict[str, str] = {}
        for code, label in self.labels.items():
            keys[fold(code)] = code
            keys[fold(str(label))] = code
        return keys


def fold(value: str) -> str:
    """Return the text without diacritics, case or extra spaces: "Cán bộ  Đơn vị" -> "can bo don vi"."""
    # NFD splits "ộ" into "o" and its marks; đ has no decomposition, so it is mapped by hand.
    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("_", " ").split()).casefold()


def normalize_email(value: str) -> str:
    """Return the address with its domain lower-cased (the local part is the mail server's business)."""
    local, _sep, domain = value.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if local else value.strip()


def temporary_password() -> str:
    """Return a random readable password with a lower-case letter, an upper-case letter and a digit."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _n in range(PASSWORD_LENGTH))
        # The mix satisfies the usual password rules, and NumericPasswordValidator never fires.
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


# --- reading -------------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if isinstance(cell, Decimal):
        # A username such as 123456 typed into Excel arrives as a number.
        return format(cell, "f")
    return " ".join(cell.split())


def _columns(table: Table) -> tuple[dict[str, int], list[RowError]]:
    """Return the position of each column by name, or the header's errors."""
    line = table.header_line
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for position, raw in enumerate(table.header):
        title = raw.replace("\ufeff", "").strip()
        name = _column_name(title)
        if not title:
            # Excel often exports trailing empty columns; only an unnamed column with data is wrong.
            if any(position < len(cells) and not is_blank([cells[position]]) for _n, cells in table.rows):
                errors.append(
                    RowError(
                        line, "", _("cột thứ %(n)s có dữ liệu nhưng không có tên.") % {"n": position + 1}
                    )
                )
        elif name in positions:
            errors.append(RowError(line, title, _("tên cột bị lặp lại.")))
        elif name not in COLUMNS:
            errors.append(
                RowError(
                    line,
                    title,
                    _("cột không có trong mẫu; các cột được nhận: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        else:
            positions[name] = position
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        errors.append(
            RowError(
                line,
                ", ".join(missing),
                _("thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    return positions, errors


class _RowReader:
    """Read the cells of one row by column name, collecting errors instead of stopping at the first."""

    def __init__(self, line: int, cells: Sequence[Cell], positions: Mapping[str, int]) -> None:
        self.line = line
        self.cells = cells
        self.positions = positions
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def text(self, column: str, *, required: bool) -> str:
        position = self.positions.get(column)
        value = _text(self.cells[position]) if position is not None and position < len(self.cells) else ""
        if required and not value:
            self.error(column, _("ô bắt buộc đang trống."))
        elif len(value) > LENGTHS.get(column, len(value)):
            self.error(column, _("dài quá %(limit)s ký tự.") % {"limit": LENGTHS[column]})
            return ""
        return value


def _row(reader: _RowReader, roles: Mapping[str, str], unit_roles: Collection[str]) -> UserRow | None:
    username = reader.text("username", required=True)
    if username and not USERNAME_RE.match(username):
        reader.error(
            "username",
            _(
                "«%(value)s» không phải tên đăng nhập hợp lệ (chỉ chữ, chữ số và @ . + - _, không có khoảng trắng)."
            )
            % {"value": username},
        )
    full_name = reader.text("full_name", required=True)
    email = normalize_email(reader.text("email", required=True))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            reader.error("email", _("«%(value)s» không phải địa chỉ email hợp lệ.") % {"value": email})
    role_text = reader.text("role", required=True)
    role = roles.get(fold(role_text), "") if role_text else ""
    if role_text and not role:
        reader.error(
            "role",
            _("«%(value)s» không phải vai trò; dùng một trong: %(roles)s.")
            % {"value": role_text, "roles": ", ".join(sorted(set(roles.values())))},
        )
    unit_code = reader.text("unit_code", required=False)
    if role in unit_roles and not unit_code:
        reader.error("unit_code", _("vai trò «%(role)s» cần mã đơn vị.") % {"role": role_text})
    elif role and role not in unit_roles and unit_code:
        reader.error(
            "unit_code",
            _("vai trò «%(role)s» là vai trò toàn cơ quan, phải để trống mã đơn vị (đang ghi «%(value)s»).")
            % {"role": role_text, "value": unit_code},
        )
    body_code = reader.text("body_code", required=True)
    if reader.errors:
        return None
    return UserRow(
        line=reader.line,
        username=username,
        full_name=full_name,
        email=email,
        role=role,
        unit_code=unit_code,
        body_code=body_code,
    )


def _cross_row_errors(rows: Sequence[UserRow]) -> list[RowError]:
    """Return the clashes between rows: a username with another name or e-mail, a row given twice."""
    errors: list[RowError] = []
    first_by_username: dict[str, UserRow] = {}
    seen_roles: dict[tuple[str, str, str, str], int] = {}
    username_by_email: dict[str, UserRow] = {}
    for row in rows:
        first = first_by_username.setdefault(row.username, row)
        if first.full_name != row.full_name:
            errors.append(
                RowError(
                    row.line,
                    "full_name",
                    _("tên đăng nhập «%(username)s» đã có ở dòng %(line)s với họ tên khác («%(other)s»).")
                    % {"username": row.username, "line": first.line, "other": first.full_name},
                )
            )
            continue
        if first.email.casefold() != row.email.casefold():
            errors.append(
                RowError(
                    row.line,
                    "email",
                    _("tên đăng nhập «%(username)s» đã có ở dòng %(line)s với email khác («%(other)s»).")
                    % {"username": row.username, "line": first.line, "other": first.email},
                )
            )
            continue
        owner = username_by_email.setdefault(row.email.casefold(), row)
        if owner.username != row.username:
            errors.append(
                RowError(
                    row.line,
                    "email",
                    _("email «%(email)s» đã dùng cho tài khoản «%(username)s» ở dòng %(line)s.")
                    % {"email": row.email, "username": owner.username, "line": owner.line},
                )
            )
            continue
        key = (row.username, row.body_code, row.role, row.unit_code)
        if key in seen_roles:
            errors.append(
                RowError(
                    row.line,
                    "role",
                    _("trùng với dòng %(line)s (cùng người, cùng vai trò, cùng đơn vị).")
                    % {"line": seen_roles[key]},
                )
            )
            continue
        seen_roles[key] = row.line
    return errors


def _column_name(title: object) -> str:
    key = fold(str(title).replace("\ufeff", ""))
    return COLUMN_ALIASES.get(key, key.replace(" ", "_"))


def _with_header_found(table: Table) -> Table:
    """Return the table re-cut at the first row naming the username column, past title rows."""
    # Offices put a title ("DANH SÁCH TÀI KHOẢN ...") and blank lines above the header.
    candidates = ((table.header_line, table.header), *table.rows[: HEADER_SEARCH_ROWS - 1])
    for index, (line, cells) in enumerate(candidates):
        if "username" in {_column_name(c) for c in cells}:
            if index == 0:
                return table
            return Table(header_line=line, header=tuple(str(c) for c in cells), rows=table.rows[index:])
    return table


def validate_users(*, table: Table, roles: RoleVocabulary) -> ParsedUsers:
    """Return the valid rows of a table and every problem of the others."""
    table = _with_header_found(table)
    positions, errors = _columns(table)
    if errors:
        return ParsedUsers(rows=(), errors=tuple(errors))
    if not table.rows:
        return ParsedUsers(rows=(), errors=(RowError(None, "", _("Tệp không có dòng dữ liệu nào.")),))
    if len(table.rows) > MAX_ROWS:
        message = _("Tệp có %(count)s dòng; mỗi lần nhập tối đa %(max)s dòng.")
        return ParsedUsers(
            rows=(), errors=(RowError(None, "", message % {"count": len(table.rows), "max": MAX_ROWS}),)
        )
    lookup = roles.lookup()
    rows: list[UserRow] = []
    for line, cells in table.rows:
        reader = _RowReader(line, cells, positions)
        row = _row(reader, lookup, roles.unit_roles)
        errors.extend(reader.errors)
        if row is not None:
            rows.append(row)
    clashes = _cross_row_errors(rows)
    clashing_lines = {e.row for e in clashes}
    return ParsedUsers(
        rows=tuple(r for r in rows if r.line not in clashing_lines),
        errors=tuple(sorted((*errors, *clashes), key=lambda e: (e.row or 0, e.column))),
    )


def parse_users(*, content: bytes, filename: str, roles: RoleVocabulary) -> ParsedUsers:
    """Return the valid rows and the problems of an .xlsx or .csv file of user accounts."""
    try:
        table = read_table(content=content, filename=filename)
    except TableReadError as exc:
        return ParsedUsers(rows=(), errors=(RowError(None, "", str(exc)),))
    return validate_users(table=table, roles=roles)


# --- writing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credential:
    """A new account's temporary password, to be handed over once; never stored in plain text."""

    username: str
    full_name: str
    email: str
    password: str = field(repr=False)  # kept out of logs and tracebacks


CREDENTIAL_COLUMNS = ("username", "full_name", "email", "temporary_password")


def credentials_csv(credentials: Iterable[Credential]) -> str:
    """Return the new accounts and their temporary passwords as CSV text (header included)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(CREDENTIAL_COLUMNS)
    for c in credentials:
        writer.writerow([c.username, c.full_name, c.email, c.password])
    return out.getvalue()


# The sample's header: Vietnamese (the reader takes these, the English names and unaccented spellings).
SAMPLE_HEADER = ("Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mã đơn vị", "Mã cơ quan")
# Example accounts: "vidu-" names no real account has, on the reserved example.invalid domain.
SAMPLE_ROWS = (
    ("vidu-quantri", "Nguyễn Văn An (ví dụ)", "vidu-quantri@example.invalid", "body_admin", "", "{body}"),
    (
        "vidu-canbo",
        "Trần Thị Bình (ví dụ)",
        "vidu-canbo@example.invalid",
        "Cán bộ đơn vị",
        "{unit}",
        "{body}",
    ),
    (
        "vidu-thutruong",
        "Lò Văn Cường (ví dụ)",
        "vidu-thutruong@example.invalid",
        "unit_head",
        "{unit}",
        "{body}",
    ),
    (
        "vidu-thutruong",
        "Lò Văn Cường (ví dụ)",
        "vidu-thutruong@example.invalid",
        "council_member",
        "",
        "{body}",
    ),
    (
        "vidu-thamdinh",
        "Phạm Thu Dung (ví dụ)",
        "vidu-thamdinh@example.invalid",
        "Thành viên Tổ giúp việc",
        "",
        "{body}",
    ),
)


def sample_csv(*, body_code: str = "lai-chau", unit_code: str = "so-noi-vu") -> str:
    """Return a sample file: one row per role of a person, Vietnamese role names or codes, the body's own codes."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(SAMPLE_HEADER)
    writer.writerows(
        tuple(cell.format(body=body_code, unit=unit_code) for cell in row) for row in SAMPLE_ROWS
    )
    return out.getvalue()
