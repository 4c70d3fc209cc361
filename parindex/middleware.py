import logging

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class VietnameseFirstMiddleware:
    """Serve Vietnamese unless the user picked another language in the page.

    Civil servants' browsers often send "Accept-Language: en-US"; the product is Vietnamese first,
    so only the language cookie set by the language switcher may change it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """Answer 409 "try again" instead of a 500 when SQLite stays locked past its busy timeout.

    The SQLite settings make saves wait for each other, so this is the last resort (a save held up longer than
    SQLITE_BUSY_TIMEOUT_SECONDS). Nothing was written: the transaction that met the lock was rolled back, so
    repeating the action is safe. Any other database error is still a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_locked(exception):
            return None
        logger.warning("database locked past the busy timeout: %s %s", request.method, request.path)
        message = _(
            "Hệ thống đang bận lưu một thay đổi khác cùng lúc; chưa có gì được lưu. Vui lòng thử lại."
        )
        if request.path.startswith("/api/") or request.headers.get("HX-Request") == "true":
            return JsonResponse({"detail": message, "retry": True}, status=409)
        return render(request, "busy.html", {"message": message}, status=409)


def is_database_locked(exception: BaseException) -> bool:
    """Return whether the error is SQLite's "database is locked" (or "… table is locked")."""
    return isinstance(exception, OperationalError) and "is locked" in str(exception)
