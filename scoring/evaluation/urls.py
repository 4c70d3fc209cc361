from django.urls import path

from scoring.evaluation import views

app_name = "scoring"

urlpatterns = [
    path("", views.criteria_set_list, name="criteria_set_list"),
    path("mau-excel/", views.criteria_template_download, name="criteria_template_download"),
    path("<int:pk>/", views.criteria_set_detail, name="criteria_set_detail"),
    path("<int:pk>/excel/", views.criteria_set_export, name="criteria_set_export"),
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
