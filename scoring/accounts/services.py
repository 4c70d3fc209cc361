"""Accounts: a province's accounts from a spreadsheet (all or nothing, temporary passwords, roles added,
nothing overwritten); lifting a login lock; the second factor (authenticator app and backup codes).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from axes.utils import reset
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from scoring.accounts import io as users_io
from scoring.audit.services import audit_record, audit_text
from scoring.models import UNIT_ROLE_VALUES, ApiToken, EvaluatingBody, Role, RoleAssignment, Unit, User

logger = logging.getLogger(__name__)

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
    _audit_roles_added(roles=new_roles, actor=actor)
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


def _audit_roles_added(*, roles: Sequence[RoleAssignment], actor: User | None) -> None:
    # bulk_create sends no post_save, so the role signal does not see these: record them here.
    from scoring.signals import role_text

    for role in roles:
        audit_record(
            body=role.body,
            actor=actor,
            action="role_assign",
            obj=role,
            unit=role.unit,
            field="role",
            new=role_text(role),
        )


# --- login locks and the second factor -------------------------------------------------------------------

BACKUP_CODE_COUNT = 10
# django-otp's TOTPDevice default, which the enrolment keeps (every authenticator app shows six digits).
TOTP_DIGITS = 6


@transaction.atomic
def account_unlock(*, account: User, actor: User, bodies: Sequence[EvaluatingBody]) -> int:
    """Return how many failed-attempt rows were cleared to lift the account's login lock; audited in each body.

    Only the account's own rows go: an address locked for trying many accounts stays locked.
    """
    cleared = reset(username=account.username)
    for body in bodies:
        audit_record(body=body, actor=actor, action="account_unlock", obj=account, note=account.username)
    logger.info("login lock of %s lifted by %s (%s rows)", account.username, actor, cleared)
    return cleared


@transaction.atomic
def two_factor_device_start(*, user: User) -> TOTPDevice:
    """Return the user's authenticator device waiting for its first code, made with a new key if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


@transaction.atomic
def two_factor_enroll(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Return new backup codes once the code from the app proves the device; None if the code is wrong.

    A confirmed device replaces any earlier one (a new phone), and the old backup codes go with it.
    """
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=user)


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    """Return a new set of one-time backup codes for the user; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_verify(*, user: User, token: str):
    """Return the user's device that accepts the code (app code or backup code, used up), or None."""
    token = "".join(token.split()).lower()
    for device in devices_for_user(user, confirmed=True):
        # One device tried per code: a wrong code then counts once against that device's throttle.
        looks_like_app_code = token.isdigit() and len(token) == TOTP_DIGITS
        fits = looks_like_app_code if isinstance(device, TOTPDevice) else not looks_like_app_code
        if fits and verify_token(user, device.persistent_id, token):
            return device
    return None


# --- personal API tokens ---------------------------------------------------------------------------

# The visible start of every key: a leaked key found in a repository or a log is recognisable as ours.
API_TOKEN_MARK = "pi_"
API_TOKEN_PREFIX_LENGTH = len(API_TOKEN_MARK) + 6
# last_used_at is written at most this often, so that a script calling in a loop does not write on every call.
API_TOKEN_USE_GRANULARITY = timedelta(minutes=1)


class ApiTokenError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


def api_token_max_expiry(*, today: date | None = None) -> date:
    """Return the latest end date a new token may have."""
    return (today or timezone.localdate()) + timedelta(days=settings.API_TOKEN_MAX_DAYS)


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_on: date | None) -> tuple[ApiToken, str]:
    """Return the new token and its key, which exists only here: the database keeps its hash alone."""
    name = (name or "").strip()
    today = timezone.localdate()
    expires_on = expires_on or today + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    if not name:
        raise ApiTokenError(_("Hãy đặt tên cho mã truy cập (ví dụ: tên chương trình sẽ dùng nó)."))
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ApiTokenError(_("Tên mã truy cập dài quá 100 ký tự."))
    if expires_on <= today:
        raise ApiTokenError(_("Ngày hết hạn phải sau hôm nay."))
    if expires_on > api_token_max_expiry(today=today):
        raise ApiTokenError(
            _("Mã truy cập có hạn tối đa %(days)s ngày (đến %(date)s).")
            % {
                "days": settings.API_TOKEN_MAX_DAYS,
                "date": api_token_max_expiry(today=today).strftime("%d/%m/%Y"),
            }
        )
    key = API_TOKEN_MARK + secrets.token_urlsafe(32)
    # Valid through the chosen day, in the province's time: the list then shows that day, not the next.
    end = timezone.make_aware(datetime.combine(expires_on, time(23, 59, 59)))
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:API_TOKEN_PREFIX_LENGTH],
        expires_at=end,
    )
    _api_token_recorded(
        token=token, actor=user, action="api_token_created", old=None, new=_api_token_text(token)
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> bool:
    """Return whether the token was revoked now (False if it had been already); the key stops working at once."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _api_token_recorded(
        token=token, actor=actor, action="api_token_revoked", old=_api_token_text(token), new="đã thu hồi"
    )
    return True


def api_token_authenticate(*, key: str) -> ApiToken:
    """Return the active token of the key, its use noted; ApiTokenError (with the reason) otherwise."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        raise ApiTokenError(_("Mã truy cập API không hợp lệ."))
    if token.revoked_at is not None:
        raise ApiTokenError(_("Mã truy cập API đã bị thu hồi. Hãy tạo mã mới ở trang “Mã truy cập API”."))
    now = timezone.now()
    if token.expires_at <= now:
        raise ApiTokenError(_("Mã truy cập API đã hết hạn. Hãy tạo mã mới ở trang “Mã truy cập API”."))
    if token.last_used_at is None or token.last_used_at < now - API_TOKEN_USE_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _api_token_text(token: ApiToken) -> str:
    return f"{token.name} ({token.prefix}…), {token.user.username}, hết hạn {audit_text(token.expires_at)}"


def _api_token_recorded(
    *, token: ApiToken, actor: User, action: str, old: str | None, new: str | None
) -> None:
    # A token is a person's, not a body's: each body where its holder works keeps the line in its own log.
    for body in EvaluatingBody.objects.filter(role_assignments__user_id=token.user_id).distinct():
        audit_record(body=body, actor=actor, action=action, obj=token, field="api_token", old=old, new=new)
