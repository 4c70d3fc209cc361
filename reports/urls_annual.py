"""The annual results report page under /ket-qua/bao-cao-nam/ (names in the `reports` namespace)."""

from django.urls import path

from . import views_annual

urlpatterns = [
    path("", views_annual.annual_report, name="annual_report"),
]
