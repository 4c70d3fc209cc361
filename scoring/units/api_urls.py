from django.urls import path

from . import api

urlpatterns = [
    path("unit-groups/", api.UnitGroupListCreateApi.as_view(), name="unit-group-list-api"),
    path("unit-groups/<int:pk>/", api.UnitGroupDetailApi.as_view(), name="unit-group-detail-api"),
    path("unit-kinds/", api.UnitKindListCreateApi.as_view(), name="unit-kind-list-api"),
    path("units/", api.UnitListCreateApi.as_view(), name="unit-list-api"),
    path("units/<int:pk>/", api.UnitDetailApi.as_view(), name="unit-detail-api"),
    path("units/<int:pk>/rename/", api.UnitRenameApi.as_view(), name="unit-rename-api"),
    path("units/<int:pk>/deactivate/", api.UnitDeactivateApi.as_view(), name="unit-deactivate-api"),
    path("units/<int:pk>/reactivate/", api.UnitReactivateApi.as_view(), name="unit-reactivate-api"),
    path("units/<int:pk>/merge/", api.UnitMergeApi.as_view(), name="unit-merge-api"),
    path("units/<int:pk>/split/", api.UnitSplitApi.as_view(), name="unit-split-api"),
]
