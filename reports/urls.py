"""The reports pages under /ket-qua/ (app namespace "reports"): one URLconf per capability package."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("xep-hang/", include("reports.rankings.urls")),
    path("nhap/", include("reports.published.urls")),
    path("cong-bo/", include("reports.publication.urls")),
    path("bao-cao/", include("reports.jobs.urls")),
    path("bao-cao-nam/", include("reports.annual.urls")),
    path("phan-tich/", include("reports.unit_analysis.urls")),
    path("bieu-do/", include("reports.dashboards.urls")),
    path("chi-so-tinh/", include("reports.province.urls")),
    path("ke-hoach/", include("reports.plans.urls")),
    path("giay-to/", include("reports.papers.urls")),
]
