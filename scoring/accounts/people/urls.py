"""The people pages of a body: /nguoi-dung/ opens the current body's; the rest name the body by its code."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("nguoi-dung/", views.people_home, name="home"),
    path("co-quan/<slug:code>/nguoi-dung/", views.people_list, name="list"),
    path("co-quan/<slug:code>/nguoi-dung/moi/", views.person_invite, name="invite"),
    path("co-quan/<slug:code>/nguoi-dung/nhap/", views.people_import, name="import"),
    path("co-quan/<slug:code>/nguoi-dung/nhap/mau.csv", views.people_import_sample, name="import_sample"),
    path(
        "co-quan/<slug:code>/nguoi-dung/nhap/mat-khau-tam.csv",
        views.people_import_credentials,
        name="import_credentials",
    ),
    path("co-quan/<slug:code>/nguoi-dung/<int:pk>/", views.person_detail, name="detail"),
    path("co-quan/<slug:code>/nguoi-dung/<int:pk>/vai-tro/", views.person_role_add, name="role_add"),
    path(
        "co-quan/<slug:code>/nguoi-dung/<int:pk>/vai-tro/<int:role_pk>/thu-hoi/",
        views.person_role_remove,
        name="role_remove",
    ),
    path("co-quan/<slug:code>/nguoi-dung/<int:pk>/ngung/", views.person_deactivate, name="deactivate"),
    path("co-quan/<slug:code>/nguoi-dung/<int:pk>/kich-hoat/", views.person_reactivate, name="reactivate"),
    path("co-quan/<slug:code>/nguoi-dung/<int:pk>/mat-khau/", views.person_password_reset, name="password"),
]
