from django.urls import path

from .api import RankingsApi

urlpatterns = [
    path("rankings/", RankingsApi.as_view(), name="rankings-api"),
]
