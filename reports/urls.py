from django.urls import include, path

from . import views_import, views_publication, views_rankings

app_name = "reports"

urlpatterns = [
    path("xep-hang/", views_rankings.rankings, name="rankings"),
    path("xep-hang/excel/", views_rankings.rankings_xlsx, name="rankings_xlsx"),
    path("nhap/", views_import.published_results_import, name="published_results_import"),
    path("nhap/mau.csv", views_import.published_results_sample, name="published_results_sample"),
    path("nhap/<int:pk>/", views_import.import_job_detail, name="import_job_detail"),
    path("cong-bo/", views_publication.publication, name="publication"),
    path("cong-bo/ky/<int:period_id>/", views_publication.publication_publish, name="publication_publish"),
    path(
        "cong-bo/ky/<int:period_id>/sua-doi/",
        views_publication.publication_publish,
        {"amend": True},
        name="publication_amend",
    ),
    path("cong-bo/quyet-dinh/<int:pk>/", views_publication.publication_decision, name="publication_decision"),
    path(
        "cong-bo/quyet-dinh/<int:pk>/tep/",
        views_publication.publication_decision_file,
        name="publication_decision_file",
    ),
    path("bao-cao/", include("reports.urls_jobs")),
    path("bao-cao-nam/", include("reports.urls_annual")),
    path("phan-tich/", include("reports.urls_unit_analysis")),
    path("bieu-do/", include("reports.urls_dashboards")),
    path("chi-so-tinh/", include("reports.urls_province")),
    path("ke-hoach/", include("reports.urls_plans")),
]
