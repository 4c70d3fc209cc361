from django.urls import path

from scoring.evaluation import views as views_criteria

app_name = "scoring"

urlpatterns = [
    path("", views_criteria.criteria_set_list, name="criteria_set_list"),
    path("mau-excel/", views_criteria.criteria_template_download, name="criteria_template_download"),
    path("<int:pk>/", views_criteria.criteria_set_detail, name="criteria_set_detail"),
    path("<int:pk>/excel/", views_criteria.criteria_set_export, name="criteria_set_export"),
    path("<slug:body_code>/nhap-excel/", views_criteria.criteria_set_import, name="criteria_set_import"),
    path("<slug:body_code>/sao-chep/", views_criteria.criteria_set_clone, name="criteria_set_clone"),
]
