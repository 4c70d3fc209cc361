"""Publication decisions, under /ket-qua/cong-bo/ (names in the `reports` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.publication, name="publication"),
    path("ky/<int:period_id>/", views.publication_publish, name="publication_publish"),
    path("ky/<int:period_id>/sua-doi/", views.publication_publish, {"amend": True}, name="publication_amend"),
    path("quyet-dinh/<int:pk>/", views.publication_decision, name="publication_decision"),
    path("quyet-dinh/<int:pk>/tep/", views.publication_decision_file, name="publication_decision_file"),
]
