"""The account pages: the password (changed at a new account's first login, or reset by e-mail), the
second factor (enrolment, the code after the password, backup codes), and the login locks a body's
administrator may lift.
"""

from __future__ import annotations

from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from scoring.access import (
    accounts_administered,
    api_tokens_visible,
    bodies_administered,
    bodies_shared_with,
    may_revoke_api_token,
    may_unlock_account,
)
from scoring.accounts import io as users_io
from scoring.accounts import services as account_services
from scoring.accounts.forms import ApiTokenForm, OneTimeCodeForm, ResetSetPasswordForm
from scoring.accounts.selectors import (
    api_tokens_of_others,
    api_tokens_own,
    backup_codes_remaining,
    has_second_factor,
    locked_accounts,
)
from scoring.idempotency.http import request_once
from scoring.models import ApiToken, User


class NewPasswordChangeForm(PasswordChangeForm):
    """Django's form, which also clears must_change_password and refuses keeping the old password."""

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password"):
            # The old one may be a temporary password that someone else has seen on paper.
            self.add_error("new_password1", ValidationError(_("Mật khẩu mới phải khác mật khẩu hiện tại.")))
        return cleaned

    def save(self, commit: bool = True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = NewPasswordChangeForm
    title = gettext_lazy("Đổi mật khẩu")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self._next_url()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def get_success_url(self) -> str:
        # Back to the page the user was sent away from at the first login, or to the home page.
        return self._next_url() or reverse(settings.LOGIN_REDIRECT_URL)

    def _next_url(self) -> str:
        return _safe_next(self.request)


class PasswordResetView(auth_views.PasswordResetView):
    """The reset request page; the e-mail's templates follow the project's pairs in templates/emails/."""

    email_template_name = "emails/password_reset_body.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    title = gettext_lazy("Quên mật khẩu")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm
    title = gettext_lazy("Đặt mật khẩu mới")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever set the new password holds the account's mailbox: the lock others caused on it is lifted.
        account_services.account_unlock(account=form.user, actor=form.user, bodies=())
        return response


# --- the second factor -------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    """Return the ?next= page if it is on this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


def _next_or_home(request: HttpRequest) -> str:
    return _safe_next(request) or reverse(settings.LOGIN_REDIRECT_URL)


def _qr_svg(text: str) -> str:
    # segno writes SVG itself (no imaging library); the markup is its own, the only input the URL.
    return segno.make(text, error="m").svg_inline(scale=5, dark="#111", light="#fff")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and key, then the first code proves it and backup codes are shown once."""
    user = request.user
    if has_second_factor(user=user) and not user.is_verified():
        # Otherwise a password alone would be enough to put a new phone on the account.
        return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": _next_or_home(request)}))
    device = account_services.two_factor_device_start(user=user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = account_services.two_factor_enroll(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai bước."))
            context = {"codes": codes, "next": _next_or_home(request)}
            return render(request, "registration/two_factor_backup_codes.html", context)
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn; hãy nhập mã đang hiện trên ứng dụng."))
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "next": _next_or_home(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password: a code from the app, or one backup code."""
    if not has_second_factor(user=request.user):
        return redirect(reverse("two_factor_setup") + "?" + urlencode({"next": _next_or_home(request)}))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = account_services.two_factor_verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_or_home(request))
        form.add_error(
            "token", _("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng, hoặc một mã dự phòng.")
        )
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_or_home(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """Show how many backup codes are left; POST makes a new set (shown once), which only a verified session may."""
    if not request.user.is_verified():
        return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": request.get_full_path()}))
    if request.method == "POST":
        codes = account_services.backup_codes_renew(user=request.user)
        return render(
            request,
            "registration/two_factor_backup_codes.html",
            {"codes": codes, "next": _next_or_home(request)},
        )
    context = {
        "codes": None,
        "remaining": backup_codes_remaining(user=request.user),
        "next": _next_or_home(request),
    }
    return render(request, "registration/two_factor_backup_codes.html", context)


# --- login locks, lifted by a body's administrator ---------------------------------------------------------


@login_required
@require_GET
def account_lockout_list(request: HttpRequest) -> HttpResponse:
    """The accounts of the user's bodies whose login is locked now; 404 for anyone who administers no body."""
    if not bodies_administered(request.user).exists():
        raise Http404
    context = {"locked": locked_accounts(accounts=accounts_administered(request.user))}
    return render(request, "scoring/accounts/lockouts.html", context)


@login_required
@require_POST
def account_lockout_release(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    if not may_unlock_account(request.user, account):
        raise Http404
    account_services.account_unlock(
        account=account, actor=request.user, bodies=list(bodies_shared_with(request.user, account))
    )
    messages.success(request, _("Đã mở khoá đăng nhập của %(name)s.") % {"name": account})
    return redirect("account_lockouts")


# --- the temporary passwords of imported accounts (the admin's import and a body's), downloaded once --------

CREDENTIALS_SESSION_KEY = "users_import_credentials"


def credentials_keep(request: HttpRequest, credentials) -> None:
    """Add the new accounts' temporary passwords to the importer's session; several imports add up."""
    if credentials:
        pending = request.session.get(CREDENTIALS_SESSION_KEY, [])
        pending.extend([c.username, c.full_name, c.email, c.password] for c in credentials)
        request.session[CREDENTIALS_SESSION_KEY] = pending


def credentials_pending(request: HttpRequest) -> int:
    return len(request.session.get(CREDENTIALS_SESSION_KEY, []))


def credentials_download(request: HttpRequest) -> HttpResponse | None:
    """Return the pending passwords as CSV, deleting them from the session; None if there are none (any more)."""
    pending = request.session.pop(CREDENTIALS_SESSION_KEY, None)
    if not pending:
        return None
    credentials = [
        users_io.Credential(username=u, full_name=n, email=e, password=p) for u, n, e, p in pending
    ]
    response = HttpResponse(
        "\ufeff" + users_io.credentials_csv(credentials), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mat-khau-tam.csv"'
    response["Cache-Control"] = "no-store"
    return response


def users_sample(
    request: HttpRequest, *, body_code: str = "lai-chau", unit_code: str = "so-noi-vu"
) -> HttpResponse:
    # The BOM makes Excel open the file as UTF-8, so the diacritics survive.
    content = users_io.sample_csv(body_code=body_code, unit_code=unit_code)
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="users_sample.csv"'
    return response


# --- personal API tokens ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens and a form for a new one, whose key this response shows once and never again."""
    form = ApiTokenForm(request.POST or None, initial={"expires_on": _default_expiry()})
    new_key = ""
    if request.method == "POST" and form.is_valid():
        created: dict[str, str] = {}

        def create() -> dict[str, int]:
            token, created["key"] = account_services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], expires_on=form.cleaned_data["expires_on"]
            )
            return {"id": token.pk}  # never the key: the result is stored to answer a repeated POST

        try:
            once = request_once(request, scope="api_token", action=create)
        except account_services.ApiTokenError as error:
            form.add_error(None, error.message)
        else:
            if once.repeated:
                messages.info(request, _("Mã này đã được tạo ở lần gửi trước; mã chỉ hiện một lần."))
                return redirect("api_tokens")
            new_key = created["key"]
            form = ApiTokenForm(initial={"expires_on": _default_expiry()})
    tokens = api_tokens_visible(request.user)
    context = {
        "form": form,
        "new_key": new_key,
        "own": api_tokens_own(tokens=tokens, user=request.user),
        "others": api_tokens_of_others(tokens=tokens, user=request.user),
        "max_days": settings.API_TOKEN_MAX_DAYS,
    }
    response = render(request, "scoring/accounts/api_tokens.html", context)
    # The page may hold a key: no cache (the browser's back button included) may keep a copy.
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not may_revoke_api_token(request.user, token):
        raise Http404
    if account_services.api_token_revoke(token=token, actor=request.user):
        messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    else:
        messages.info(request, _("Mã truy cập “%(name)s” đã bị thu hồi từ trước.") % {"name": token.name})
    return redirect("api_tokens")


def _default_expiry():
    return timezone.localdate() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
