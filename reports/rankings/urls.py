"""The rankings page and its Excel download, under /ket-qua/xep-hang/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.rankings, name="rankings"),
    path("excel/", views.rankings_xlsx, name="rankings_xlsx"),
]
