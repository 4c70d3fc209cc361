"""A unit's papers to sign under /ket-qua/giay-to/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so/<int:pk>/tu-danh-gia.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("ho-so/<int:pk>/thong-bao-tham-dinh.pdf", views.appraisal_notice_pdf, name="appraisal_notice_pdf"),
]
