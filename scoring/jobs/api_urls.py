"""The one job API under /api/v1/jobs/ (asking for a report job is reports' `POST /api/v1/jobs/`)."""

from django.urls import path

from .api import JobDetailApi, JobDownloadApi

urlpatterns = [
    path("jobs/<int:pk>/", JobDetailApi.as_view(), name="job-api"),
    path("jobs/<int:pk>/download/", JobDownloadApi.as_view(), name="job-download-api"),
]
