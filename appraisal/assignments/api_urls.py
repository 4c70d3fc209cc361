from django.urls import path

from . import api

urlpatterns = [
    path(
        "appraiser-assignments/", api.AssignmentListCreateApi.as_view(), name="appraiser-assignment-list-api"
    ),
    path(
        "appraiser-assignments/<int:pk>/",
        api.AssignmentDeleteApi.as_view(),
        name="appraiser-assignment-delete-api",
    ),
]
