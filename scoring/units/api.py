"""REST API of a body's units, unit groups and unit kinds, for its administrator (the /quan-ly/don-vi/ pages' API).

Each write calls the service the page calls (scoring.units.services): the same refusals (a code already used, a
lineage cycle, a deactivation before the start…) come back as 400 with the field, and are audited the same way.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from scoring.idempotency.http import IDEMPOTENCY_KEY_PARAMETER, request_once
from scoring.models import Unit, UnitGroup, UnitKind, UnitLineage
from scoring.rest import COMMON, WRITE, SetupApiView, pick

from . import selectors, services

# --- output ----------------------------------------------------------------------------------------------


class UnitGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(source="body.code")
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class UnitKindSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(source="body.code")
    code = serializers.CharField()
    name = serializers.CharField()


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(source="body.code")
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.IntegerField(source="group_id")
    kind = serializers.IntegerField(source="kind_id", allow_null=True)
    active_from = serializers.DateField(allow_null=True)
    active_to = serializers.DateField(allow_null=True)
    active = serializers.SerializerMethodField(help_text=gettext_lazy("Đang hoạt động hôm nay."))

    def get_active(self, unit: Unit) -> bool:
        return selectors.is_active(unit)


class LineageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    effective_on = serializers.DateField()
    sources = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    note = serializers.CharField()

    def get_sources(self, lineage: UnitLineage) -> list[int]:
        return sorted(u.pk for u in lineage.sources.all())

    def get_targets(self, lineage: UnitLineage) -> list[int]:
        return sorted(u.pk for u in lineage.targets.all())


class BodyFilter(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__code", help_text=gettext_lazy("Mã cơ quan đánh giá."))


def _administered(view: SetupApiView, model) -> QuerySet:
    return model.objects.filter(body__in=view.administered()).select_related("body")


# --- groups ----------------------------------------------------------------------------------------------


class UnitGroupListCreateApi(SetupApiView):
    queryset = UnitGroup.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = BodyFilter

    @extend_schema_serializer(component_name="UnitGroupListCreateInput")
    class InputSerializer(serializers.Serializer):
        body = serializers.SlugField(help_text=gettext_lazy("Mã cơ quan đánh giá."))
        code = serializers.SlugField(max_length=80)
        name = serializers.CharField(max_length=200)
        order = serializers.IntegerField(min_value=0, max_value=32767, default=0)

    @extend_schema(
        operation_id="unit_groups_list",
        summary=gettext_lazy("Các nhóm đơn vị"),
        tags=["unit-groups"],
        responses={200: UnitGroupSerializer(many=True), **COMMON},
    )
    def get(self, request: Request) -> Response:
        groups = self.filter_queryset(_administered(self, UnitGroup).order_by("body__name", "order", "name"))
        return self.page(groups, UnitGroupSerializer)

    @extend_schema(
        operation_id="unit_groups_create",
        summary=gettext_lazy("Tạo nhóm đơn vị"),
        tags=["unit-groups"],
        request=InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: UnitGroupSerializer, **WRITE},
    )
    def post(self, request: Request) -> Response:
        values = self.validated(self.InputSerializer)
        body = self.body_named(values.pop("body"))

        def create() -> dict:
            group = services.unit_group_create(actor=request.user, body=body, **values)
            return dict(UnitGroupSerializer(group).data)

        once = request_once(request, scope="unit_group_api", action=create)
        return Response(once.result, status=status.HTTP_201_CREATED)


class UnitGroupDetailApi(SetupApiView):
    queryset = UnitGroup.objects.none()

    @extend_schema_serializer(component_name="UnitGroupDetailInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200, required=False)
        order = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    def group(self, pk: int) -> UnitGroup:
        return selectors.managed_group_get(user=self.request.user, pk=pk)

    @extend_schema(
        operation_id="unit_groups_retrieve",
        summary=gettext_lazy("Một nhóm đơn vị"),
        tags=["unit-groups"],
        responses={200: UnitGroupSerializer, **COMMON},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(UnitGroupSerializer(self.group(pk)).data)

    @extend_schema(
        operation_id="unit_groups_update",
        summary=gettext_lazy("Đổi tên, thứ tự của nhóm (mã nhóm không đổi)"),
        tags=["unit-groups"],
        request=InputSerializer,
        responses={200: UnitGroupSerializer, **WRITE},
    )
    def patch(self, request: Request, pk: int) -> Response:
        group = self.group(pk)
        values = self.validated(self.InputSerializer)
        group = services.unit_group_update(
            actor=request.user,
            group=group,
            name=values.get("name", group.name),
            order=values.get("order", group.order),
        )
        return Response(UnitGroupSerializer(group).data)


# --- kinds -----------------------------------------------------------------------------------------------


class UnitKindListCreateApi(SetupApiView):
    queryset = UnitKind.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = BodyFilter

    @extend_schema_serializer(component_name="UnitKindListCreateInput")
    class InputSerializer(serializers.Serializer):
        body = serializers.SlugField(help_text=gettext_lazy("Mã cơ quan đánh giá."))
        code = serializers.SlugField(max_length=50)
        name = serializers.CharField(max_length=200)

    @extend_schema(
        operation_id="unit_kinds_list",
        summary=gettext_lazy("Các loại đơn vị"),
        tags=["unit-kinds"],
        responses={200: UnitKindSerializer(many=True), **COMMON},
    )
    def get(self, request: Request) -> Response:
        kinds = self.filter_queryset(_administered(self, UnitKind).order_by("body__name", "name"))
        return self.page(kinds, UnitKindSerializer)

    @extend_schema(
        operation_id="unit_kinds_create",
        summary=gettext_lazy("Tạo loại đơn vị"),
        tags=["unit-kinds"],
        request=InputSerializer,
        responses={201: UnitKindSerializer, **WRITE},
    )
    def post(self, request: Request) -> Response:
        values = self.validated(self.InputSerializer)
        body = self.body_named(values.pop("body"))
        kind = services.unit_kind_create(actor=request.user, body=body, **values)
        return Response(UnitKindSerializer(kind).data, status=status.HTTP_201_CREATED)


# --- units -----------------------------------------------------------------------------------------------


class UnitFilter(BodyFilter):
    group = django_filters.NumberFilter(field_name="group_id")
    kind = django_filters.NumberFilter(field_name="kind_id")
    active = django_filters.BooleanFilter(
        method="filter_active", help_text=gettext_lazy("true: đang hoạt động hôm nay; false: đã ngừng.")
    )

    def filter_active(self, units: QuerySet[Unit], name: str, value: bool | None) -> QuerySet[Unit]:
        if value is None:
            return units
        today = timezone.localdate()
        now = (Q(active_from__isnull=True) | Q(active_from__lte=today)) & (
            Q(active_to__isnull=True) | Q(active_to__gte=today)
        )
        return units.filter(now) if value else units.exclude(now)


class UnitListCreateApi(SetupApiView):
    queryset = Unit.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnitFilter

    @extend_schema_serializer(component_name="UnitListCreateInput")
    class InputSerializer(serializers.Serializer):
        body = serializers.SlugField(help_text=gettext_lazy("Mã cơ quan đánh giá."))
        code = serializers.SlugField(max_length=80)
        name = serializers.CharField(max_length=255)
        group = serializers.IntegerField()
        kind = serializers.IntegerField(required=False, allow_null=True, default=None)
        active_from = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(
        operation_id="units_list",
        summary=gettext_lazy("Các đơn vị được đánh giá"),
        tags=["units"],
        responses={200: UnitSerializer(many=True), **COMMON},
    )
    def get(self, request: Request) -> Response:
        units = _administered(self, Unit).order_by("body__name", "group__order", "name")
        return self.page(self.filter_queryset(units), UnitSerializer)

    @extend_schema(
        operation_id="units_create",
        summary=gettext_lazy("Tạo đơn vị"),
        tags=["units"],
        request=InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: UnitSerializer, **WRITE},
    )
    def post(self, request: Request) -> Response:
        values = self.validated(self.InputSerializer)
        body = self.body_named(values.pop("body"))
        values["group"] = pick(UnitGroup, values["group"], field="group")
        values["kind"] = pick(UnitKind, values["kind"], field="kind")

        def create() -> dict:
            return dict(UnitSerializer(services.unit_create(actor=request.user, body=body, **values)).data)

        once = request_once(request, scope="unit_api", action=create)
        return Response(once.result, status=status.HTTP_201_CREATED)


class UnitApiView(SetupApiView):
    queryset = Unit.objects.none()

    def unit(self, pk: int) -> Unit:
        return selectors.managed_unit_get(user=self.request.user, pk=pk)


class UnitDetailApi(UnitApiView):
    @extend_schema_serializer(component_name="UnitDetailInput")
    class InputSerializer(serializers.Serializer):
        group = serializers.IntegerField(required=False)
        kind = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(
        operation_id="units_retrieve",
        summary=gettext_lazy("Một đơn vị"),
        tags=["units"],
        responses={200: UnitSerializer, **COMMON},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(UnitSerializer(self.unit(pk)).data)

    @extend_schema(
        operation_id="units_update",
        summary=gettext_lazy("Chuyển nhóm, đổi loại của đơn vị"),
        tags=["units"],
        request=InputSerializer,
        responses={200: UnitSerializer, **WRITE},
    )
    def patch(self, request: Request, pk: int) -> Response:
        unit = self.unit(pk)
        values = self.validated(self.InputSerializer)
        group = pick(UnitGroup, values["group"], field="group") if "group" in values else unit.group
        kind = pick(UnitKind, values["kind"], field="kind") if "kind" in values else unit.kind
        unit = services.unit_update(actor=request.user, unit=unit, group=group, kind=kind)
        return Response(UnitSerializer(unit).data)


class UnitRenameApi(UnitApiView):
    @extend_schema_serializer(component_name="UnitRenameInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=255)
        from_year = serializers.IntegerField(
            help_text=gettext_lazy("Tên mới áp dụng từ năm này; báo cáo các năm trước vẫn in tên cũ.")
        )

    @extend_schema(
        operation_id="units_rename",
        summary=gettext_lazy("Đổi tên đơn vị từ một năm"),
        tags=["units"],
        request=InputSerializer,
        responses={200: UnitSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        unit = self.unit(pk)
        values = self.validated(self.InputSerializer)
        return Response(UnitSerializer(services.unit_rename(actor=request.user, unit=unit, **values)).data)


class UnitDeactivateApi(UnitApiView):
    @extend_schema_serializer(component_name="UnitDeactivateInput")
    class InputSerializer(serializers.Serializer):
        on = serializers.DateField(
            required=False,
            allow_null=True,
            default=None,
            help_text=gettext_lazy("Ngày cuối cùng hoạt động; bỏ trống là hôm nay."),
        )

    @extend_schema(
        operation_id="units_deactivate",
        summary=gettext_lazy("Cho đơn vị ngừng hoạt động"),
        tags=["units"],
        request=InputSerializer,
        responses={200: UnitSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        unit = self.unit(pk)
        values = self.validated(self.InputSerializer)
        unit = services.unit_set_active(actor=request.user, unit=unit, active=False, on=values["on"])
        return Response(UnitSerializer(unit).data)


class UnitReactivateApi(UnitApiView):
    @extend_schema(
        operation_id="units_reactivate",
        summary=gettext_lazy("Cho đơn vị hoạt động trở lại"),
        tags=["units"],
        request=None,
        responses={200: UnitSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        unit = services.unit_set_active(actor=request.user, unit=self.unit(pk), active=True)
        return Response(UnitSerializer(unit).data)


class _LineageApi(UnitApiView):
    kind = ""
    others = ""  # the input field naming the other side's units

    def record(self, request: Request, pk: int) -> Response:
        unit = self.unit(pk)
        values = self.validated(self.InputSerializer)
        ids = values[self.others]
        # Another body's units are refused by the service, with the same message as a missing id.
        others = [pick(Unit, pk, field=self.others) for pk in ids]
        sides = {"sources": others, "targets": [unit]} if self.kind == UnitLineage.Kind.MERGER else {}
        sides = sides or {"sources": [unit], "targets": others}
        lineage = services.unit_lineage_record(
            actor=request.user,
            body=unit.body,
            kind=self.kind,
            effective_on=values["effective_on"],
            note=values["note"],
            end_sources=values["end_sources"],
            **sides,
        )
        return Response(LineageSerializer(lineage).data, status=status.HTTP_201_CREATED)


def _lineage_input(others: str, help_text) -> type[serializers.Serializer]:
    fields = {
        others: serializers.ListField(child=serializers.IntegerField(), min_length=1, help_text=help_text),
        "effective_on": serializers.DateField(),
        "note": serializers.CharField(max_length=500, required=False, allow_blank=True, default=""),
        "end_sources": serializers.BooleanField(
            required=False,
            default=True,
            help_text=gettext_lazy("Cho các đơn vị cũ ngừng hoạt động từ ngày trước ngày hiệu lực."),
        ),
    }
    return type(f"Unit{others.title()}Input", (serializers.Serializer,), fields)


class UnitMergeApi(_LineageApi):
    kind = UnitLineage.Kind.MERGER
    others = "sources"
    InputSerializer = _lineage_input(
        "sources", gettext_lazy("Các đơn vị sáp nhập vào đơn vị này (có thể gồm chính nó).")
    )

    @extend_schema(
        operation_id="units_merge",
        summary=gettext_lazy("Ghi nhận hợp nhất, sáp nhập các đơn vị vào đơn vị này"),
        tags=["units"],
        request=InputSerializer,
        responses={201: LineageSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.record(request, pk)


class UnitSplitApi(_LineageApi):
    kind = UnitLineage.Kind.SPLIT
    others = "targets"
    InputSerializer = _lineage_input("targets", gettext_lazy("Các đơn vị mới tách ra từ đơn vị này."))

    @extend_schema(
        operation_id="units_split",
        summary=gettext_lazy("Ghi nhận chia tách đơn vị này thành các đơn vị mới"),
        tags=["units"],
        request=InputSerializer,
        responses={201: LineageSerializer, **WRITE},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.record(request, pk)
