from django.urls import path

from . import views_council, views_round, views_unit

app_name = "appraisal"

urlpatterns = [
    path("", views_round.appraisal_list, name="list"),
    path("<int:pk>/", views_round.appraisal_sheet, name="sheet"),
    path("<int:pk>/tieu-chi/<int:item_id>/", views_round.item_save, name="item_save"),
    path("<int:pk>/tieu-chi/<int:item_id>/lich-su/", views_round.item_history, name="history"),
    path("<int:pk>/chap-nhan-diem/", views_round.accept_self_scores, name="accept"),
    path("<int:pk>/thieu-tai-lieu/", views_round.flag_missing_evidence, name="flag_missing"),
    path("<int:pk>/bat-dau/", views_round.round_start, name="start"),
    path("<int:pk>/gui-ket-qua/", views_round.round1_send, name="send"),
    path("<int:pk>/bo-qua-giai-trinh/", views_round.round1_skip, name="skip"),
    path("<int:pk>/tra-lai/", views_round.return_for_correction, name="return"),
    path("<int:pk>/giai-trinh/", views_unit.explanation_page, name="explanation"),
    path("<int:pk>/giai-trinh/<int:item_id>/", views_unit.explanation_save, name="explanation_save"),
    path(
        "<int:pk>/giai-trinh/<int:item_id>/tai-lieu/",
        views_unit.explanation_upload,
        name="explanation_upload",
    ),
    path("<int:pk>/giai-trinh/gui/", views_unit.explanation_submit, name="explanation_submit"),
    path("hoi-dong/<int:period_id>/", views_council.council_page, name="council"),
    path("<int:pk>/mo-lai/", views_council.council_reopen, name="reopen"),
    path(
        "hoi-dong/bien-ban/<int:meeting_id>/",
        views_council.council_minutes_download,
        name="council_minutes",
    ),
]
