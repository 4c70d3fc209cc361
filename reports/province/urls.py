"""The province's own national index: /ket-qua/chi-so-tinh/ (names reports:province_*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.province_history, name="province_history"),
    path("nhap/", views.province_import, name="province_import"),
    path("nhap/mau/", views.province_import_template, name="province_import_template"),
    path("muc-tieu/<int:year>/", views.province_targets, name="province_targets"),
    path("muc-tieu/<int:year>/sua/", views.province_targets_edit, name="province_targets_edit"),
]
