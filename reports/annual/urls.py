"""The annual results report page under /ket-qua/bao-cao-nam/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.annual_report, name="annual_report"),
    path("thong-tin-van-ban/", views.annual_report_particulars, name="annual_report_particulars"),
]
