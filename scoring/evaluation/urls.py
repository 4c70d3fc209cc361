from django.urls import path

from scoring.evaluation import views
from scoring.evaluation.editing import views as editing

app_name = "scoring"

urlpatterns = [
    path("", views.criteria_set_list, name="criteria_set_list"),
    path("mau-excel/", views.criteria_template_download, name="criteria_template_download"),
    path("<int:pk>/", views.criteria_set_detail, name="criteria_set_detail"),
    path("<int:pk>/excel/", views.criteria_set_export, name="criteria_set_export"),
    path("<int:pk>/sua/", editing.criteria_tree_edit, name="criteria_tree_edit"),
    path("<int:pk>/them-muc/", editing.criteria_item_add, name="criteria_item_add"),
    path("<int:pk>/muc/<int:item_pk>/sua/", editing.criteria_item_edit, name="criteria_item_edit"),
    path("<int:pk>/muc/<int:item_pk>/xoa/", editing.criteria_item_delete, name="criteria_item_delete"),
    path("<int:pk>/phien-ban/moi/", editing.criteria_set_version_create, name="criteria_set_version_create"),
    path(
        "<int:pk>/phien-ban/<int:number>/",
        editing.criteria_set_version_detail,
        name="criteria_set_version_detail",
    ),
    path("<slug:body_code>/nhap-excel/", views.criteria_set_import, name="criteria_set_import"),
    path("<slug:body_code>/sao-chep/", views.criteria_set_clone, name="criteria_set_clone"),
    path("khong-danh-gia/", views.exemptions_index, name="exemptions_index"),
    path("khong-danh-gia/<int:period_pk>/<int:unit_pk>/", views.unit_exemptions, name="unit_exemptions"),
    path(
        "khong-danh-gia/<int:period_pk>/<int:unit_pk>/<int:pk>/bo/",
        views.unit_exemption_delete,
        name="unit_exemption_delete",
    ),
]
