"""Output shapes of the self-assessment API; component names start with Assessment… or Evidence….

Decimals are strings with exactly two places, rounded half up as the reports print them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scoring import calc
from scoring.assessment.selectors import ScoringSheet, SheetItem


class ScoreField(serializers.DecimalField):
    """A decimal as a string with exactly two places, rounded half up."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=9, decimal_places=2, read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        # DRF would round half even (85.665 -> 85.66); the published tables round half up.
        return f"{calc.quantize_score(value):f}"


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "example": "0.75"}, {"type": "number", "example": 0.75}],
        "nullable": True,
        "description": 'Điểm tự chấm (chuỗi hoặc số, dấu chấm hoặc dấu phẩy thập phân); null hoặc "" để xóa điểm.',
    }
)
class PointsField(serializers.DecimalField):
    """Points as typed: a string or a number, "0,75" as well as "0.75"; empty means no score."""

    default_error_messages = {
        "invalid": gettext_lazy("Điểm phải là một số, ví dụ 0,75."),
        "max_string_length": gettext_lazy("Điểm quá dài."),
        "required": gettext_lazy("Thiếu điểm (points); gửi null để xóa điểm."),
    }

    def __init__(self, **kwargs: Any) -> None:
        # No digit limits here: a value off the step or above the maximum is the service's to refuse, with
        # the rule's own message.
        super().__init__(max_digits=None, decimal_places=None, allow_null=True, **kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if isinstance(data, str) and not data.strip():
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool):  # JSON true is an int to Python, not a score
            self.fail("invalid")
        if isinstance(data, str) and "," in data and "." not in data:
            data = data.replace(",", ".")
        return super().to_internal_value(data)


class AssessmentMessageSerializer(serializers.Serializer):
    detail = serializers.CharField()


class AssessmentErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("Lý do từ chối, bằng tiếng Việt."))
    field = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("Trường dữ liệu gây lỗi, nếu có (points, file, items…).")
    )


class AssessmentProblemSerializer(serializers.Serializer):
    item_code = serializers.CharField()
    message = serializers.CharField()


class AssessmentSubmitErrorSerializer(AssessmentErrorSerializer):
    problems = AssessmentProblemSerializer(many=True, required=False)


class AssessmentStatusSerializer(serializers.Serializer):
    code = serializers.CharField(source="status")
    label = serializers.CharField(source="status_label")


class AssessmentProgressSerializer(serializers.Serializer):
    scored = serializers.IntegerField(help_text=gettext_lazy("Số tiêu chí tự chấm đã có điểm."))
    applicable = serializers.IntegerField(help_text=gettext_lazy("Số tiêu chí tự chấm được đánh giá."))
    without_evidence = serializers.IntegerField(
        help_text=gettext_lazy("Số tiêu chí chưa có tài liệu kiểm chứng.")
    )
    percent = ScoreField(help_text=gettext_lazy("Tỷ lệ đã chấm (%)."))


class AssessmentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body_code = serializers.CharField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    group_code = serializers.CharField()
    year = serializers.IntegerField()
    status = AssessmentStatusSerializer(source="*")
    progress = AssessmentProgressSerializer()
    appraisal_points = ScoreField(source="totals.appraisal_points")
    survey_points = ScoreField(source="totals.survey_points")
    provisional_points = ScoreField(
        source="totals.total_points", help_text=gettext_lazy("Tổng điểm tạm tính (tự chấm + điều tra).")
    )
    max_points = ScoreField(source="totals.max_points", help_text=gettext_lazy("Thang điểm của đơn vị."))
    provisional_index = ScoreField(source="index", help_text=gettext_lazy("Chỉ số tạm tính (%)."))
    evidence_count = serializers.IntegerField()
    deadline = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("Hạn tự đánh giá đang áp dụng (kể cả gia hạn).")
    )
    can_edit = serializers.BooleanField(help_text=gettext_lazy("Trạng thái và hạn nộp còn cho phép sửa."))
    submitted_at = serializers.DateTimeField(allow_null=True)
    last_activity_at = serializers.DateTimeField(allow_null=True)


class AssessmentItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    field_code = serializers.SerializerMethodField()
    name = serializers.CharField()
    guidance = serializers.CharField()
    max_points = ScoreField()
    step = serializers.CharField(help_text=gettext_lazy("Bước điểm: 0.25, 0.50 hoặc 1.00."))
    method = serializers.CharField(
        help_text=gettext_lazy("appraisal (tự chấm) hoặc survey (điều tra xã hội học).")
    )
    applicable = serializers.BooleanField()
    na_reason = serializers.CharField(help_text=gettext_lazy("Lý do không đánh giá; rỗng khi áp dụng."))
    points = ScoreField(allow_null=True)
    justification = serializers.CharField()
    no_evidence_reason = serializers.CharField()
    version = serializers.IntegerField(help_text=gettext_lazy("Gửi lại khi lưu; 0 khi chưa chấm."))
    updated_at = serializers.DateTimeField(allow_null=True)
    evidence = serializers.SerializerMethodField(help_text=gettext_lazy("Mã số các tài liệu kiểm chứng."))

    def get_field_code(self, item: SheetItem) -> str:
        return item.code.split(".")[0]

    def get_evidence(self, item: SheetItem) -> list[int]:
        return [e.id for e in item.evidence]


class AssessmentFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    points = ScoreField(source="total.points")
    max_points = ScoreField(
        source="total.max_points", help_text=gettext_lazy("Điểm tối đa của các tiêu chí áp dụng.")
    )
    progress = AssessmentProgressSerializer()


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField(help_text=gettext_lazy("Dung lượng (byte)."))
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    items = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy("Mã các tiêu chí."))
    download_url = serializers.URLField()


class AssessmentDetailSerializer(serializers.Serializer):
    """A ScoringSheet, with the unit code and the evidence rows given in the context."""

    id = serializers.IntegerField(source="assessment_id")
    unit_code = serializers.SerializerMethodField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField(source="period_year")
    status = AssessmentStatusSerializer(source="*")
    deadline = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    can_edit = serializers.BooleanField(help_text=gettext_lazy("Trạng thái và hạn nộp còn cho phép sửa."))
    user_can_edit = serializers.BooleanField()
    user_can_submit = serializers.BooleanField()
    user_can_withdraw = serializers.BooleanField()
    progress = AssessmentProgressSerializer()
    appraisal_points = ScoreField(source="totals.appraisal_points")
    survey_points = ScoreField(source="totals.survey_points")
    provisional_points = ScoreField(source="totals.total_points")
    max_points = ScoreField(source="totals.max_points")
    provisional_index = ScoreField(source="index")
    evidence_total_size = serializers.IntegerField(help_text=gettext_lazy("Tổng dung lượng tài liệu (byte)."))
    fields = AssessmentFieldSerializer(many=True)
    items = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    problems = AssessmentProblemSerializer(many=True, help_text=gettext_lazy("Những gì còn thiếu để gửi."))

    def get_unit_code(self, sheet: ScoringSheet) -> str:
        return self.context["unit_code"]

    @extend_schema_field(AssessmentItemSerializer(many=True))
    def get_items(self, sheet: ScoringSheet) -> list[dict[str, Any]]:
        leaves = [item for f in sheet.fields for c in f.criteria for item in c.items]
        return AssessmentItemSerializer(leaves, many=True).data

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, sheet: ScoringSheet) -> list[dict[str, Any]]:
        return EvidenceSerializer(self.context["evidence"], many=True).data


class AssessmentScoreSerializer(serializers.Serializer):
    """A saved self-score (SelfScore row)."""

    code = serializers.CharField(source="item.code")
    points = ScoreField(allow_null=True)
    justification = serializers.CharField()
    no_evidence_reason = serializers.CharField()
    version = serializers.IntegerField()
    updated_by = serializers.CharField(allow_null=True, help_text=gettext_lazy("Người lưu gần nhất."))
    updated_at = serializers.DateTimeField()


class AssessmentScoreConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = AssessmentScoreSerializer(allow_null=True, help_text=gettext_lazy("Bản đang lưu (mới hơn)."))


class AssessmentStatusChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = AssessmentStatusSerializer(source="*")
    submitted_at = serializers.DateTimeField(allow_null=True)
