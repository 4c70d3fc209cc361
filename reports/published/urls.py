"""Importing published results of earlier years, under /ket-qua/nhap/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.published_results_import, name="published_results_import"),
    path("mau.csv", views.published_results_sample, name="published_results_sample"),
    path("<int:pk>/", views.import_job_detail, name="import_job_detail"),
]
