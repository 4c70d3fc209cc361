"""The submission key of a request: the hidden input of a create form, or an API's Idempotency-Key header."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from scoring.idempotency.services import KEY_MAX_LENGTH, Once, submission_once

FIELD_NAME = "submission_key"
HEADER_NAME = "Idempotency-Key"


def new_submission_key() -> str:
    """Return a fresh key for one rendering of a create form."""
    return uuid.uuid4().hex


def submission_key_of(request: HttpRequest) -> str:
    """Return the key the request carries ("" when none); a key too long to be ours is a 400."""
    key = (request.POST.get(FIELD_NAME) or request.headers.get(HEADER_NAME) or "").strip()
    if len(key) > KEY_MAX_LENGTH:
        raise SuspiciousOperation(_("Mã lần gửi quá dài (tối đa %(n)s ký tự).") % {"n": KEY_MAX_LENGTH})
    return key


# The header in the API schema of every create call that honours it.
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER_NAME,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Mã tùy chọn (tối đa 64 ký tự) do bên gọi tạo cho mỗi yêu cầu; gửi lại cùng mã thì không tạo thêm, "
        "trả về đúng kết quả của lần đầu."
    ),
)


def request_once(request: HttpRequest, *, scope: str, action: Callable[[], dict[str, Any]]) -> Once:
    """Return submission_once for the request's user and the key it carries."""
    return submission_once(user=request.user, scope=scope, key=submission_key_of(request), action=action)
