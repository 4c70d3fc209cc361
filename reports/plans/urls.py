"""Recovery plans under /ket-qua/ke-hoach/: the province's plan, each unit's plan, and their actions."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.plans, name="plans"),
    path("tinh/<int:year>/", views.province_plan, name="province_plan"),
    path("tinh/<int:year>/them/", views.province_plan_action_add, name="province_plan_action_add"),
    path("don-vi/<str:unit_code>/<int:year>/", views.unit_plan, name="unit_plan"),
    path(
        "ke-hoach/don-vi/<str:unit_code>/<int:year>/them/",
        views.unit_plan_action_add,
        name="unit_plan_action_add",
    ),
    path("don-vi/<str:unit_code>/<int:year>/lap/", views.unit_plan_build, name="unit_plan_build"),
    path("muc/<int:pk>/sua/", views.plan_action_edit, name="plan_action_edit"),
    path("muc/<int:pk>/xoa/", views.plan_action_delete, name="plan_action_delete"),
]
