"""Writes to the evaluation model; each function is one named operation in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import calc, users_io
from .criteria_demo import demo_criteria_sets
from .criteria_workbook import CriteriaRow, WorkbookError, read_criteria, validate_rows
from .models import (
    UNIT_ROLE_VALUES,
    ClassificationBand,
    CriteriaItem,
    CriteriaSet,
    EvaluatingBody,
    Level,
    NotApplicableItem,
    Period,
    Role,
    RoleAssignment,
    Unit,
    UnitGroup,
    User,
)
from .selectors import criteria_set_rows

logger = logging.getLogger(__name__)

# Lai Châu's bands (Tốt ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu below): the default a new period starts from.
DEFAULT_BANDS: tuple[calc.Band, ...] = calc.LAI_CHAU_BANDS


def code_from_name(name: str, max_length: int = 80) -> str:
    """Return a stable slug for a Vietnamese name ("Sở Nội vụ" -> "so-noi-vu")."""
    # slugify drops đ/Đ instead of transliterating it, which would turn "Đài" into "ai".
    return slugify(name.replace("đ", "d").replace("Đ", "D"))[:max_length].strip("-") or "x"


@transaction.atomic
def body_get_or_create(*, code: str, name: str, administrator_name: str = "") -> EvaluatingBody:
    body, _ = EvaluatingBody.objects.get_or_create(
        code=code, defaults={"name": name, "administrator_name": administrator_name}
    )
    return body


@transaction.atomic
def period_get_or_create(*, body: EvaluatingBody, year: int) -> tuple[Period, bool]:
    """Return the body's period for the year, creating it with the previous period's bands or the default."""
    period, created = Period.objects.get_or_create(body=body, year=year)
    if created:
        previous = Period.objects.filter(body=body, year__lt=year).order_by("-year").first()
        bands = (
            [b.as_band() for b in previous.bands.all()]
            if previous and previous.bands.exists()
            else DEFAULT_BANDS
        )
        ClassificationBand.objects.bulk_create(
            ClassificationBand(period=period, code=b.code, label=b.label, min_index=Decimal(b.min_index))
            for b in bands
        )
    return period, created


@transaction.atomic
def unit_group_get_or_create(*, body: EvaluatingBody, name: str, code: str = "") -> tuple[UnitGroup, bool]:
    """Return the body's unit group matched by code or name, creating it when neither exists."""
    code = code or code_from_name(name)
    group = (
        UnitGroup.objects.filter(body=body, code=code).first()
        or UnitGroup.objects.filter(body=body, name=name).first()
    )
    if group:
        return group, False
    order = UnitGroup.objects.filter(body=body).count() + 1
    return UnitGroup.objects.create(body=body, code=code, name=name, order=order), True


# --- criteria sets: import, clone, demo ----------------------------------------------------------


