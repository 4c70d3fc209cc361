from django.urls import path

from scoring import views as scoring_views

app_name = "reports"

urlpatterns = [
    path("xep-hang/", scoring_views.home, name="rankings"),  # replaced by the rankings views
    path("nhap/", scoring_views.home, name="published_results_import"),  # replaced by the import views
]
