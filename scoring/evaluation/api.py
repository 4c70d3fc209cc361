"""REST API of the items not scored for a unit (the /tieu-chi/khong-danh-gia/ pages' API), for the administrator.

Writes call not_applicable_save / not_applicable_delete, as the page does: a reason is required, and a unit
whose result is published keeps its exemptions until the council reopens it (400 with the reason).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from scoring.access import exemption_periods
from scoring.models import NotApplicableItem, Period, Unit
from scoring.rest import WRITE, SetupApiView
from scoring.results.state import ResultsFrozen

from . import selectors
from .not_applicable import NotApplicableError, not_applicable_delete, not_applicable_save

UNIT_NOT_IN_BODY = gettext_lazy("Đơn vị không thuộc cơ quan đánh giá này.")


class ExemptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.IntegerField(source="item.criteria_set.period_id")
    unit = serializers.IntegerField(
        source="unit_id", allow_null=True, help_text=gettext_lazy("null: không đánh giá với mọi đơn vị.")
    )
    item = serializers.IntegerField(source="item_id")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    reason = serializers.CharField()


class ExemptionApiView(SetupApiView):
    queryset = NotApplicableItem.objects.none()

    def handle_exception(self, exc: Exception):
        if isinstance(exc, NotApplicableError | ResultsFrozen):
            exc = ValidationError({NON_FIELD_ERRORS: [exc.message]})
        return super().handle_exception(exc)

    def period(self, pk: int) -> Period:
        self.administered()
        period = exemption_periods(self.request.user).select_related("body").filter(pk=pk).first()
        if period is None:
            raise Http404(_("Không tìm thấy kỳ đánh giá."))
        return period


class ExemptionListCreateApi(ExemptionApiView):
    @extend_schema_serializer(component_name="ExemptionListCreateFilter")
    class FilterSerializer(serializers.Serializer):
        period = serializers.IntegerField(help_text=gettext_lazy("Mã (id) kỳ đánh giá."))
        unit = serializers.IntegerField(
            required=False,
            help_text=gettext_lazy("Chỉ của đơn vị này (cùng các mục áp dụng cho mọi đơn vị)."),
        )

    @extend_schema_serializer(component_name="ExemptionListCreateInput")
    class InputSerializer(serializers.Serializer):
        period = serializers.IntegerField()
        unit = serializers.IntegerField()
        item_code = serializers.CharField(max_length=20, help_text=gettext_lazy("Mã tiêu chí, ví dụ 4.2.3."))
        reason = serializers.CharField(max_length=2000)

    @extend_schema(
        operation_id="exemptions_list",
        summary=gettext_lazy("Các tiêu chí không đánh giá của một kỳ"),
        tags=["exemptions"],
        parameters=[FilterSerializer],
        responses={200: ExemptionSerializer(many=True), **WRITE},
    )
    def get(self, request: Request) -> Response:
        values = self.validated(self.FilterSerializer, request.query_params)
        period = self.period(values["period"])
        rows = NotApplicableItem.objects.filter(item__criteria_set__period=period)
        if "unit" in values:
            rows = rows.filter(Q(unit__isnull=True) | Q(unit_id=values["unit"]))
        rows = rows.select_related("item__criteria_set").order_by("unit_id", "item__order", "pk")
        return self.page(rows, ExemptionSerializer)

    @extend_schema(
        operation_id="exemptions_create",
        summary=gettext_lazy("Đánh dấu một tiêu chí không đánh giá với một đơn vị (kèm lý do)"),
        description=gettext_lazy("Nếu đã đánh dấu từ trước thì thay lý do (trả về 200)."),
        tags=["exemptions"],
        request=InputSerializer,
        responses={201: ExemptionSerializer, 200: ExemptionSerializer, **WRITE},
    )
    def post(self, request: Request) -> Response:
        values = self.validated(self.InputSerializer)
        period = self.period(values["period"])
        unit = Unit.objects.filter(pk=values["unit"], body_id=period.body_id).select_related("group").first()
        if unit is None:
            raise ValidationError({"unit": UNIT_NOT_IN_BODY})
        item = selectors.unit_exemption_item(period=period, unit=unit, code=values["item_code"])
        if item is None:
            raise ValidationError(
                {"item_code": _("Không có tiêu chí được chấm điểm mã “%(code)s” trong bộ tiêu chí của đơn vị.")
                 % {"code": values["item_code"]}}
            )  # fmt: skip
        existing = selectors.unit_exemption_row(item=item, unit=unit)
        row = not_applicable_save(
            row=existing, item=item, unit=unit, reason=values["reason"], actor=request.user
        )
        answer = status.HTTP_200_OK if existing is not None else status.HTTP_201_CREATED
        return Response(ExemptionSerializer(row).data, status=answer)


class ExemptionDeleteApi(ExemptionApiView):
    @extend_schema(
        operation_id="exemptions_destroy",
        summary=gettext_lazy("Bỏ đánh dấu: tiêu chí được đánh giá lại với đơn vị"),
        description=gettext_lazy("Các mục áp dụng cho mọi đơn vị thuộc bộ tiêu chí, không bỏ ở đây."),
        tags=["exemptions"],
        responses={204: None, **WRITE},
    )
    def delete(self, request: Request, pk: int) -> Response:
        self.administered()
        row = NotApplicableItem.objects.filter(
            pk=pk, unit__isnull=False, item__criteria_set__period__in=exemption_periods(request.user)
        ).first()
        if row is None:
            raise Http404(_("Không tìm thấy tiêu chí không đánh giá."))
        not_applicable_delete(row=row, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