class CriteriaImportError(Exception):
    """Raised with every problem found in a criteria workbook; nothing has been saved."""

    def __init__(self, errors: Sequence[WorkbookError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class CriteriaCloneError(Exception):
    """Raised when a period's criteria sets cannot be cloned; nothing has been saved."""


@dataclass(frozen=True, slots=True)
class CriteriaCloneResult:
    criteria_sets: list[CriteriaSet]
    item_count: int
    exemption_count: int


def _general_error(message: str) -> WorkbookError:
    return WorkbookError(sheet="", message=message)


def _criteria_items_create(*, criteria_set: CriteriaSet, rows: Sequence[CriteriaRow]) -> int:
    """Create the items of valid rows (tree order) with their period-wide exemptions; return the item count."""
    levels = {1: Level.FIELD, 2: Level.CRITERION, 3: Level.SUB_CRITERION}
    order = {row.code: index for index, row in enumerate(rows, start=1)}
    by_code: dict[str, CriteriaItem] = {}
    # One insert per level, so that every parent has its primary key before its children are built.
    for depth in (1, 2, 3):
        batch = [
            CriteriaItem(
                criteria_set=criteria_set,
                parent=by_code.get(row.parent_code),
                level=levels[depth],
                code=row.code,
                name=row.name,
                guidance=row.guidance,
                max_points=row.max_points,
                step=row.step,
                method=row.method,
                order=order[row.code],
            )
            for row in rows
            if row.depth == depth
        ]
        by_code.update((item.code, item) for item in CriteriaItem.objects.bulk_create(batch))
    NotApplicableItem.objects.bulk_create(
        NotApplicableItem(item=by_code[row.code], unit=None, reason=row.not_applicable_reason)
        for row in rows
        if row.not_applicable_reason
    )
    return len(by_code)


def _criteria_set_save(
    *,
    period: Period,
    unit_group: UnitGroup,
    rows: Sequence[CriteriaRow],
    name: str,
    is_illustrative: bool,
    replace: bool,
) -> CriteriaSet:
    existing = CriteriaSet.objects.select_for_update().filter(period=period, unit_group=unit_group).first()
    if existing is None:
        criteria_set = CriteriaSet.objects.create(
            period=period, unit_group=unit_group, name=name, is_illustrative=is_illustrative
        )
    elif not replace:
        raise CriteriaImportError([_criteria_set_exists_error(period=period, unit_group=unit_group)])
    else:
        criteria_set = existing
        try:
            criteria_set.items.all().delete()
        except ProtectedError as exc:
            message = _("Bộ tiêu chí %(name)s đã được dùng để chấm điểm nên không thể thay thế.") % {
                "name": criteria_set.name
            }
            raise CriteriaImportError([_general_error(message)]) from exc
        criteria_set.name = name
        criteria_set.is_illustrative = is_illustrative
        criteria_set.save(update_fields=["name", "is_illustrative"])
    _criteria_items_create(criteria_set=criteria_set, rows=rows)
    return criteria_set


def _criteria_set_exists_error(*, period: Period, unit_group: UnitGroup) -> WorkbookError:
    message = _(
        'Nhóm %(group)s đã có bộ tiêu chí năm %(year)s. Chọn "Thay thế bộ tiêu chí đã có" nếu muốn nhập đè.'
    ) % {"group": unit_group.name, "year": period.year}
    return _general_error(message)


@transaction.atomic
def criteria_set_import(
    *,
    period: Period,
    unit_group: UnitGroup,
    workbook_file: IO[bytes] | bytes | Any,
    name: str,
    is_illustrative: bool = False,
    replace: bool = False,
    actor: User | None = None,
) -> CriteriaSet:
    """Return the criteria set created (or, with replace, refilled) from a workbook; all or nothing.

    Raises CriteriaImportError with every problem of the file, and with the clash when the group
    already has a set for the period and replace is False.
    """
    if unit_group.body_id != period.body_id:
        raise CriteriaImportError([_general_error(_("Nhóm đơn vị không thuộc cơ quan đánh giá của kỳ này."))])
    errors: list[WorkbookError] = []
    if not replace and CriteriaSet.objects.filter(period=period, unit_group=unit_group).exists():
        errors.append(_criteria_set_exists_error(period=period, unit_group=unit_group))
    parsed = read_criteria(workbook_file)
    errors.extend(parsed.errors)
    if errors:
        raise CriteriaImportError(errors)
    criteria_set = _criteria_set_save(
        period=period,
        unit_group=unit_group,
        rows=parsed.rows,
        name=name,
        is_illustrative=is_illustrative,
        replace=replace,
    )
    logger.info(
        "criteria set %s imported for %s %s (%s items, replace=%s) by %s",
        criteria_set.pk,
        period.body.code,
        period.year,
        len(parsed.rows),
        replace,
        actor,
    )
    return criteria_set


@transaction.atomic
def criteria_set_import_for_year(
    *,
    body: EvaluatingBody,
    year: int,
    unit_group: UnitGroup,
    workbook_file: IO[bytes] | bytes | Any,
    name: str,
    is_illustrative: bool = False,
    replace: bool = False,
    actor: User | None = None,
) -> CriteriaSet:
    """Return the set imported into the body's period for the year, creating the period only on success."""
    # The import is the first act of a new year, so the period may not exist yet; the outer atomic block
    # rolls the new period back with everything else when the file has errors.
    period, _created = period_get_or_create(body=body, year=year)
    return criteria_set_import(
        period=period,
        unit_group=unit_group,
        workbook_file=workbook_file,
        name=name,
        is_illustrative=is_illustrative,
        replace=replace,
        actor=actor,
    )


def _name_for_year(name: str, source_year: int, target_year: int) -> str:
    if str(source_year) in name:
        return name.replace(str(source_year), str(target_year))
    return _("%(name)s (năm %(year)s)") % {"name": name, "year": target_year}


@transaction.atomic
def criteria_set_clone(*, source_period: Period, target_period: Period) -> CriteriaCloneResult:
    """Return the copies of every criteria set of source_period made in target_period; all or nothing.

    Period-wide exemptions are copied with the items: such a decision (2020: no DDCI survey, so
    everyone is scored on 98) is usually re-made the next year, and a copy the administrator reviews
    is safer than a silent 100-point scale. The UI says so. Per-unit exemptions are not copied: units
    merge and split between years, so those are decided again for each unit.
    """
    if source_period.body_id != target_period.body_id or source_period.pk == target_period.pk:
        raise CriteriaCloneError(_("Chỉ sao chép giữa hai kỳ khác nhau của cùng một cơ quan đánh giá."))
    sources = list(CriteriaSet.objects.filter(period=source_period).select_related("unit_group"))
    if not sources:
        raise CriteriaCloneError(
            _("Năm %(year)s chưa có bộ tiêu chí nào để sao chép.") % {"year": source_period.year}
        )
    taken = list(
        CriteriaSet.objects.filter(
            period=target_period, unit_group__in=[s.unit_group_id for s in sources]
        ).select_related("unit_group")
    )
    if taken:
        raise CriteriaCloneError(
            _("Năm %(year)s đã có bộ tiêu chí cho nhóm: %(groups)s. Không sao chép gì.")
            % {"year": target_period.year, "groups": ", ".join(s.unit_group.name for s in taken)}
        )
    created: list[CriteriaSet] = []
    item_count = exemption_count = 0
    for source in sources:
        rows = criteria_set_rows(criteria_set=source)
        copy = CriteriaSet.objects.create(
            period=target_period,
            unit_group=source.unit_group,
            name=_name_for_year(source.name, source_period.year, target_period.year),
            is_illustrative=source.is_illustrative,
            note=source.note,
        )
        item_count += _criteria_items_create(criteria_set=copy, rows=rows)
        exemption_count += sum(1 for row in rows if row.not_applicable_reason)
        created.append(copy)
    return CriteriaCloneResult(criteria_sets=created, item_count=item_count, exemption_count=exemption_count)


@transaction.atomic
def criteria_set_clone_for_years(
    *, body: EvaluatingBody, source_year: int, target_year: int
) -> CriteriaCloneResult:
    """Return the result of cloning the body's sets of source_year into target_year (period made if needed)."""
    source = Period.objects.filter(body=body, year=source_year).first()
    if source is None:
        raise CriteriaCloneError(_("Chưa có kỳ đánh giá năm %(year)s.") % {"year": source_year})
    target, _created = period_get_or_create(body=body, year=target_year)
    return criteria_set_clone(source_period=source, target_period=target)


@transaction.atomic
def criteria_demo_load(*, period: Period, unit_group: UnitGroup, kind: str) -> CriteriaSet:
    """Return the group's set for the period, loading the illustrative demo set of that kind if it has none.

    kind is "departments" or "districts" (see criteria_demo.py). Idempotent: an existing set is left alone.
    """
    existing = CriteriaSet.objects.filter(period=period, unit_group=unit_group).first()
    if existing is not None:
        return existing
    demo = demo_criteria_sets()[kind]
    parsed = validate_rows(demo.rows)
    if not parsed.ok:  # project data, checked by tests; never reached unless the JSON was edited badly
        raise CriteriaImportError(parsed.errors)
    return _criteria_set_save(
        period=period,
        unit_group=unit_group,
        rows=parsed.rows,
        name=demo.name,
        is_illustrative=True,
        replace=False,
    )


# --- users: a province's accounts from a spreadsheet ---------------------------------------------

# A temporary password is 12 random characters (about 69 bits), so it needs no key stretching to resist
# guessing, whereas Django's default PBKDF2 rounds cost ~0.25 s per password here: 120 accounts would take
# half a minute, beyond a web worker's timeout. Django re-hashes with its full count at the first login
# (the hasher's must_update), and the password is replaced at that login anyway.
TEMPORARY_PASSWORD_ITERATIONS = 10_000


@dataclass(frozen=True, slots=True)
class UsersImportSummary:
    created: int
    updated: int
    roles_added: int
    unchanged: int
    # The new accounts' temporary passwords, to hand over once; only their hashes are stored.
    credentials: tuple[users_io.Credential, ...] = field(default=(), repr=False)

    def as_text(self) -> str:
        """Return the summary as one Vietnamese sentence."""
        return _(
            "Tạo mới %(created)s tài khoản, cập nhật %(updated)s, thêm %(roles)s vai trò, "
            "%(unchanged)s tài khoản không đổi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "roles": self.roles_added,
            "unchanged": self.unchanged,
        }


def users_role_vocabulary() -> users_io.RoleVocabulary:
    """Return the roles an import file may name, with their Vietnamese labels whatever the UI language."""
    with translation.override("vi"):
        labels = {role.value: str(role.label) for role in Role}
    return users_io.RoleVocabulary(labels=labels, unit_roles=frozenset(UNIT_ROLE_VALUES))


def _temporary_password_hash(password: str) -> str:
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher) and hasher.iterations > TEMPORARY_PASSWORD_ITERATIONS:
        fast = type(hasher)()
        fast.iterations = TEMPORARY_PASSWORD_ITERATIONS
        return fast.encode(password, fast.salt())
    return make_password(password)


@dataclass(frozen=True, slots=True)
class _UsersPlan:
    errors: list[users_io.RowError]
    bodies: dict[str, EvaluatingBody]
    units: dict[tuple[str, str], Unit]
    existing: dict[str, User]


def _users_import_plan(*, rows: Sequence[users_io.UserRow]) -> _UsersPlan:
    """Return the database objects the rows name, and every row they do not match."""
    body_codes = {r.body_code for r in rows}
    bodies = {b.code: b for b in EvaluatingBody.objects.filter(code__in=body_codes)}
    units = {
        (u.body.code, u.code): u
        for u in Unit.objects.filter(
            body__code__in=body_codes, code__in={r.unit_code for r in rows if r.unit_code}
        ).select_related("body")
    }
    usernames = {r.username for r in rows}
    existing = {u.username: u for u in User.objects.select_for_update().filter(username__in=usernames)}
    # Two accounts sharing an address would both receive each other's password-reset e-mails.
    owner_by_email = dict(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in={r.email.casefold() for r in rows})
        .exclude(username__in=usernames)
        .values_list("email_lower", "username")
    )
    errors: list[users_io.RowError] = []
    checked_users: set[str] = set()
    for row in rows:
        body = bodies.get(row.body_code)
        if body is None:
            errors.append(
                users_io.RowError(
                    row.line,
                    "body_code",
                    _("không có cơ quan đánh giá mã «%(code)s».") % {"code": row.body_code},
                )
            )
        elif row.unit_code and (row.body_code, row.unit_code) not in units:
            errors.append(
                users_io.RowError(
                    row.line,
                    "unit_code",
                    _("%(body)s không có đơn vị mã «%(code)s».") % {"body": body.name, "code": row.unit_code},
                )
            )
        if row.username in checked_users:
            continue  # the account-level checks are reported once, on the person's first row
        checked_users.add(row.username)
        user = existing.get(row.username)
        if user is not None and user.email and user.email.casefold() != row.email.casefold():
            errors.append(
                users_io.RowError(
                    row.line,
                    "email",
                    _(
                        "tài khoản «%(username)s» đã có với email «%(current)s», khác «%(email)s»; "
                        "không tự ghi đè: hãy sửa tệp hoặc sửa tài khoản trong trang quản trị."
                    )
                    % {"username": row.username, "current": user.email, "email": row.email},
                )
            )
        owner = owner_by_email.get(row.email.casefold())
        if owner is not None:
            errors.append(
                users_io.RowError(
                    row.line,
                    "email",
                    _("email «%(email)s» đã dùng cho tài khoản khác («%(owner)s»).")
                    % {"email": row.email, "owner": owner},
                )
            )
    return _UsersPlan(errors=errors, bodies=bodies, units=units, existing=existing)


