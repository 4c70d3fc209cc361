"""REST API of self-assessments: parse the request, call one selector or service, serialize the result.

Visibility is the selectors' (404 for anything of a unit the caller may not see, so nothing leaks); the
rules are the services' (a refusal is 400 with the Vietnamese message and the field, 403 when the caller
may see but not do, 409 when someone else saved the item in between).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scoring.assessment import selectors, services
from scoring.assessment.pages import evidence_get_for_user
from scoring.assessment.serializers import (
    AssessmentDetailSerializer,
    AssessmentErrorSerializer,
    AssessmentMessageSerializer,
    AssessmentScoreConflictSerializer,
    AssessmentScoreSerializer,
    AssessmentStatusChangeSerializer,
    AssessmentSubmitErrorSerializer,
    AssessmentSummarySerializer,
    EvidenceSerializer,
    PointsField,
)
from scoring.assessment.summaries import assessment_summaries
from scoring.idempotency.http import IDEMPOTENCY_KEY_PARAMETER, request_once
from scoring.models import Assessment, CriteriaItem, Evidence
from scoring.workflow import Status

NOT_FOUND = OpenApiResponse(
    AssessmentMessageSerializer, description=gettext_lazy("Không có hoặc không được xem.")
)
FORBIDDEN = OpenApiResponse(
    AssessmentMessageSerializer, description=gettext_lazy("Được xem nhưng không được thực hiện thao tác này.")
)
REFUSED = OpenApiResponse(
    AssessmentErrorSerializer,
    description=gettext_lazy("Dữ liệu không hợp lệ hoặc vi phạm quy định chấm điểm."),
)


# --- helpers shared by the views ------------------------------------------------------------------------


class InvalidInput(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Return the validated data, or raise InvalidInput carrying a 400 in the same shape as a rule refusal."""
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return serializer.validated_data
    field, messages = next(iter(serializer.errors.items()))
    message = messages[0] if isinstance(messages, list) else messages
    if isinstance(message, dict):  # a nested error (list of items): the first message is enough
        message = next(iter(message.values()))[0]
    raise InvalidInput(
        Response(
            {"detail": str(message), "field": None if field == "non_field_errors" else field},
            status=status.HTTP_400_BAD_REQUEST,
        )
    )


def _refusal(exc: services.AssessmentError) -> Response:
    """Return the HTTP answer to a service's refusal."""
    if isinstance(exc, services.PermissionDenied):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, services.VersionConflict):
        current = AssessmentScoreSerializer(exc.current).data if exc.current is not None else None
        return Response({"detail": exc.message, "current": current}, status=status.HTTP_409_CONFLICT)
    body: dict[str, Any] = {"detail": exc.message, "field": exc.field}
    if isinstance(exc, services.SubmissionBlocked):
        body["problems"] = [{"item_code": p.item_code, "message": p.message} for p in exc.problems]
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class AssessmentApiView(APIView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, InvalidInput):
            return exc.response
        if isinstance(exc, services.AssessmentError):
            return _refusal(exc)
        if isinstance(exc, exceptions.ParseError):
            # DRF's text names the parser in English; a broken upload deserves a plain Vietnamese answer.
            return Response(
                {"detail": _("Dữ liệu gửi lên bị hỏng hoặc chưa gửi hết; hãy gửi lại."), "field": None},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)

    def assessment(self, pk: int) -> Assessment:
        return selectors.assessment_get_for_user(user=self.request.user, pk=pk)

    def evidence(self, pk: int) -> Evidence:
        """Return the evidence if the caller may see its assessment; the same 404 whether absent or hidden."""
        try:
            evidence, assessment = evidence_get_for_user(user=self.request.user, evidence_id=pk)
        except Http404 as exc:
            raise exceptions.NotFound(_("Không tìm thấy tài liệu kiểm chứng.")) from exc
        evidence.assessment = assessment
        return evidence


def _evidence_url(request: Request, evidence_id: int) -> str:
    return request.build_absolute_uri(reverse("evidence-download-api", kwargs={"pk": evidence_id}))


