"""REST API of appraiser assignments, for the body's administrator: list, bulk create, delete.

Visibility is appraisal.access's (404 for a period or an assignment of a body the caller does not administer);
the rules are the service's (a refusal is 400 with the Vietnamese message and the field). A create honours the
Idempotency-Key header: a retried request creates nothing more and gets the first answer.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scoring.idempotency.http import IDEMPOTENCY_KEY_PARAMETER, request_once
from scoring.models import User

from ..access import assignment_get, assignment_period_get
from ..models import AppraiserAssignment
from . import services
from .selectors import assignment_list

MESSAGE = inline_serializer("AssignmentMessage", {"detail": serializers.CharField()})
ERROR = inline_serializer(
    "AssignmentError", {"detail": serializers.CharField(), "field": serializers.CharField(allow_null=True)}
)
NOT_FOUND = OpenApiResponse(
    MESSAGE, description=gettext_lazy("Không có hoặc không phải cơ quan bạn quản trị.")
)
REFUSED = OpenApiResponse(ERROR, description=gettext_lazy("Dữ liệu không hợp lệ; không có gì thay đổi."))


@extend_schema_serializer(component_name="AppraiserAssignment")
class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.IntegerField(source="period_id")
    appraiser = serializers.IntegerField(source="appraiser_id")
    appraiser_name = serializers.CharField(source="appraiser.__str__")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    unit_name = serializers.SerializerMethodField()
    field_code = serializers.CharField(help_text=gettext_lazy("Rỗng khi phân công cả đơn vị."))

    def get_unit_name(self, obj: AppraiserAssignment) -> str | None:
        return obj.unit.name if obj.unit_id else None


def _refused(detail: str, field: str | None) -> Response:
    return Response({"detail": detail, "field": field}, status=status.HTTP_400_BAD_REQUEST)


class AssignmentApiView(APIView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            exc = exceptions.NotFound(str(exc) or _("Không tìm thấy."))
        if isinstance(exc, ValidationError):
            field, messages = next(iter(exc.message_dict.items()))
            return _refused(messages[0], None if field == "__all__" else field)
        if isinstance(exc, exceptions.ValidationError):
            field, messages = next(iter(exc.detail.items()))
            message = messages[0] if isinstance(messages, list) else messages
            return _refused(str(message), None if field == "non_field_errors" else field)
        return super().handle_exception(exc)


class AssignmentListCreateApi(AssignmentApiView):
    @extend_schema_serializer(component_name="AppraiserAssignmentFilter")
    class FilterSerializer(serializers.Serializer):
        period = serializers.IntegerField(help_text=gettext_lazy("Mã (id) kỳ đánh giá."))

    @extend_schema_serializer(component_name="AppraiserAssignmentInput")
    class InputSerializer(serializers.Serializer):
        period = serializers.IntegerField()
        appraiser = serializers.IntegerField(
            help_text=gettext_lazy("Người giữ vai trò thẩm định viên của cơ quan.")
        )
        units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        field_codes = serializers.ListField(
            child=serializers.CharField(max_length=20), required=False, default=list
        )

    @extend_schema(
        operation_id="appraiser_assignments_list",
        summary=gettext_lazy("Phân công thẩm định của một kỳ đánh giá"),
        tags=["appraiser-assignments"],
        parameters=[FilterSerializer],
        responses={200: AssignmentSerializer(many=True), 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        period = assignment_period_get(user=request.user, period_id=params.validated_data["period"])
        return Response(AssignmentSerializer(assignment_list(period=period), many=True).data)

    @extend_schema(
        operation_id="appraiser_assignments_create",
        summary=gettext_lazy("Phân công một người thẩm định cho nhiều đơn vị và/hoặc lĩnh vực"),
        description=gettext_lazy(
            "Chỉ người giữ vai trò thẩm định viên của cơ quan mới được phân công. Các mục đã phân công từ trước "
            "được bỏ qua (trả về trong existing); nếu mọi mục đều đã có thì từ chối. Khi bị từ chối, không lưu gì."
        ),
        tags=["appraiser-assignments"],
        request=InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: inline_serializer(
                "AssignmentBulkResult",
                {"created": AssignmentSerializer(many=True), "existing": AssignmentSerializer(many=True)},
            ),
            400: REFUSED,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        period = assignment_period_get(user=request.user, period_id=values["period"])
        appraiser = User.objects.filter(pk=values["appraiser"]).first()
        if appraiser is None:
            return _refused(_("Không có người dùng này."), "appraiser")

        def create() -> dict[str, Any]:
            result = services.assignments_create(
                actor=request.user,
                period=period,
                appraiser=appraiser,
                unit_ids=values["units"],
                field_codes=values["field_codes"],
            )
            return {
                "created": AssignmentSerializer(result.created, many=True).data,
                "existing": AssignmentSerializer(result.existing, many=True).data,
            }

        once = request_once(request, scope=f"appraiser_assignments_api:{period.pk}", action=create)
        headers = {"Idempotent-Replayed": "true"} if once.repeated else None
        return Response(once.result, status=status.HTTP_201_CREATED, headers=headers)


class AssignmentDeleteApi(AssignmentApiView):
    @extend_schema(
        operation_id="appraiser_assignments_destroy",
        summary=gettext_lazy("Bỏ một phân công thẩm định"),
        tags=["appraiser-assignments"],
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.assignment_delete(actor=request.user, assignment=assignment_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
