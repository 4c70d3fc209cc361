"""Report jobs under /ket-qua/bao-cao/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_jobs_page, name="report_jobs"),
    path("tao/", views.report_job_create, name="report_job_create"),
    path("<int:pk>/", views.report_job_detail, name="report_job_detail"),
    path("<int:pk>/thu-lai/", views.report_job_retry, name="report_job_retry"),
    path("<int:pk>/tai-ve/", views.report_job_download, name="report_job_download"),
]
