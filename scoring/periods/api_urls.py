from django.urls import path

from . import api

urlpatterns = [
    path("periods/", api.PeriodListCreateApi.as_view(), name="period-list-api"),
    path("periods/<int:pk>/", api.PeriodDetailApi.as_view(), name="period-detail-api"),
    path("periods/<int:pk>/deadlines/", api.PeriodDeadlinesApi.as_view(), name="period-deadlines-api"),
    path("periods/<int:pk>/bands/", api.PeriodBandsApi.as_view(), name="period-bands-api"),
    path("periods/<int:pk>/checklist/", api.PeriodChecklistApi.as_view(), name="period-checklist-api"),
    path("periods/<int:pk>/open/", api.PeriodOpenApi.as_view(), name="period-open-api"),
]
