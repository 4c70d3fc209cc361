"""Recovery plans under /ket-qua/ke-hoach/: the province's plan, each unit's plan, and their actions."""

from django.urls import path

from . import views_plans

urlpatterns = [
    path("", views_plans.plans, name="plans"),
    path("tinh/<int:year>/", views_plans.province_plan, name="province_plan"),
    path("tinh/<int:year>/them/", views_plans.province_plan_action_add, name="province_plan_action_add"),
    path("don-vi/<str:unit_code>/<int:year>/", views_plans.unit_plan, name="unit_plan"),
    path(
        "ke-hoach/don-vi/<str:unit_code>/<int:year>/them/",
        views_plans.unit_plan_action_add,
        name="unit_plan_action_add",
    ),
    path("don-vi/<str:unit_code>/<int:year>/lap/", views_plans.unit_plan_build, name="unit_plan_build"),
    path("muc/<int:pk>/sua/", views_plans.plan_action_edit, name="plan_action_edit"),
    path("muc/<int:pk>/xoa/", views_plans.plan_action_delete, name="plan_action_delete"),
]
