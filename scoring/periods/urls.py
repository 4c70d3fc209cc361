from django.urls import path

from scoring.periods import views

app_name = "periods"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("<slug:body_code>/tao/", views.period_create, name="create"),
    path("<int:pk>/", views.period_checklist, name="checklist"),
    path("<int:pk>/thoi-han/", views.period_deadlines, name="deadlines"),
    path("<int:pk>/xep-loai/", views.period_bands, name="bands"),
    path("<int:pk>/mo/", views.period_open, name="open"),
]
