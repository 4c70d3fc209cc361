from django.urls import path

from . import views

app_name = "public_rankings"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:body>/<int:year>/", views.public_rankings, name="period"),
]
