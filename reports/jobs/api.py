"""REST API of report jobs: ask for a report, follow its progress, download its file.

Thin: the checks are those of the pages, in reports.jobs.services.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.render.files import CONTENT_TYPES
from scoring.idempotency.http import IDEMPOTENCY_KEY_PARAMETER, request_once
from scoring.jobs.api import QUEUE_DOWN, job_queued_or_503
from scoring.models import Job

from . import services as report_jobs
from .kinds import ReportFormat, ReportKind

NOT_FOUND = OpenApiResponse(
    description=gettext_lazy("Không có, hoặc bạn không được xem (cơ quan, đơn vị hoặc yêu cầu báo cáo).")
)
FORBIDDEN = OpenApiResponse(
    description=gettext_lazy("Bạn thấy cơ quan/đơn vị nhưng không được tạo báo cáo này.")
)


def _job_or_404(request: Request, pk: int) -> Job:
    try:
        return report_jobs.report_job_get_for_user(user=request.user, pk=pk)
    except report_jobs.ReportJobNotFound as exc:
        raise exceptions.NotFound(str(exc)) from exc


@extend_schema_serializer(component_name="ReportJob")
class ReportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    format = serializers.ChoiceField(choices=ReportFormat.choices)
    year = serializers.IntegerField(allow_null=True)
    unit_code = serializers.SerializerMethodField()
    state = serializers.ChoiceField(source="status", choices=Job.Status.choices)
    progress = serializers.IntegerField(help_text=gettext_lazy("Tiến độ, 0–100 (%)."))
    progress_note = serializers.CharField(help_text=gettext_lazy("Việc đang làm, hoặc tóm tắt khi xong."))
    error = serializers.CharField(help_text=gettext_lazy("Lý do lỗi (tiếng Việt) khi state là failed."))
    download_url = serializers.SerializerMethodField()

    def get_unit_code(self, job: Job) -> str | None:
        return job.unit.code if job.unit_id else None

    def get_download_url(self, job: Job) -> str | None:
        if not job.has_file:
            return None
        return self.context["request"].build_absolute_uri(reverse("report-job-download-api", args=[job.pk]))


class ReportJobCreateApi(APIView):
    # Where the answer's `url` points: this alias answers as it always has; JobCreateApi names the one job API.
    detail_url_name = "report-job-api"

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(
            help_text=gettext_lazy("annual, unit, rankings, province_plan, unit_plan hoặc recompute.")
        )
        year = serializers.CharField(help_text=gettext_lazy("Năm đánh giá, ví dụ 2020."))
        unit_code = serializers.CharField(
            required=False, allow_blank=True, help_text=gettext_lazy("Mã đơn vị, cho unit và unit_plan.")
        )
        format = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=gettext_lazy("pdf hoặc xlsx; rankings chỉ xlsx; recompute bỏ trống."),
        )
        body = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=gettext_lazy(
                "Mã cơ quan đánh giá; có thể bỏ trống khi người dùng chỉ thuộc một cơ quan."
            ),
        )

    @extend_schema_serializer(component_name="ReportJobCreated")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        url = serializers.URLField(help_text=gettext_lazy("Địa chỉ API để theo dõi yêu cầu."))
        page_url = serializers.URLField(help_text=gettext_lazy("Trang theo dõi tiến độ trong trình duyệt."))
        state = serializers.CharField()
        progress = serializers.IntegerField()

    @extend_schema(
        operation_id="report_jobs_create",
        summary=gettext_lazy("Yêu cầu tạo báo cáo (chạy trong nền)"),
        description=gettext_lazy(
            "Tạo yêu cầu báo cáo: báo cáo năm (annual), phân tích đơn vị (unit), bảng xếp hạng (rankings, "
            "chỉ Excel), kế hoạch của tỉnh (province_plan) hoặc của đơn vị (unit_plan), hoặc tính lại kết quả "
            "(recompute, chỉ quản trị cơ quan). Trả về 202 ngay; theo dõi tiến độ ở `url`."
        ),
        tags=["report-jobs"],
        request=InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            202: OutputSerializer,
            400: OpenApiResponse(description=gettext_lazy("Dữ liệu không hợp lệ; lỗi theo từng trường.")),
            403: FORBIDDEN,
            404: NOT_FOUND,
            503: QUEUE_DOWN,
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        created: dict[str, Job] = {}

        def create() -> dict:
            try:
                job = report_jobs.report_job_request(
                    actor=request.user,
                    kind=values["kind"],
                    year=values["year"],
                    format=values.get("format", ""),
                    unit_code=values.get("unit_code", ""),
                    body_code=values.get("body", ""),
                )
            except report_jobs.ReportJobNotFound as exc:
                raise exceptions.NotFound(str(exc)) from exc
            except ValidationError as exc:
                raise exceptions.ValidationError(exc.message_dict) from exc
            except PermissionDenied as exc:
                raise exceptions.PermissionDenied(str(exc)) from exc
            created["job"] = job
            return {"id": job.pk}

        # A request resent with the same Idempotency-Key (a client's retry) answers with the job the first one
        # created, in its current state, instead of asking for the report again.
        once = request_once(request, scope="report_job", action=create)
        # This request's own job knows whether the broker took it (published after the commit); a replay reads
        # the first request's job as it is now (a job run in-process, without a broker, is already finished).
        job = created.get("job") or Job.objects.get(pk=once.result["id"])
        job_queued_or_503(job)
        job.refresh_from_db()
        url = request.build_absolute_uri(reverse(self.detail_url_name, args=[job.pk]))
        output = {
            "id": job.pk,
            "url": url,
            "page_url": request.build_absolute_uri(reverse("reports:report_job_detail", args=[job.pk])),
            "state": job.status,
            "progress": job.progress,
        }
        headers = {"Location": url}
        if once.repeated:
            headers["Idempotent-Replayed"] = "true"
        return Response(self.OutputSerializer(output).data, status=status.HTTP_202_ACCEPTED, headers=headers)


class JobCreateApi(ReportJobCreateApi):
    """`POST /api/v1/jobs/`: the same request as `/api/v1/report-jobs/`, followed at `/api/v1/jobs/<id>/`."""

    detail_url_name = "job-api"

    @extend_schema(
        operation_id="jobs_create",
        summary=gettext_lazy("Yêu cầu tạo báo cáo (chạy trong nền)"),
        description=gettext_lazy(
            "Như POST /api/v1/report-jobs/; theo dõi tiến độ ở `url` (/api/v1/jobs/<id>/)."
        ),
        tags=["jobs"],
        request=ReportJobCreateApi.InputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            202: ReportJobCreateApi.OutputSerializer,
            400: OpenApiResponse(description=gettext_lazy("Dữ liệu không hợp lệ; lỗi theo từng trường.")),
            403: FORBIDDEN,
            404: NOT_FOUND,
            503: QUEUE_DOWN,
        },
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class ReportJobDetailApi(APIView):
    @extend_schema(
        operation_id="report_jobs_retrieve",
        summary=gettext_lazy("Trạng thái và tiến độ của một yêu cầu báo cáo"),
        description=gettext_lazy(
            "state: queued, running, succeeded hoặc failed; download_url có khi state là succeeded và "
            "báo cáo có tệp."
        ),
        tags=["report-jobs"],
        responses={200: ReportJobSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = _job_or_404(request, pk)
        return Response(ReportJobSerializer(job, context={"request": request}).data)


class ReportJobDownloadApi(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False):
        # A client asking for the file's own type must not get 406; errors still come back as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="report_jobs_download",
        summary=gettext_lazy("Tải về tệp báo cáo"),
        tags=["report-jobs"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("Tệp PDF hoặc Excel của báo cáo.")
            ),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        job = _job_or_404(request, pk)
        if not job.has_file:
            raise exceptions.NotFound(_("Báo cáo chưa có tệp."))
        try:
            handle = job.file.open("rb")
        except OSError as exc:
            raise exceptions.NotFound(_("Tệp báo cáo không còn trên máy chủ; hãy tạo lại.")) from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=job.filename,
            content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