def _evidence_rows(request: Request, sheet: selectors.ScoringSheet) -> list[dict[str, Any]]:
    codes = {item.id: item.code for f in sheet.fields for c in f.criteria for item in c.items}
    return [
        {
            "id": e.id,
            "original_name": e.original_name,
            "size": e.size,
            "content_type": e.content_type,
            "uploaded_at": e.uploaded_at,
            "items": sorted((codes[i] for i in e.item_ids if i in codes), key=_code_key),
            "download_url": _evidence_url(request, e.id),
        }
        for e in sheet.evidence
    ]


def _status_change(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "status": assessment.status,
        "status_label": Status(assessment.status).label,
        "submitted_at": assessment.submitted_at,
    }


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdecimal() else 0 for part in code.split("."))


# --- assessments ------------------------------------------------------------------------------------------


class AssessmentListApi(AssessmentApiView):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(
            required=False,
            min_value=2000,
            max_value=9999,
            help_text=gettext_lazy("Năm đánh giá; bỏ trống để lấy mọi năm."),
            error_messages={"invalid": gettext_lazy("Năm phải là một số nguyên.")},
        )

    @extend_schema(
        operation_id="assessments_list",
        summary=gettext_lazy("Các hồ sơ tự đánh giá người dùng được xem"),
        description=gettext_lazy(
            "Hồ sơ tự đánh giá của các đơn vị người dùng được xem: trạng thái, tiến độ, điểm và chỉ số "
            "tạm tính, hạn nộp (ISO 8601), thời điểm gửi. Số thập phân là chuỗi có hai chữ số sau dấu chấm."
        ),
        tags=["assessments"],
        parameters=[InputSerializer],
        responses={200: AssessmentSummarySerializer(many=True), 400: REFUSED},
    )
    def get(self, request: Request) -> Response:
        params = _validated(self.InputSerializer, request.query_params)
        assessments = selectors.assessment_list_for_user(user=request.user)
        if "year" in params:
            assessments = assessments.filter(period__year=params["year"])
        summaries = assessment_summaries(assessments=list(assessments))
        return Response(AssessmentSummarySerializer(summaries, many=True).data)


