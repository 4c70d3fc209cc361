from django.urls import path

from . import api

urlpatterns = [
    path("exemptions/", api.ExemptionListCreateApi.as_view(), name="exemption-list-api"),
    path("exemptions/<int:pk>/", api.ExemptionDeleteApi.as_view(), name="exemption-delete-api"),
]
