from django.urls import path

from . import views_import, views_rankings

app_name = "reports"

urlpatterns = [
    path("xep-hang/", views_rankings.rankings, name="rankings"),
    path("xep-hang/excel/", views_rankings.rankings_xlsx, name="rankings_xlsx"),
    path("nhap/", views_import.published_results_import, name="published_results_import"),
    path("nhap/mau.csv", views_import.published_results_sample, name="published_results_sample"),
    path("nhap/<int:pk>/", views_import.import_job_detail, name="import_job_detail"),
]
