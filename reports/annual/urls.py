"""The annual results report page under /ket-qua/bao-cao-nam/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.annual_report, name="annual_report"),
]
