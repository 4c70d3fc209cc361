from django.urls import path

from . import api

urlpatterns = [
    path("people/", api.PeopleListInviteApi.as_view(), name="people-list-api"),
    path("people/<int:pk>/", api.PersonDetailApi.as_view(), name="person-detail-api"),
    path("people/<int:pk>/deactivate/", api.PersonDeactivateApi.as_view(), name="person-deactivate-api"),
    path("people/<int:pk>/reactivate/", api.PersonReactivateApi.as_view(), name="person-reactivate-api"),
    path(
        "people/<int:pk>/password-reset/",
        api.PersonPasswordResetApi.as_view(),
        name="person-password-reset-api",
    ),
    path("people/<int:pk>/roles/", api.PersonRolesApi.as_view(), name="person-roles-api"),
    path("role-assignments/<int:pk>/", api.RoleAssignmentDeleteApi.as_view(), name="role-assignment-api"),
]
