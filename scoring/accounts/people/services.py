"""Changing the people of a body: invite, give and take roles, deactivate and reactivate, reset a password.

Every function is the body administrator's one action, checked, written and audited in one transaction; the
e-mails leave once it commits. Role rows are audited by the RoleAssignment signals, attributed through
`acting_as`; the changes to the account itself are recorded here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.access import leaves_body_without_admin, may_take_over_account
from scoring.accounts import io as users_io
from scoring.accounts.services import (
    UsersImportSummary,
    _temporary_password_hash,
    users_import_file,
    users_role_vocabulary,
)
from scoring.audit.services import acting_as, audit_record
from scoring.models import UNIT_ROLE_VALUES, EvaluatingBody, Role, RoleAssignment, Unit, User
from scoring.spreadsheets.io import RowError

LAST_ADMIN = gettext_lazy("Cơ quan phải còn ít nhất một quản trị đang hoạt động.")


@dataclass(frozen=True, slots=True)
class Invited:
    user: User
    # False when the address already had an account: it only gained the role, and no link was sent.
    created: bool


def _check_role(*, body: EvaluatingBody, role: str, unit: Unit | None) -> None:
    """Raise ValidationError unless the role exists and its unit is right: one of the body's units for a unit role."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if role in UNIT_ROLE_VALUES:
        if unit is None:
            raise ValidationError({"unit": _("Vai trò này gắn với một đơn vị: hãy chọn đơn vị.")})
        if unit.body_id != body.pk:
            raise ValidationError({"unit": _("Đơn vị không thuộc cơ quan đánh giá này.")})
    elif unit is not None:
        raise ValidationError({"unit": _("Vai trò này áp dụng cho cả cơ quan: không chọn đơn vị.")})


def _set_password_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def _send(*, template: str, user: User, body: EvaluatingBody, link: str) -> None:
    context = {
        "user": user,
        "body": body,
        "link": link,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    send_mail(subject, render_to_string(f"emails/{template}_body.txt", context), None, [user.email])


def _grant(*, body: EvaluatingBody, actor: User, user: User, role: str, unit: Unit | None) -> RoleAssignment:
    _check_role(body=body, role=role, unit=unit)
    if body.role_assignments.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError({"role": _("Người này đã có vai trò này.")})
    with acting_as(actor):
        return body.role_assignments.create(user=user, role=role, unit=unit)


@transaction.atomic
def person_invite(
    *,
    body: EvaluatingBody,
    actor: User,
    email: str,
    full_name: str,
    username: str,
    role: str,
    unit: Unit | None,
    base_url: str,
) -> Invited:
    """Return the invited account: a new one without a password, sent a set-password link that expires.

    An address that already has an account (one login may serve several bodies) only gains the role here.
    """
    email = email.strip()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _grant(body=body, actor=actor, user=existing, role=role, unit=unit)
        return Invited(user=existing, created=False)
    username = (username or email.split("@")[0]).strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("Tên đăng nhập «%(name)s» đã có người dùng.") % {"name": username}}
        )
    _check_role(body=body, role=role, unit=unit)
    user = User(username=username, email=email, full_name=full_name.strip())
    # No usable password: the only way in is the link, so nobody else ever knows the first password.
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        body=body, actor=actor, action="user_invite", obj=user, field="email", new=f"{username} <{email}>"
    )
    _grant(body=body, actor=actor, user=user, role=role, unit=unit)
    link = _set_password_link(user=user, base_url=base_url)
    transaction.on_commit(lambda: _send(template="people_invite", user=user, body=body, link=link))
    return Invited(user=user, created=True)


@transaction.atomic
def role_grant(
    *, body: EvaluatingBody, actor: User, user: User, role: str, unit: Unit | None
) -> RoleAssignment:
    """Return the new role of the account in the body; raise ValidationError for a wrong unit or a duplicate."""
    return _grant(body=body, actor=actor, user=user, role=role, unit=unit)


@transaction.atomic
def role_revoke(*, body: EvaluatingBody, actor: User, assignment: RoleAssignment) -> None:
    """Take one of the body's roles away; the body keeps at least one administrator."""
    if assignment.body_id != body.pk:
        raise ValidationError(_("Vai trò không thuộc cơ quan đánh giá này."))
    if leaves_body_without_admin(body, removed_role_ids=[assignment.pk]):
        raise ValidationError(LAST_ADMIN)
    with acting_as(actor):
        assignment.delete()


