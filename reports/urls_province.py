"""The province's own national index: /ket-qua/chi-so-tinh/ (names reports:province_*)."""

from django.urls import path

from . import views_province

urlpatterns = [
    path("", views_province.province_history, name="province_history"),
    path("nhap/", views_province.province_import, name="province_import"),
    path("nhap/mau/", views_province.province_import_template, name="province_import_template"),
    path("muc-tieu/<int:year>/", views_province.province_targets, name="province_targets"),
    path("muc-tieu/<int:year>/sua/", views_province.province_targets_edit, name="province_targets_edit"),
]