@transaction.atomic
def users_import(*, rows: Sequence[users_io.UserRow], actor: User | None = None) -> UsersImportSummary:
    """Return what importing validated rows changed: new accounts, roles added; all or nothing.

    New accounts get a temporary password and must change it at the first login. Existing accounts
    only gain the roles they lack (and a full name or e-mail they lack): their password and details
    are never touched, so importing the same file again changes nothing. Raises UsersImportError
    with every row that does not match the database.
    """
    plan = _users_import_plan(rows=rows)
    if plan.errors:
        raise users_io.UsersImportError(plan.errors)
    users = dict(plan.existing)
    credentials: list[users_io.Credential] = []
    changed: set[str] = set()
    for row in rows:
        user = users.get(row.username)
        if user is None:
            password = users_io.temporary_password()
            user = User.objects.create(
                username=row.username,
                full_name=row.full_name,
                email=row.email,
                password=_temporary_password_hash(password),
                must_change_password=True,
            )
            users[row.username] = user
            credentials.append(
                users_io.Credential(
                    username=row.username, full_name=row.full_name, email=row.email, password=password
                )
            )
        elif row.username in plan.existing and (not user.full_name or not user.email):
            user.full_name = user.full_name or row.full_name
            user.email = user.email or row.email
            user.save(update_fields=["full_name", "email"])
            changed.add(row.username)
    held = set(
        RoleAssignment.objects.filter(user__in=users.values()).values_list(
            "user_id", "body_id", "role", "unit_id"
        )
    )
    new_roles: list[RoleAssignment] = []
    for row in rows:
        user, body = users[row.username], plan.bodies[row.body_code]
        unit = plan.units[(row.body_code, row.unit_code)] if row.unit_code else None
        key = (user.pk, body.pk, row.role, unit.pk if unit else None)
        if key in held:
            continue
        held.add(key)
        new_roles.append(RoleAssignment(user=user, body=body, role=row.role, unit=unit))
        if row.username in plan.existing:
            changed.add(row.username)
    RoleAssignment.objects.bulk_create(new_roles)
    summary = UsersImportSummary(
        created=len(credentials),
        updated=len(changed),
        roles_added=len(new_roles),
        unchanged=len(plan.existing) - len(changed),
        credentials=tuple(credentials),
    )
    logger.info(
        "users imported by %s: %s created, %s updated, %s roles added, %s unchanged",
        actor,
        summary.created,
        summary.updated,
        summary.roles_added,
        summary.unchanged,
    )
    return summary


@transaction.atomic
def users_import_file(*, content: bytes, filename: str, actor: User | None = None) -> UsersImportSummary:
    """Return the summary of importing an .xlsx/.csv file of accounts; raise UsersImportError, saving nothing."""
    parsed = users_io.parse_users(content=content, filename=filename, roles=users_role_vocabulary())
    if parsed.errors:
        # The valid rows are checked against the database too, so that one pass shows every problem.
        raise users_io.UsersImportError([*parsed.errors, *_users_import_plan(rows=parsed.rows).errors])
    return users_import(rows=parsed.rows, actor=actor)
