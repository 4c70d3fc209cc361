"""Request bodies bounded before they are read: a 413 on the declared length, and a handler that stops reading.

A 120 MB upload used to be received whole (spooled to disk by a web worker) before a form said "over 20 MB".
The limit depends on the path: document uploads (evidence, explanations, minutes, decisions) may carry one file
of EVIDENCE_MAX_UPLOAD_MB, spreadsheet imports IMPORT_MAX_UPLOAD_MB, everything else REQUEST_MAX_BODY_MB.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

MB = 1024 * 1024


class RequestBodyTooLarge(RequestDataTooBig):
    """The body turned out longer than its path's limit while being read; answered 413 by the middleware.

    A RequestDataTooBig, so that where it escapes the middleware Django still answers 400, never 500.
    """


def body_limit(path: str) -> int:
    """Return the largest request body, in bytes, accepted on this path."""
    if any(re.match(pattern, path) for pattern in settings.UPLOAD_DOCUMENT_PATHS):
        return (settings.EVIDENCE_MAX_UPLOAD_MB + settings.UPLOAD_MARGIN_MB) * MB
    if any(re.match(pattern, path) for pattern in settings.UPLOAD_IMPORT_PATHS):
        return (settings.IMPORT_MAX_UPLOAD_MB + settings.UPLOAD_MARGIN_MB) * MB
    return settings.REQUEST_MAX_BODY_MB * MB


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django reads it: an unreadable length is an empty body


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """Return the 413 answer, in Vietnamese; JSON for the API."""
    message = _("Dữ liệu gửi lên lớn hơn mức cho phép (%(max)s MB) nên không được nhận.") % {
        "max": limit // MB
    }
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    html = (
        f'<!doctype html><html lang="vi"><meta charset="utf-8"><p role="alert">{escape(message)}</p></html>'
    )
    # Sent before the body was read: the server must not try to read the rest as a next request.
    return HttpResponse(html, status=413, headers={"Connection": "close"})


class RequestBodyLimitMiddleware:
    """Answer 413 when the declared body is over the path's limit, before anything reads it.

    A body that BodyLimitUploadHandler stops while it is read (wherever it was first touched, which
    answers 400) is answered 413 here as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path_info)
        if _declared_length(request) > limit:
            return too_large_response(request, limit)
        request.body_limit = limit  # read by BodyLimitUploadHandler
        response = self.get_response(request)
        if getattr(request, "body_over_limit", False):
            return too_large_response(request, limit)
        return response


class BodyLimitUploadHandler(FileUploadHandler):
    """Count the bytes of uploaded files and stop at the request's limit; the next handlers store the files."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        self.limit = getattr(self.request, "body_limit", None) or body_limit(self.request.path_info)
        self.received = 0
        if content_length > self.limit:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def _refuse(self) -> None:
        self.request.body_over_limit = True  # the middleware turns the 400 into a 413
        raise RequestBodyTooLarge(self.limit)

    def file_complete(self, file_size: int) -> None:
        return None  # the file itself is kept by the next handler
