"""What the setup API's views share: the refusal shape, the body a request names, pagination.

A refusal is 400 `{"detail": first message, "field": its field or null, "errors": {field: [messages]}}` (the
shape of the other endpoints, with every field's messages added); nothing was changed. Objects of a body the
caller does not administer answer 404, as the pages do; a caller who administers no body at all gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from scoring.access import bodies_administered
from scoring.models import EvaluatingBody

MESSAGE = inline_serializer("SetupMessage", {"detail": serializers.CharField()})
ERROR = inline_serializer(
    "SetupError",
    {
        "detail": serializers.CharField(),
        "field": serializers.CharField(allow_null=True),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)
NOT_FOUND = OpenApiResponse(
    MESSAGE, description=gettext_lazy("Không có hoặc không phải cơ quan bạn quản trị.")
)
FORBIDDEN = OpenApiResponse(MESSAGE, description=gettext_lazy("Bạn không quản trị cơ quan đánh giá nào."))
REFUSED = OpenApiResponse(ERROR, description=gettext_lazy("Dữ liệu không hợp lệ; không có gì thay đổi."))
# The answers every endpoint may give besides its own.
COMMON = {403: FORBIDDEN, 404: NOT_FOUND}
WRITE = {400: REFUSED, **COMMON}
NOT_IN_BODY = gettext_lazy("Lựa chọn không thuộc cơ quan đánh giá này.")


class SetupPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = gettext_lazy("Không có trang này.")


def _field(name: str) -> str | None:
    return None if name in (NON_FIELD_ERRORS, "non_field_errors") else name


def refused(errors: dict[str, list[str]]) -> Response:
    """Return the 400 of a refusal: every field's messages, the first one also as `detail`."""
    errors = {
        NON_FIELD_ERRORS if _field(key) is None else key: [str(m) for m in messages]
        for key, messages in errors.items()
        if messages
    }
    field, messages = next(iter(errors.items()), (NON_FIELD_ERRORS, [_("Dữ liệu không hợp lệ.")]))
    return Response(
        {"detail": messages[0], "field": _field(field), "errors": errors}, status=status.HTTP_400_BAD_REQUEST
    )


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


class SetupApiView(GenericAPIView):
    """Base of the setup endpoints: the services' refusals become 400s in one shape."""

    pagination_class = SetupPagination

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            exc = exceptions.NotFound(str(exc) or _("Không tìm thấy."))
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        if isinstance(exc, ValidationError):
            if hasattr(exc, "error_dict"):
                return refused(exc.message_dict)
            return refused({NON_FIELD_ERRORS: exc.messages})
        if isinstance(exc, exceptions.ParseError):
            # DRF's text names the parser in English; a broken body deserves a plain Vietnamese answer.
            return refused(
                {NON_FIELD_ERRORS: [_("Dữ liệu gửi lên không đọc được (JSON hỏng?); hãy gửi lại.")]}
            )
        if isinstance(exc, exceptions.ValidationError):
            detail = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD_ERRORS: exc.detail}
            return refused({key: _flatten(value) for key, value in detail.items()})
        return super().handle_exception(exc)

    def administered(self) -> QuerySet[EvaluatingBody]:
        """Return the bodies the caller administers; 403 if none (an officer, a viewer, an appraiser…)."""
        bodies = bodies_administered(self.request.user)
        if not bodies.exists():
            raise exceptions.PermissionDenied(_("Bạn không quản trị cơ quan đánh giá nào."))
        return bodies

    def body_named(self, code: str) -> EvaluatingBody:
        """Return the administered body of the code; 404 for any other, as if it did not exist."""
        body = self.administered().filter(code=code).first()
        if body is None:
            raise Http404(_("Không tìm thấy cơ quan đánh giá."))
        return body

    def page(self, rows: QuerySet | list, serializer: type[serializers.Serializer]) -> Response:
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializer(page, many=True).data)

    def validated(self, serializer: type[serializers.Serializer], data: Any = None, **kwargs: Any) -> Any:
        """Return the valid input; otherwise refuse it (400) with a Vietnamese message under each field."""
        data = self.request.data if data is None else data
        checked = serializer(data=data, **kwargs)
        if not checked.is_valid():
            raise ValidationError(field_errors(checked))
        return checked.validated_data


