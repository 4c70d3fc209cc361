from django.urls import path  # noqa: F401

from scoring.assessment import views
from scoring.audit import views as audit_views
from scoring.evidence import views as evidence_views
from scoring.progress import views as progress_views

app_name = "assessment"

urlpatterns: list = [
    path("", views.assessment_list, name="list"),
    path("bat-dau/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_sheet, name="sheet"),
    path("<int:pk>/tieu-chi/<int:item_id>/", views.item_save, name="item_save"),
    path("<int:pk>/gui/", views.assessment_submit, name="submit"),
    path("<int:pk>/rut-lai/", views.assessment_withdraw, name="withdraw"),
    path("<int:pk>/lich-su/", audit_views.history, name="history"),
    path("<int:pk>/tai-lieu/", evidence_views.evidence_list, name="evidence_list"),
    path("<int:pk>/tai-lieu/tai-len/", evidence_views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/tai-lieu/dung-lai/", evidence_views.evidence_link, name="evidence_link"),
    path("tai-lieu/<int:evidence_id>/", evidence_views.evidence_download, name="evidence_download"),
    path(
        "tai-lieu/<int:evidence_id>/bo-gan/",
        evidence_views.evidence_unlink,
        name="evidence_unlink",
    ),
    path("tai-lieu/<int:evidence_id>/xoa/", evidence_views.evidence_delete, name="evidence_delete"),
    path("tien-do/", progress_views.board, name="board"),
    path("tien-do/excel/", progress_views.board_xlsx, name="board_xlsx"),
    path("tien-do/<int:period_id>/nhac-nho/", progress_views.board_remind, name="board_remind"),
    path(
        "tien-do/<int:period_id>/don-vi/<int:unit_id>/gia-han/",
        progress_views.board_extension,
        name="board_extension",
    ),
]
