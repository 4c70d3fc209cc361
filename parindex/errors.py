"""Vietnamese error pages (400, 403, 404, 500), JSON under /api/, with DEBUG on as well as off.

Django's own pages are English ("Not Found"). The handlers below are the urlconf's handler400…500. With DEBUG
on, Django answers a 404 or a 400 with its technical page and never calls them; ErrorPagesMiddleware sends
those cases to the same handlers, so a tester with DEBUG on sees what a user sees. An unexpected exception under
DEBUG gets the Vietnamese 500 page too (the demo runs with DEBUG on, for people who are not developers); its
traceback goes to the log, and DEBUG_TECHNICAL_500=true brings Django's technical page back for a developer.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, get_resolver
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Yêu cầu không hợp lệ"),
            _("Máy chủ không hiểu yêu cầu này. Vui lòng tải lại trang và thử lại."),
        ),
        403: (
            _("Không có quyền truy cập"),
            _("Tài khoản của bạn không được phép xem hoặc thực hiện thao tác này."),
        ),
        404: (
            _("Không tìm thấy trang"),
            _("Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ."),
        ),
        500: (
            _("Lỗi hệ thống"),
            _("Đã có lỗi trong hệ thống; lỗi đã được ghi lại. Vui lòng thử lại sau ít phút."),
        ),
    }


def _respond(request: HttpRequest | None, status: int) -> HttpResponse:
    title, message = _messages()[status]
    if request is not None and request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    # No RequestContext: the 500 page must render even when what broke is a context processor or the database.
    body = loader.get_template(f"{status}.html").render(
        {"title": title, "message": message, "status": status}
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(request, 500)


class ErrorPagesMiddleware:
    """With DEBUG on, answer 404 and 400 with the Vietnamese pages instead of Django's technical ones.

    Placed after CommonMiddleware, whose APPEND_SLASH redirect still turns a 404 for "/trang" into "/trang/".
    With DEBUG off it does nothing: Django calls the handlers itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404:
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return bad_request(request, exception)
        if getattr(settings, "DEBUG_TECHNICAL_500", False):
            return None
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception, extra={"status_code": 500}
        )
        return server_error(request)
