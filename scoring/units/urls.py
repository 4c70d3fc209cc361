"""Units and groups of the body administrator, under /quan-ly/don-vi/."""

from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("them/", views.unit_create, name="create"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/doi-ten/", views.unit_rename, name="rename"),
    path("<int:pk>/sua/", views.unit_edit, name="edit"),
    path("<int:pk>/hoat-dong/", views.unit_active, name="active"),
    path("nhom/them/", views.group_create, name="group_create"),
    path("nhom/<int:pk>/sua/", views.group_edit, name="group_edit"),
    path("sap-nhap-chia-tach/", views.lineage_create, name="lineage_create"),
    path("loai/", views.kind_list, name="kind_list"),
    path("loai/them/", views.kind_create, name="kind_create"),
    path("loai/<int:pk>/sua/", views.kind_edit, name="kind_edit"),
    path("loai/<int:pk>/xoa/", views.kind_delete, name="kind_delete"),
]
