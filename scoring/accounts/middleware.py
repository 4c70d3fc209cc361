"""Keep a signed-in user on the page they must pass first: the second factor, then a new password.

Both middlewares sit after AuthenticationMiddleware (the second one also after django-otp's
OTPMiddleware, which gives request.user.is_verified()). Logout, the language switch, static files and
the pages of the step itself stay reachable, so the user can always do what is asked or leave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from scoring.access import must_use_two_factor
from scoring.accounts.selectors import has_second_factor

API_PREFIX = "/api/"
TWO_FACTOR_PAGES = ("two_factor_verify", "two_factor_setup", "two_factor_backup_codes")


class _StepMiddleware:
    """Send the user to one page (by URL name) until the step is done; the subclass says when it is due."""

    # URL names reachable while the step is due, besides logout, the language switch and static files.
    allowed: tuple[str, ...] = ()

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            # Resolved on first use: the URLconf is not loaded yet when middleware is built.
            self._exempt = _paths((*self.allowed, "logout", "set_language"))
        return path.startswith(self._exempt)

    def _send_to(self, request: HttpRequest, url_name: str) -> HttpResponse:
        target = reverse(url_name)
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            # An htmx request would swap the page into a fragment; ask htmx to load it as a page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


def _paths(url_names: Iterable[str]) -> tuple[str, ...]:
    static = settings.STATIC_URL or "/static/"
    return (
        *(reverse(name) for name in url_names),
        static if static.startswith(("/", "http")) else "/" + static,
    )


class TwoFactorRequiredMiddleware(_StepMiddleware):
    """After the password, ask the roles of TWO_FACTOR_REQUIRED_ROLES for a one-time code (enrolling first).

    API calls with a token are not concerned (tokens are issued deliberately, and DRF authenticates them
    after middleware); an API call riding on an unverified session is refused with 403.
    """

    allowed = TWO_FACTOR_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is None
            or not user.is_authenticated
            or self._is_exempt(path)
            or user.is_verified()
            or not must_use_two_factor(user, settings.TWO_FACTOR_REQUIRED_ROLES)
        ):
            return self.get_response(request)
        if path.startswith(API_PREFIX):
            message = _("Tài khoản này phải xác thực hai bước: hãy nhập mã một lần trên trang web.")
            return JsonResponse({"detail": message, "code": "two_factor_required"}, status=403)
        return self._send_to(
            request, "two_factor_verify" if has_second_factor(user=user) else "two_factor_setup"
        )


class PasswordChangeRequiredMiddleware(_StepMiddleware):
    """Redirect pages, and refuse API calls with 403, until must_change_password is cleared."""

    # The second factor comes first: its pages stay open while the password is still temporary.
    allowed = ("password_change", "password_change_done", *TWO_FACTOR_PAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        user = _user(request, api=path.startswith(API_PREFIX))
        if user is None or not getattr(user, "must_change_password", False) or self._is_exempt(path):
            return self.get_response(request)
        if path.startswith(API_PREFIX):
            message = _(
                "Bạn phải đổi mật khẩu tạm trước khi dùng API: hãy đăng nhập trên trang web và đặt mật khẩu mới."
            )
            return JsonResponse({"detail": message, "code": "password_change_required"}, status=403)
        return self._send_to(request, "password_change")


def _user(request: HttpRequest, *, api: bool):
    """Return the signed-in user: from the session, or for the API also from a token; None if anonymous."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    if not api:
        return None
    # DRF authenticates tokens in the view, after middleware; without this a token would bypass the rule.
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    from scoring.accounts.authentication import ApiTokenAuthentication

    for authentication in (ApiTokenAuthentication, TokenAuthentication):
        try:
            result = authentication().authenticate(request)
        except AuthenticationFailed:
            return None  # the view answers 401 itself
        if result:
            return result[0]
    return None
