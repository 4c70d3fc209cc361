from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.home, name="criteria_set_list"),  # replaced by the criteria-set views
]