class AssessmentDetailApi(AssessmentApiView):
    @extend_schema(
        operation_id="assessments_retrieve",
        summary=gettext_lazy("Một hồ sơ tự đánh giá với mọi tiêu chí được chấm"),
        description=gettext_lazy(
            "Các tiêu chí được chấm (mã, nội dung, điểm tối đa, bước điểm, phương pháp, không đánh giá và lý "
            "do, điểm tự chấm, giải thích, lý do không có tài liệu, phiên bản, tài liệu kiểm chứng), tiến độ "
            "theo lĩnh vực, điểm và chỉ số tạm tính, các vướng mắc khi gửi, quyền của người dùng."
        ),
        tags=["assessments"],
        responses={200: AssessmentDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = self.assessment(pk)
        sheet = selectors.scoring_sheet(assessment=assessment, user=request.user)
        data = AssessmentDetailSerializer(
            sheet, context={"unit_code": assessment.unit.code, "evidence": _evidence_rows(request, sheet)}
        ).data
        return Response(data)


class AssessmentItemScoreApi(AssessmentApiView):
    @extend_schema_serializer(component_name="AssessmentScoreInput")
    class InputSerializer(serializers.Serializer):
        points = PointsField()
        justification = serializers.CharField(
            required=False, allow_blank=True, default="", trim_whitespace=True, max_length=10_000
        )
        no_evidence_reason = serializers.CharField(
            required=False, allow_blank=True, default="", trim_whitespace=True, max_length=10_000
        )
        version = serializers.IntegerField(
            min_value=0,
            help_text=gettext_lazy("Phiên bản đã đọc (0 khi tiêu chí chưa được chấm); sai phiên bản → 409."),
            error_messages={
                "required": gettext_lazy("Thiếu phiên bản (version) của điểm đã đọc."),
                "invalid": gettext_lazy("Phiên bản phải là một số nguyên."),
            },
        )

    @extend_schema(
        operation_id="assessments_items_update",
        summary=gettext_lazy("Lưu điểm tự chấm và giải thích của một tiêu chí"),
        description=gettext_lazy(
            "Ghi đè điểm, giải thích và lý do không có tài liệu của tiêu chí. Máy chủ kiểm tra quyền, trạng "
            "thái, hạn nộp, tiêu chí có được tự chấm không, điểm trong khoảng 0 đến tối đa và theo bước điểm. "
            "Nếu người khác đã lưu sau phiên bản đã đọc, trả 409 kèm bản đang lưu."
        ),
        tags=["assessments"],
        request=InputSerializer,
        responses={
            200: AssessmentScoreSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                AssessmentScoreConflictSerializer,
                description=gettext_lazy("Tiêu chí đã được người khác lưu; chưa lưu gì."),
            ),
        },
    )
    def put(self, request: Request, pk: int, code: str) -> Response:
        assessment = self.assessment(pk)
        item = CriteriaItem.objects.filter(criteria_set_id=assessment.criteria_set_id, code=code).first()
        if item is None:
            raise exceptions.NotFound(_("Không có tiêu chí mã “%(code)s” trong hồ sơ này.") % {"code": code})
        data = _validated(self.InputSerializer, request.data)
        score = services.self_score_save(
            assessment=assessment,
            item=item,
            points=data["points"],
            justification=data["justification"],
            no_evidence_reason=data["no_evidence_reason"],
            expected_version=data["version"],
            actor=request.user,
        )
        score.item = item  # the same row; saves a query when serializing its code
        return Response(AssessmentScoreSerializer(score).data)


# --- evidence ---------------------------------------------------------------------------------------------


class AssessmentEvidenceApi(AssessmentApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="EvidenceUploadInput")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(
            help_text=gettext_lazy("PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPG hoặc PNG; kiểm tra theo nội dung."),
            error_messages={
                "required": gettext_lazy("Hãy chọn tệp tài liệu kiểm chứng."),
                "invalid": gettext_lazy("Tệp tải lên không hợp lệ."),
                "no_name": gettext_lazy("Tệp tải lên không có tên."),
                "empty": gettext_lazy("Tệp tải lên rỗng."),
            },
        )
        items = serializers.ListField(
            child=serializers.CharField(max_length=20),
            required=False,
            default=list,
            help_text=gettext_lazy(
                "Mã các tiêu chí mà tệp làm căn cứ, ví dụ 1.1.2; lặp lại trường cho nhiều mã."
            ),
        )

    @extend_schema(
        operation_id="assessments_evidence_list",
        summary=gettext_lazy("Tài liệu kiểm chứng của hồ sơ"),
        tags=["evidence"],
        responses={200: EvidenceSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        sheet = selectors.scoring_sheet(assessment=self.assessment(pk), user=request.user)
        return Response(EvidenceSerializer(_evidence_rows(request, sheet), many=True).data)

    @extend_schema(
        operation_id="assessments_evidence_create",
        summary=gettext_lazy("Tải lên một tài liệu kiểm chứng"),
        description=gettext_lazy(
            "Một tệp có thể làm căn cứ cho nhiều tiêu chí. Loại tệp được kiểm tra theo nội dung, không theo "
            "đuôi tên; dung lượng tối đa theo cấu hình. Khi bị từ chối, không lưu gì."
        ),
        tags=["evidence"],
        request={"multipart/form-data": InputSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: EvidenceSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = self.assessment(pk)
        data = _validated(self.InputSerializer, request.data)
        codes = sorted({c.strip() for c in data["items"] if c.strip()}, key=_code_key)
        ids_by_code = dict(
            CriteriaItem.objects.filter(
                criteria_set_id=assessment.criteria_set_id, code__in=codes
            ).values_list("code", "pk")
        )
        unknown = [c for c in codes if c not in ids_by_code]
        if unknown:
            return Response(
                {
                    "detail": _("Không có tiêu chí mã %(codes)s trong hồ sơ này.")
                    % {"codes": ", ".join(unknown)},
                    "field": "items",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )

        def upload() -> dict[str, Any]:
            evidence = services.evidence_upload(
                assessment=assessment,
                uploaded_file=data["file"],
                item_ids=list(ids_by_code.values()),
                actor=request.user,
            )
            row = {
                "id": evidence.pk,
                "original_name": evidence.original_name,
                "size": evidence.size,
                "content_type": evidence.content_type,
                "uploaded_at": evidence.uploaded_at,
                "items": codes,
                "download_url": _evidence_url(request, evidence.pk),
            }
            return dict(EvidenceSerializer(row).data)

        # A client's retry with the same Idempotency-Key gets the first upload's answer; the file is stored once.
        once = request_once(request, scope=f"evidence_upload:{assessment.pk}", action=upload)
        headers = {"Idempotent-Replayed": "true"} if once.repeated else None
        return Response(once.result, status=status.HTTP_201_CREATED, headers=headers)


class EvidenceDeleteApi(AssessmentApiView):
    @extend_schema(
        operation_id="evidence_destroy",
        summary=gettext_lazy("Xóa một tài liệu kiểm chứng"),
        tags=["evidence"],
        responses={204: None, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.evidence_delete(evidence=self.evidence(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceDownloadApi(AssessmentApiView):
    def perform_content_negotiation(self, request: Request, force: bool = False):
        # A client asking for the file's own type must not get 406; errors still come back as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="evidence_download",
        summary=gettext_lazy("Tải về một tài liệu kiểm chứng với tên tệp gốc"),
        tags=["evidence"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("Nội dung tệp, kiểu nội dung như khi tải lên.")
            ),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = self.evidence(pk)
        try:
            handle = evidence.file.open("rb")
        except OSError as exc:  # the row survived but storage lost the file; say so rather than 500
            raise exceptions.NotFound(_("Tệp của tài liệu kiểm chứng này không còn trên máy chủ.")) from exc
        response = FileResponse(
            handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- submission -------------------------------------------------------------------------------------------


class AssessmentSubmitApi(AssessmentApiView):
    @extend_schema(
        operation_id="assessments_submit",
        summary=gettext_lazy("Thủ trưởng đơn vị gửi hồ sơ tự đánh giá"),
        description=gettext_lazy(
            "Mọi tiêu chí áp dụng phải có điểm; tiêu chí không có tài liệu kiểm chứng phải ghi lý do. "
            "Khi chưa đủ, trả 400 kèm danh sách vướng mắc theo từng tiêu chí. Sau khi gửi không sửa được nữa."
        ),
        tags=["assessments"],
        request=None,
        responses={
            200: AssessmentStatusChangeSerializer,
            400: OpenApiResponse(
                AssessmentSubmitErrorSerializer, description=gettext_lazy("Chưa thể gửi; không thay đổi gì.")
            ),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = services.assessment_submit(assessment=self.assessment(pk), actor=request.user)
        return Response(AssessmentStatusChangeSerializer(_status_change(assessment)).data)


class AssessmentWithdrawApi(AssessmentApiView):
    @extend_schema_serializer(component_name="AssessmentWithdrawInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=10_000,
            help_text=gettext_lazy("Lý do rút lại (không bắt buộc)."),
        )

    @extend_schema(
        operation_id="assessments_withdraw",
        summary=gettext_lazy("Thủ trưởng đơn vị rút lại hồ sơ đã gửi"),
        description=gettext_lazy("Được rút lại trước hạn nộp và trước khi bắt đầu thẩm định."),
        tags=["assessments"],
        request=InputSerializer,
        responses={200: AssessmentStatusChangeSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        assessment = self.assessment(pk)
        data = _validated(self.InputSerializer, request.data)
        assessment = services.assessment_withdraw(
            assessment=assessment, actor=request.user, note=data["note"]
        )
        return Response(AssessmentStatusChangeSerializer(_status_change(assessment)).data)
