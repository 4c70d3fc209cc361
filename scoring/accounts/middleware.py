"""Keep a user who must set a new password (a new account's first login) on the password-change page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class PasswordChangeRequiredMiddleware:
    """Redirect pages, and refuse API calls with 403, until must_change_password is cleared.

    Placed after AuthenticationMiddleware. The change page itself, logout, the language switch and
    static files stay reachable, so the user can always do what is asked or leave.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

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
        target = reverse("password_change")
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            # An htmx request would swap the change page into a fragment; ask htmx to load it as a page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            # Resolved on first use: the URLconf is not loaded yet when middleware is built.
            static = settings.STATIC_URL or "/static/"
            self._exempt = (
                reverse("password_change"),
                reverse("password_change_done"),
                reverse("logout"),
                reverse("set_language"),
                static if static.startswith(("/", "http")) else "/" + static,
            )
        return path.startswith(self._exempt)


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

    try:
        result = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None  # the view answers 401 itself
    return result[0] if result else None