def _refuse_self(*, actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise ValidationError(_("Không thể tự thực hiện thao tác này với tài khoản của chính mình."))


@transaction.atomic
def person_deactivate(*, body: EvaluatingBody, actor: User, user: User) -> bool:
    """Stop the account working in the body; return True if the account itself was deactivated.

    An account of this body alone is deactivated (its roles stay, so it can be reactivated). An account with
    roles in other bodies only loses this body's roles: one body never shuts another's people out.
    """
    _refuse_self(actor=actor, user=user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not may_take_over_account(body, user):
        for assignment in body.role_assignments.filter(user=user).select_related("unit", "user"):
            role_revoke(body=body, actor=actor, assignment=assignment)
        return False
    if not user.is_active:
        return True
    if leaves_body_without_admin(body, deactivated=user):
        raise ValidationError(LAST_ADMIN)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        body=body, actor=actor, action="user_deactivate", obj=user, field="is_active", old=True, new=False
    )
    return True


@transaction.atomic
def person_reactivate(*, body: EvaluatingBody, actor: User, user: User) -> None:
    """Let an account of this body alone log in again."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not may_take_over_account(body, user):
        raise ValidationError(_("Tài khoản này còn thuộc cơ quan khác; không thể kích hoạt lại từ đây."))
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        body=body, actor=actor, action="user_reactivate", obj=user, field="is_active", old=False, new=True
    )


@transaction.atomic
def password_link_send(*, body: EvaluatingBody, actor: User, user: User, base_url: str) -> None:
    """E-mail the account a link to set a new password (Django's reset token; it expires)."""
    if not user.email:
        raise ValidationError(_("Tài khoản không có email; hãy đặt mật khẩu tạm."))
    link = _set_password_link(user=user, base_url=base_url)
    audit_record(body=body, actor=actor, action="password_link_sent", obj=user, field="email", new=user.email)
    transaction.on_commit(lambda: _send(template="people_password", user=user, body=body, link=link))


@transaction.atomic
def password_temporary_set(*, body: EvaluatingBody, actor: User, user: User) -> str:
    """Return a new temporary password for an account of this body alone, to show once; it must be changed at login."""
    _refuse_self(actor=actor, user=user)
    if not may_take_over_account(body, user):
        raise ValidationError(
            _("Tài khoản này còn thuộc cơ quan khác; chỉ có thể gửi đường dẫn đặt mật khẩu qua email.")
        )
    password = users_io.temporary_password()
    user.password = _temporary_password_hash(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # The password itself never reaches the log.
    audit_record(
        body=body,
        actor=actor,
        action="password_temporary_set",
        obj=user,
        field="must_change_password",
        new=True,
    )
    return password


@transaction.atomic
def people_import_file(
    *, body: EvaluatingBody, content: bytes, filename: str, actor: User
) -> UsersImportSummary:
    """Return what importing the file changed; every row must be of this body. Raise UsersImportError, saving nothing.

    The rows go through the platform's import (new accounts get a temporary password, existing ones only gain
    roles). One more rule here: an account of others that has no e-mail yet is refused, since the import
    would give it the file's address and this body could then send itself that account's reset link.
    """
    parsed = users_io.parse_users(content=content, filename=filename, roles=users_role_vocabulary())
    errors = [
        RowError(
            row.line,
            "body_code",
            _("chỉ nhập được người dùng của %(body)s (mã «%(code)s»).")
            % {"body": body.name, "code": body.code},
        )
        for row in parsed.rows
        if row.body_code != body.code
    ]
    usernames = {row.username: row.line for row in parsed.rows}
    for user in User.objects.filter(username__in=usernames, email=""):
        if not may_take_over_account(body, user):
            errors.append(
                RowError(
                    usernames[user.username],
                    "email",
                    _(
                        "tài khoản «%(username)s» thuộc cơ quan khác và chưa có email; hãy nhờ quản trị hệ thống."
                    )
                    % {"username": user.username},
                )
            )
    if errors:
        raise users_io.UsersImportError([*parsed.errors, *errors])
    summary = users_import_file(content=content, filename=filename, actor=actor)
    # The roles are audited by the import; the accounts it created are recorded here, in this body's log.
    created = {c.username: c for c in summary.credentials}
    for user in User.objects.filter(username__in=created):
        audit_record(
            body=body,
            actor=actor,
            action="user_import",
            obj=user,
            field="email",
            new=f"{user.username} <{user.email}>",
        )
    return summary
