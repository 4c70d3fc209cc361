"""REST API of published results: parse the query, call one selector, serialize what it returns."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scoring import calc
from scoring.access import bodies_for_user
from scoring.models import EvaluatingBody, User

from . import selectors


class ScoreField(serializers.DecimalField):
    """A decimal as a string with exactly two places, rounded half up as the reports print it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=9, decimal_places=2, read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        # DRF would round half even (85.665 -> 85.66); the published tables round half up.
        return f"{calc.quantize_score(value):f}"


@extend_schema_serializer(component_name="RankingClassification")
class ClassificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


@extend_schema_serializer(component_name="RankingClassCount")
class ClassCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


@extend_schema_serializer(component_name="RankingRow")
class RowSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    group = serializers.CharField(source="group_code", help_text=gettext_lazy("Mã nhóm xếp hạng."))
    appraisal_points = ScoreField()
    survey_points = ScoreField()
    total_points = ScoreField()
    max_points = ScoreField(help_text=gettext_lazy("Thang điểm của đơn vị."))
    index_pct = ScoreField(
        source="index", help_text=gettext_lazy("Chỉ số (%) = tổng điểm / thang điểm × 100.")
    )
    classification = ClassificationSerializer(source="band")
    rank = serializers.IntegerField(
        help_text=gettext_lazy("Thứ hạng trong nhóm; chỉ số bằng nhau cùng hạng.")
    )
    index_change = ScoreField(
        allow_null=True, help_text=gettext_lazy("Thay đổi chỉ số so với năm trước; null khi không có.")
    )
    rank_change = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Số bậc tăng (dương) hoặc giảm (âm) so với năm trước.")
    )


@extend_schema_serializer(component_name="RankingGroup")
class GroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    average_index = ScoreField()
    class_counts = ClassCountSerializer(many=True)
    results = RowSerializer(source="rows", many=True)


@extend_schema_serializer(component_name="RankingBody")
class BodySerializer(serializers.Serializer):
    code = serializers.CharField(source="body_code")
    name = serializers.CharField(source="body_name")


def _body_for(user: User, code: str | None) -> EvaluatingBody:
    """Return the body asked for, or the user's only one; 404 for a body without a role in it."""
    bodies = bodies_for_user(user).order_by("name")
    if code:
        body = bodies.filter(code=code).first()
        if body is None:
            raise exceptions.NotFound(_("Không tìm thấy cơ quan đánh giá “%(code)s”.") % {"code": code})
        return body
    candidates = list(bodies[:2])
    if not candidates:
        raise exceptions.NotFound(_("Bạn chưa được phân quyền ở cơ quan đánh giá nào."))
    if len(candidates) > 1:
        # Guessing would silently answer for the wrong province.
        raise exceptions.ValidationError({"body": [_("Bạn thuộc nhiều cơ quan đánh giá; hãy chọn body.")]})
    return candidates[0]


class RankingsApi(APIView):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(
            min_value=2000, max_value=9999, help_text=gettext_lazy("Năm đánh giá, ví dụ 2020.")
        )
        group = serializers.CharField(
            required=False, help_text=gettext_lazy("Mã hoặc tên nhóm đơn vị; bỏ trống để lấy mọi nhóm.")
        )
        body = serializers.CharField(
            required=False,
            help_text=gettext_lazy(
                "Mã cơ quan đánh giá; có thể bỏ trống khi người dùng chỉ thuộc một cơ quan."
            ),
        )

    @extend_schema_serializer(component_name="Rankings")
    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        body = BodySerializer(source="*")
        groups = GroupSerializer(many=True)
        results = RowSerializer(source="rows", many=True)

    @extend_schema(
        operation_id="rankings_retrieve",
        summary=gettext_lazy("Kết quả xếp hạng chỉ số CCHC theo năm"),
        description=gettext_lazy(
            "Kết quả đã công bố của một năm, xếp hạng theo nhóm đơn vị: điểm, thang điểm, chỉ số, "
            "xếp loại, thứ hạng, thay đổi so với năm trước; chỉ số trung bình và số đơn vị theo xếp "
            "loại của từng nhóm. Số thập phân là chuỗi có đúng hai chữ số sau dấu chấm."
        ),
        tags=["rankings"],
        parameters=[InputSerializer],
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description=gettext_lazy("Tham số không hợp lệ.")),
            404: OpenApiResponse(description=gettext_lazy("Không có cơ quan, năm hoặc nhóm này.")),
        },
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        body = _body_for(request.user, params.validated_data.get("body"))
        try:
            table = selectors.ranking_table(
                body=body, year=params.validated_data["year"], group=params.validated_data.get("group")
            )
        except selectors.RankingNotFound as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return Response(self.OutputSerializer(table).data)
