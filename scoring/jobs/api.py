"""One API shape for every job: `GET /api/v1/jobs/<id>/` and its file at `/api/v1/jobs/<id>/download/`.

Who may read a job is its kind's rule (`scoring.jobs.registry`); anyone else gets 404, so a job of another unit or
body is not revealed. Report jobs are asked for with `POST /api/v1/jobs/` (reports.jobs.api).
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scoring.models import Job

from .services import job_get_for_user, job_queue_refused

NOT_FOUND = OpenApiResponse(description=gettext_lazy("Không có, hoặc bạn không được xem việc này."))
QUEUE_DOWN = OpenApiResponse(
    description=gettext_lazy(
        "Hệ thống xử lý nền không hoạt động: việc đã được ghi là lỗi (state failed) kèm lý do; thử lại sau."
    )
)


class JobQueueUnavailable(exceptions.APIException):
    """503 in JSON: the job was stored but the broker could not be reached, so it was failed at once."""

    status_code = 503
    default_code = "queue_unavailable"


def job_queued_or_503(job: Job) -> None:
    """Raise 503 (JSON, with the job's id and reason) when asking for the job could not reach the broker."""
    if job_queue_refused(job):
        job.refresh_from_db()
        refused = JobQueueUnavailable()
        # Set after init: DRF would turn the id into a string.
        refused.detail = {"detail": job.error, "id": job.pk, "state": job.status}
        raise refused


def _job_or_404(request: Request, pk: int) -> Job:
    job = job_get_for_user(user=request.user, pk=pk)
    if job is None:
        raise exceptions.NotFound(_("Không tìm thấy việc chạy nền."))
    return job


class JobDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        kind = serializers.CharField()
        state = serializers.ChoiceField(source="status", choices=Job.Status.choices)
        progress = serializers.IntegerField(help_text=gettext_lazy("Tiến độ, 0–100 (%)."))
        progress_note = serializers.CharField(help_text=gettext_lazy("Việc đang làm, hoặc tóm tắt khi xong."))
        error = serializers.CharField(help_text=gettext_lazy("Lý do lỗi (tiếng Việt) khi state là failed."))
        errors = serializers.ListField(
            child=serializers.DictField(), help_text=gettext_lazy("Lỗi theo dòng của một lần nhập tệp.")
        )
        summary = serializers.DictField(help_text=gettext_lazy("Kết quả của một lần nhập tệp."))
        download_url = serializers.SerializerMethodField()

        def get_download_url(self, job: Job) -> str | None:
            if not job.has_file:
                return None
            return self.context["request"].build_absolute_uri(reverse("job-download-api", args=[job.pk]))

    @extend_schema(
        operation_id="jobs_retrieve",
        summary=gettext_lazy("Trạng thái và tiến độ của một việc chạy nền (báo cáo, tính lại, nhập tệp)"),
        description=gettext_lazy(
            "state: queued, running, succeeded hoặc failed; download_url có khi state là succeeded và việc "
            "có tệp kết quả."
        ),
        tags=["jobs"],
        responses={200: OutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = _job_or_404(request, pk)
        return Response(self.OutputSerializer(job, context={"request": request}).data)


class JobDownloadApi(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False):
        # A client asking for the file's own type must not get 406; errors still come back as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="jobs_download",
        summary=gettext_lazy("Tải về tệp kết quả của một việc chạy nền"),
        tags=["jobs"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("Tệp kết quả (PDF, Excel…).")
            ),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        job = _job_or_404(request, pk)
        if not job.has_file:
            raise exceptions.NotFound(_("Việc này chưa có tệp."))
        try:
            handle = job.file.open("rb")
        except OSError as exc:
            raise exceptions.NotFound(_("Tệp không còn trên máy chủ; hãy tạo lại.")) from exc
        content_type = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"
        response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        # Files of unpublished figures and of one unit: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
        return response
