"""REST API of a year's setup (the /nam-danh-gia/ pages' API): periods, deadlines, bands, checklist, opening.

Each write calls the service the page calls (scoring.periods.services), so the rules (deadlines in order, bands
that do not overlap, the checklist before opening) and the audit rows are theirs.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from scoring.idempotency.http import IDEMPOTENCY_KEY_PARAMETER, request_once
from scoring.models import Period
from scoring.rest import COMMON, WRITE, SetupApiView, refused

from . import calc, selectors, services
from .texts import problem_text


class PeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(source="body.code")
    year = serializers.IntegerField()
    status = serializers.CharField(help_text=gettext_lazy("setup: đang chuẩn bị; open: đã mở."))
    starts_on = serializers.DateField(allow_null=True)
    self_assessment = serializers.DateTimeField(source="self_assessment_deadline", allow_null=True)
    explanation = serializers.DateTimeField(source="explanation_deadline", allow_null=True)
    round2 = serializers.DateTimeField(source="round2_deadline", allow_null=True)
    council = serializers.DateTimeField(source="council_deadline", allow_null=True)
    opened_at = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="PeriodBand")
class BandSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=30)
    label = serializers.CharField(max_length=60)
    min_index = serializers.DecimalField(max_digits=5, decimal_places=2)


@extend_schema_serializer(component_name="PeriodProblem")
class ProblemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("criteria, people, appraisers, deadlines, bands"))
    reason = serializers.CharField()
    message = serializers.CharField()
    object_id = serializers.IntegerField(allow_null=True)


CHECKLIST = inline_serializer(
    "PeriodChecklist", {"ready": serializers.BooleanField(), "problems": ProblemSerializer(many=True)}
)
OPEN_REFUSED = OpenApiResponse(
    inline_serializer(
        "PeriodOpenRefused",
        {
            "detail": serializers.CharField(),
            "field": serializers.CharField(allow_null=True),
            "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            "problems": ProblemSerializer(many=True),
        },
    ),
    description=gettext_lazy("Chưa thể mở: còn việc chưa xong (problems), hoặc kỳ đã mở."),
)


def _problems(problems: list[calc.Problem]) -> list[dict]:
    return [
        {"kind": p.kind, "reason": p.reason, "message": problem_text(p), "object_id": p.object_id}
        for p in problems
    ]


class PeriodFilter(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__code", help_text=gettext_lazy("Mã cơ quan đánh giá."))
    year = django_filters.NumberFilter()


class PeriodListCreateApi(SetupApiView):
    queryset = Period.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = PeriodFilter

    @extend_schema_serializer(component_name="PeriodListCreateInput")
    class InputSerializer(serializers.Serializer):
        body = serializers.SlugField(help_text=gettext_lazy("Mã cơ quan đánh giá."))
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        copy_previous = serializers.BooleanField(
            default=True,
            help_text=gettext_lazy(
                "Sao chép từ năm trước: bộ tiêu chí, mức xếp loại, tiêu chí không đánh giá, phân công, phiếu."
            ),
        )

    @extend_schema(
        operation_id="periods_list",
        summary=gettext_lazy("Các kỳ đánh giá"),
        tags=["periods"],
        responses={200: PeriodSerializer(many=True), **COMMON},
    )
    def get(self, request: Request) -> Response:
        self.administered()
        periods = self.filter_queryset(selectors.period_list_for_admin(user=request.user))
        return self.page(periods, PeriodSerializer)

    @extend_schema(
        operation_id="periods_create",
        summary=gettext_lazy("Tạo kỳ đánh giá của một năm (tùy chọn sao chép từ năm trước)"),
        tags=["periods"],
        request=InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: inline_serializer(
                "PeriodCreated",
                {
                    "period": PeriodSerializer(),
                    "source_year": serializers.IntegerField(allow_null=True),
                    "copied": serializers.DictField(child=serializers.IntegerField()),
                },
            ),
            **WRITE,
        },
    )
    def post(self, request: Request) -> Response:
        values = self.validated(self.InputSerializer)
        body = self.body_named(values["body"])

        def create() -> dict:
            created = services.period_create(
                body=body, year=values["year"], actor=request.user, copy_previous=values["copy_previous"]
            )
            return {
                "period": dict(PeriodSerializer(created.period).data),
                "source_year": created.source_year,
                "copied": {str(k): v for k, v in created.counts.items()},
            }

        once = request_once(request, scope="period_create_api", action=create)
        return Response(once.result, status=status.HTTP_201_CREATED)


class PeriodApiView(SetupApiView):
    queryset = Period.objects.none()

    def period(self, pk: int) -> Period:
        self.administered()
        period = selectors.period_get_for_admin(user=self.request.user, pk=pk)
        if period is None:
            raise Http404(_("Không tìm thấy kỳ đánh giá."))
        return period


class PeriodDetailApi(PeriodApiView):
    @extend_schema(
        operation_id="periods_retrieve",
        summary=gettext_lazy("Một kỳ đánh giá"),
        tags=["periods"],
        responses={200: PeriodSerializer, **COMMON},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PeriodSerializer(self.period(pk)).data)


class PeriodDeadlinesApi(PeriodApiView):
    @extend_schema_serializer(component_name="PeriodDeadlinesInput")
    class InputSerializer(serializers.Serializer):
        starts_on = serializers.DateField(required=False, allow_null=True)
        self_assessment = serializers.DateTimeField(required=False, allow_null=True)
        explanation = serializers.DateTimeField(required=False, allow_null=True)
        round2 = serializers.DateTimeField(required=False, allow_null=True)
        council = serializers.DateTimeField(required=False, allow_null=True)

    @extend_schema(
        operation_id="periods_deadlines_update",
        summary=gettext_lazy("Đặt ngày bắt đầu và các thời hạn"),
        description=gettext_lazy(
            "Chỉ các mục được gửi thay đổi (null để xoá). Mỗi thời hạn phải sau thời hạn trước nó và "
            "không trước ngày bắt đầu; khi bị từ chối, không lưu gì."
        ),
        tags=["periods"],
        request=InputSerializer,
        responses={200: PeriodSerializer, **WRITE},
    )
    def patch(self, request: Request, pk: int) -> Response:
        period = self.period(pk)
        values = self.validated(self.InputSerializer)
        current = selectors.deadlines_of(period)
        deadlines = calc.Deadlines(
            **{name: values.get(name, getattr(current, name)) for name in calc.Deadlines.__slots__}
        )
        services.period_deadlines_set(period=period, deadlines=deadlines, actor=request.user)
        return Response(PeriodSerializer(self.period(pk)).data)


class PeriodBandsApi(PeriodApiView):
    pagination_class = None  # a handful of bands, read and replaced whole

    @extend_schema(
        operation_id="periods_bands_list",
        summary=gettext_lazy("Các mức xếp loại của kỳ"),
        tags=["periods"],
        responses={200: BandSerializer(many=True), **COMMON},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(BandSerializer(self.period(pk).bands.all(), many=True).data)

    @extend_schema(
        operation_id="periods_bands_replace",
        summary=gettext_lazy("Thay toàn bộ mức xếp loại của kỳ"),
        description=gettext_lazy(
            "Các mức không được trùng ngưỡng, mã hay tên, phải trong 0–100 và mức thấp nhất bắt đầu từ 0."
        ),
        tags=["periods"],
        request=BandSerializer(many=True),
        responses={200: BandSerializer(many=True), **WRITE},
    )
    def put(self, request: Request, pk: int) -> Response:
        period = self.period(pk)
        rows = self.validated(BandSerializer, many=True)
        bands = [calc.BandInput(b["code"], b["label"], b["min_index"]) for b in rows]
        services.period_bands_set(period=period, bands=bands, actor=request.user)
        return Response(BandSerializer(period.bands.all(), many=True).data)


class PeriodChecklistApi(PeriodApiView):
    @extend_schema(
        operation_id="periods_checklist",
        summary=gettext_lazy("Những việc còn thiếu trước khi mở kỳ"),
        tags=["periods"],
        responses={200: CHECKLIST, **COMMON},
    )
    def get(self, request: Request, pk: int) -> Response:
        problems = calc.checklist(selectors.checklist_inputs(period=self.period(pk)))
        return Response({"ready": not problems, "problems": _problems(problems)})


class PeriodOpenApi(PeriodApiView):
    @extend_schema(
        operation_id="periods_open",
        summary=gettext_lazy("Mở kỳ cho các đơn vị tự đánh giá"),
        description=gettext_lazy("Chỉ khi danh sách kiểm tra không còn việc nào chưa xong."),
        tags=["periods"],
        request=None,
        responses={200: PeriodSerializer, 400: OPEN_REFUSED, **COMMON},
    )
    def post(self, request: Request, pk: int) -> Response:
        period = self.period(pk)
        try:
            period = services.period_open(period=period, actor=request.user)
        except services.PeriodOpenRefused as exc:
            response = refused({NON_FIELD_ERRORS: [str(exc)]})
            response.data["problems"] = _problems(exc.problems)
            return response
        except ValidationError as exc:
            response = refused({NON_FIELD_ERRORS: exc.messages})
            response.data["problems"] = []
            return response
        return Response(PeriodSerializer(period).data)
