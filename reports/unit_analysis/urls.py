"""The unit analysis pages, under /ket-qua/phan-tich/ (app namespace "reports")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.unit_analysis_index, name="unit_analysis_index"),
    path("<slug:unit_code>/", views.unit_analysis, name="unit_analysis"),
]
