from django.urls import path

from .assignments import views as assignment_views
from .council import views as council_views
from .explanation import views as explanation_views
from .rounds import views as round_views

app_name = "appraisal"

urlpatterns = [
    path("", round_views.appraisal_list, name="list"),
    path("<int:pk>/", round_views.appraisal_sheet, name="sheet"),
    path("<int:pk>/tieu-chi/<int:item_id>/", round_views.item_save, name="item_save"),
    path("<int:pk>/tieu-chi/<int:item_id>/lich-su/", round_views.item_history, name="history"),
    path("<int:pk>/chap-nhan-diem/", round_views.accept_self_scores, name="accept"),
    path("<int:pk>/thieu-tai-lieu/", round_views.flag_missing_evidence, name="flag_missing"),
    path("<int:pk>/bat-dau/", round_views.round_start, name="start"),
    path("<int:pk>/gui-ket-qua/", round_views.round1_send, name="send"),
    path("<int:pk>/bo-qua-giai-trinh/", round_views.round1_skip, name="skip"),
    path("<int:pk>/tra-lai/", round_views.return_for_correction, name="return"),
    path("<int:pk>/giai-trinh/", explanation_views.explanation_page, name="explanation"),
    path("<int:pk>/giai-trinh/<int:item_id>/", explanation_views.explanation_save, name="explanation_save"),
    path(
        "<int:pk>/giai-trinh/<int:item_id>/tai-lieu/",
        explanation_views.explanation_upload,
        name="explanation_upload",
    ),
    path("<int:pk>/giai-trinh/gui/", explanation_views.explanation_submit, name="explanation_submit"),
    path("phan-cong/", assignment_views.assignment_home, name="assignments_home"),
    path("phan-cong/<int:period_id>/", assignment_views.assignment_list, name="assignments"),
    path("phan-cong/xoa/<int:pk>/", assignment_views.assignment_delete, name="assignment_delete"),
    path("hoi-dong/<int:period_id>/", council_views.council_page, name="council"),
    path("<int:pk>/mo-lai/", council_views.council_reopen, name="reopen"),
    path(
        "hoi-dong/bien-ban/<int:meeting_id>/",
        council_views.council_minutes_download,
        name="council_minutes",
    ),
]
