"""REST API of published results: parse the query, call one selector, serialize what it returns."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.access import bodies_readable, may_read_drafts
from reports.results.selectors import results_table
from scoring import calc
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
    rank = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Thứ hạng trong nhóm; chỉ số bằng nhau cùng hạng. null: đơn vị mới có điểm tự chấm, chưa xếp hạng."
        )
    )
    index_change = ScoreField(
        allow_null=True, help_text=gettext_lazy("Thay đổi chỉ số so với năm trước; null khi không có.")
    )
    rank_change = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Số bậc tăng (dương) hoặc giảm (âm) so với năm trước.")
    )
    published = serializers.BooleanField(
        help_text=gettext_lazy(
            "false: kết quả đang thẩm định, chưa công bố (chỉ cán bộ cơ quan đánh giá thấy)."
        )
    )
    stage = serializers.ChoiceField(
        choices=["published", "approved", "appraised", "submitted"],
        help_text=gettext_lazy(
            "published: đã công bố; approved: Hội đồng đã thông qua; appraised: đã có kết quả thẩm định; "
            "submitted: mới có điểm tự chấm (appraisal_points là điểm tự chấm), không xếp hạng."
        ),
    )

    @extend_schema_field(OpenApiTypes.INT)
    def get_rank(self, row) -> int | None:
        return row.rank if row.is_ranked else None


@extend_schema_serializer(component_name="RankingGroup")
class GroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    average_index = ScoreField()
    class_counts = ClassCountSerializer(many=True)
    results = RowSerializer(source="rows", many=True)
    unranked = RowSerializer(
        source="unranked_rows",
        many=True,
        help_text=gettext_lazy(
            "Đơn vị không nằm trong bảng xếp hạng của nhóm: mới có điểm tự chấm, hoặc chưa có trong quyết "
            "định công bố của nhóm."
        ),
    )


@extend_schema_serializer(component_name="RankingBody")
class BodySerializer(serializers.Serializer):
    code = serializers.CharField(source="body_code")
    name = serializers.CharField(source="body_name")


def _body_for(user: User, code: str | None) -> EvaluatingBody:
    """Return the body asked for, or the user's only one; 404 for a body without a role in it.

    The public (not logged in) may ask for any body: it sees published results only.
    """
    public = not user.is_authenticated
    bodies = (EvaluatingBody.objects.all() if public else bodies_readable(user)).order_by("name")
    if code:
        body = bodies.filter(code=code).first()
        if body is None:
            raise exceptions.NotFound(_("Không tìm thấy cơ quan đánh giá “%(code)s”.") % {"code": code})
        return body
    candidates = list(bodies[:2])
    if not candidates:
        raise exceptions.NotFound(
            _("Không có cơ quan đánh giá nào.")
            if public
            else _("Bạn chưa được phân quyền ở cơ quan đánh giá nào.")
        )
    if len(candidates) > 1:
        # Guessing would silently answer for the wrong province.
        message = (
            _("Có nhiều cơ quan đánh giá; hãy chọn body.")
            if public
            else _("Bạn thuộc nhiều cơ quan đánh giá; hãy chọn body.")
        )
        raise exceptions.ValidationError({"body": [message]})
    return candidates[0]


def _is_staff(user: User, body: EvaluatingBody) -> bool:
    """Return whether the user works for the body itself (not a unit): they may see unpublished results."""
    return may_read_drafts(user, body)


class RankingsApi(APIView):
    # Published results are public decisions; what an authenticated caller sees more is decided in get().
    permission_classes = [AllowAny]

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
        published = serializers.BooleanField(
            help_text=gettext_lazy("false: kết quả đang thẩm định, chưa công bố.")
        )
        publication_decision = serializers.CharField(help_text=gettext_lazy("Số quyết định công bố."))
        published_on = serializers.DateField(allow_null=True, help_text=gettext_lazy("Ngày công bố."))
        computed_at = serializers.DateTimeField(
            allow_null=True,
            help_text=gettext_lazy("Thời điểm tính các kết quả chưa công bố; null khi tất cả đã công bố."),
        )
        stale = serializers.BooleanField(
            help_text=gettext_lazy("true: dữ liệu đã thay đổi sau lần tính này; đang tính lại.")
        )
        groups = GroupSerializer(many=True)
        results = RowSerializer(source="rows", many=True)

    @extend_schema(
        operation_id="rankings_retrieve",
        summary=gettext_lazy("Kết quả xếp hạng chỉ số CCHC theo năm"),
        description=gettext_lazy(
            "Kết quả đã công bố của một năm, xếp hạng theo nhóm đơn vị: điểm, thang điểm, chỉ số, "
            "xếp loại, thứ hạng, thay đổi so với năm trước; chỉ số trung bình và số đơn vị theo xếp "
            "loại của từng nhóm. Số thập phân là chuỗi có đúng hai chữ số sau dấu chấm. Không cần đăng "
            "nhập: công chúng chỉ thấy kết quả đã công bố; cán bộ cơ quan đánh giá còn thấy kết quả "
            'đang thẩm định của năm chưa công bố, đánh dấu "published": false.'
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
        query = {
            "body": body,
            "year": params.validated_data["year"],
            "group": params.validated_data.get("group"),
        }
        try:
            if _is_staff(request.user, body):
                # The stored results: published groups as published, the others as last recomputed.
                table = results_table(**query, draft=True)
            else:
                table = selectors.ranking_table(**query)
        except selectors.RankingNotFound as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return Response(self.OutputSerializer(table).data)
