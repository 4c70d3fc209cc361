"""Dashboards under /ket-qua/bieu-do/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboards, name="dashboards"),
]
