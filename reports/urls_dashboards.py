"""Dashboards under /ket-qua/bieu-do/ (names in the `reports` namespace)."""

from django.urls import path

from . import views_dashboards

urlpatterns = [
    path("", views_dashboards.dashboards, name="dashboards"),
]
