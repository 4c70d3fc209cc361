from django.urls import path

from . import views_public

app_name = "public_rankings"

urlpatterns = [
    path("", views_public.public_index, name="index"),
    path("<slug:body>/<int:year>/", views_public.public_rankings, name="period"),
]
