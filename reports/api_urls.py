from django.urls import path

from .api import RankingsApi
from .api_jobs import ReportJobCreateApi, ReportJobDetailApi, ReportJobDownloadApi

urlpatterns = [
    path("rankings/", RankingsApi.as_view(), name="rankings-api"),
    path("report-jobs/", ReportJobCreateApi.as_view(), name="report-jobs-api"),
    path("report-jobs/<int:pk>/", ReportJobDetailApi.as_view(), name="report-job-api"),
    path("report-jobs/<int:pk>/download/", ReportJobDownloadApi.as_view(), name="report-job-download-api"),
]
