from django.urls import path  # noqa: F401

from scoring.assessment import views as views_assessment
from scoring.audit import views as views_audit
from scoring.evidence import views as views_assessment_evidence
from scoring.progress import views as views_board

app_name = "assessment"

urlpatterns: list = [
    path("", views_assessment.assessment_list, name="list"),
    path("bat-dau/", views_assessment.assessment_start, name="start"),
    path("<int:pk>/", views_assessment.assessment_sheet, name="sheet"),
    path("<int:pk>/tieu-chi/<int:item_id>/", views_assessment.item_save, name="item_save"),
    path("<int:pk>/gui/", views_assessment.assessment_submit, name="submit"),
    path("<int:pk>/rut-lai/", views_assessment.assessment_withdraw, name="withdraw"),
    path("<int:pk>/lich-su/", views_audit.history, name="history"),
    path("<int:pk>/tai-lieu/", views_assessment_evidence.evidence_list, name="evidence_list"),
    path("<int:pk>/tai-lieu/tai-len/", views_assessment_evidence.evidence_upload, name="evidence_upload"),
    path("<int:pk>/tai-lieu/dung-lai/", views_assessment_evidence.evidence_link, name="evidence_link"),
    path(
        "tai-lieu/<int:evidence_id>/", views_assessment_evidence.evidence_download, name="evidence_download"
    ),
    path(
        "tai-lieu/<int:evidence_id>/bo-gan/",
        views_assessment_evidence.evidence_unlink,
        name="evidence_unlink",
    ),
    path(
        "tai-lieu/<int:evidence_id>/xoa/", views_assessment_evidence.evidence_delete, name="evidence_delete"
    ),
    path("tien-do/", views_board.board, name="board"),
    path("tien-do/excel/", views_board.board_xlsx, name="board_xlsx"),
    path("tien-do/<int:period_id>/nhac-nho/", views_board.board_remind, name="board_remind"),
    path(
        "tien-do/<int:period_id>/don-vi/<int:unit_id>/gia-han/",
        views_board.board_extension,
        name="board_extension",
    ),
]
