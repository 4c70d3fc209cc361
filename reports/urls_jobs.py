"""Report jobs under /ket-qua/bao-cao/ (names in the `reports` namespace)."""

from django.urls import path

from . import views_jobs

urlpatterns = [
    path("", views_jobs.report_jobs_page, name="report_jobs"),
    path("tao/", views_jobs.report_job_create, name="report_job_create"),
    path("<int:pk>/", views_jobs.report_job_detail, name="report_job_detail"),
    path("<int:pk>/thu-lai/", views_jobs.report_job_retry, name="report_job_retry"),
    path("<int:pk>/tai-ve/", views_jobs.report_job_download, name="report_job_download"),
]