def pick(model: type[Model], pk: int | None, *, field: str, message: Any = NOT_IN_BODY) -> Any:
    """Return the object of that id (None for None) for a service to check; a missing one is refused on the field.

    The services refuse another body's object with this same message, so a caller cannot tell an id of another
    body from one that does not exist.
    """
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


# --- Vietnamese messages for the input checks --------------------------------------------------------------
# DRF's own messages are English (its Vietnamese catalogue covers a handful): each refusal is said again here
# from its code and the field's own limits.

_INVALID = {
    serializers.SlugField: gettext_lazy(
        "Chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ: so-noi-vu."
    ),
    serializers.EmailField: gettext_lazy("Hãy nhập một địa chỉ email hợp lệ."),
    serializers.IntegerField: gettext_lazy("Hãy nhập một số nguyên."),
    serializers.DecimalField: gettext_lazy("Hãy nhập một số, ví dụ 70 hoặc 72.5."),
    serializers.BooleanField: gettext_lazy("Hãy nhập true hoặc false."),
    serializers.DateTimeField: gettext_lazy(
        "Hãy nhập thời điểm dạng YYYY-MM-DDTHH:MM, ví dụ 2027-01-15T17:00."
    ),
    serializers.DateField: gettext_lazy("Hãy nhập ngày dạng YYYY-MM-DD, ví dụ 2026-12-31."),
    serializers.ListField: gettext_lazy("Hãy gửi một danh sách."),
}


def _invalid(field: serializers.Field | None) -> str:
    for kind, message in _INVALID.items():
        if isinstance(field, kind):
            return str(message)
    return _("Giá trị không hợp lệ.")


def _message(field: serializers.Field | None, detail: Any) -> str:
    code = getattr(detail, "code", None)
    if code is None:
        return str(detail)
    if field is None:  # about the whole request (or one row of a list): its shape
        if code == "null":
            return _("Không có dữ liệu gửi lên.")
        if code == "invalid":
            return _("Dữ liệu phải là một đối tượng JSON (các cặp tên: giá trị).")
        return _("Dữ liệu không hợp lệ.")
    if code == "required":
        return _("Trường này là bắt buộc.")
    if code in ("null", "blank"):
        return _("Trường này không được để trống.")
    if code == "max_length":
        return _("Tối đa %(n)s ký tự.") % {"n": field.max_length}
    if code == "min_length" and isinstance(field, serializers.ListField):
        return _("Hãy chọn ít nhất %(n)s mục.") % {"n": field.min_length}
    if code == "min_value":
        return _("Giá trị nhỏ nhất là %(n)s.") % {"n": field.min_value}
    if code == "max_value":
        return _("Giá trị lớn nhất là %(n)s.") % {"n": field.max_value}
    if code == "invalid_choice":
        return _("Lựa chọn không hợp lệ.")
    if code in ("max_digits", "max_decimal_places", "max_whole_digits"):
        return _("Tối đa %(n)s chữ số thập phân.") % {"n": field.decimal_places}
    if code in ("not_a_list", "empty"):
        return _("Hãy gửi một danh sách (không rỗng).")
    return _invalid(field)


def _messages(field: serializers.Field | None, details: Any) -> list[str]:
    if isinstance(details, dict):  # a list field's items, by position: the child field's messages
        return [m for d in details.values() for m in _messages(getattr(field, "child", field), d)]
    if isinstance(details, list):
        return [m for d in details for m in _messages(field, d)]
    return [_message(field, details)]


def field_errors(checked: serializers.BaseSerializer) -> dict[str, list[str]]:
    """Return the serializer's refusals in Vietnamese, by field ("0.min_index" for an item of a list)."""
    if isinstance(checked, serializers.ListSerializer):
        errors: dict[str, list[str]] = {}
        # By position: a list in older DRF, {index: errors} since 3.16 ({"non_field_errors": …} for a non-list).
        rows = checked.errors
        pairs = enumerate(rows) if isinstance(rows, list) else rows.items()
        for index, row in pairs:
            if not isinstance(index, int) or not isinstance(row, dict):
                continue
            for name, details in row.items():
                key = str(index) if _field(name) is None else f"{index}.{name}"
                errors[key] = _messages(checked.child.fields.get(name), details)
        if not errors:
            errors[NON_FIELD_ERRORS] = [_("Hãy gửi một danh sách (không rỗng).")]
        return errors
    return {name: _messages(checked.fields.get(name), details) for name, details in checked.errors.items()}
