"""The unit analysis pages, under /ket-qua/phan-tich/ (app namespace "reports")."""

from django.urls import path

from . import views_unit_analysis

urlpatterns = [
    path("", views_unit_analysis.unit_analysis_index, name="unit_analysis_index"),
    path("<slug:unit_code>/", views_unit_analysis.unit_analysis, name="unit_analysis"),
]
