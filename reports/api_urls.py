from django.urls import path

from .jobs.api import JobCreateApi, ReportJobCreateApi, ReportJobDetailApi, ReportJobDownloadApi
from .rankings.api import RankingsApi

urlpatterns = [
    path("rankings/", RankingsApi.as_view(), name="rankings-api"),
    path("jobs/", JobCreateApi.as_view(), name="jobs-api"),
    # The report-jobs URLs are aliases kept as they were; new clients use /api/v1/jobs/.
    path("report-jobs/", ReportJobCreateApi.as_view(), name="report-jobs-api"),
    path("report-jobs/<int:pk>/", ReportJobDetailApi.as_view(), name="report-job-api"),
    path("report-jobs/<int:pk>/download/", ReportJobDownloadApi.as_view(), name="report-job-download-api"),
]
