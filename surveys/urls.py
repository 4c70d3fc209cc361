from django.urls import path  # noqa: F401

app_name = "surveys"

urlpatterns: list = []

# SIPAS (owner INTEG-S): the period's results, one unit's entry by hand, a sample file.
from .sipas import views as sipas_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/sipas/", sipas_views.sipas_results, name="sipas_results"),
    path("ky/<int:period_id>/sipas/mau.csv", sipas_views.sipas_sample, name="sipas_sample"),
    path("ky/<int:period_id>/sipas/<int:unit_id>/", sipas_views.sipas_result_edit, name="sipas_result_edit"),
]

# Survey work pages (owner UI-S): home, ballot entry (rounds 1 and 2), tracking.
from . import views as survey_views  # noqa: E402
from .ballots import views as ballot_views  # noqa: E402
from .stats import views as stats_views  # noqa: E402

urlpatterns += [
    path("", survey_views.home, name="home"),
    path("ky/<int:period_id>/nhap-phieu/", ballot_views.ballot_entry, name="ballot_entry"),
    path("ky/<int:period_id>/nhap-phieu/luu/", ballot_views.ballot_save, name="ballot_save"),
    path("ky/<int:period_id>/theo-doi/", stats_views.tracking, name="tracking"),
]

# Survey design (owner UI-S): forms with Excel import/export/copy, sample plan grid.
from .design import views as design_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/mau-phieu/", design_views.form_list, name="form_list"),
    path("ky/<int:period_id>/mau-phieu/tai-excel/", design_views.forms_export, name="forms_export"),
    path("ky/<int:period_id>/mau-phieu/nhap-excel/", design_views.forms_import, name="forms_import"),
    path("ky/<int:period_id>/mau-phieu/sao-chep/", design_views.forms_clone, name="forms_clone"),
    path("ky/<int:period_id>/ke-hoach-mau/", design_views.sample_plan, name="sample_plan"),
]

# Statistics with charts (owner UI-S).
urlpatterns += [
    path("ky/<int:period_id>/thong-ke/", stats_views.statistics, name="statistics"),
]

# Double entry: mismatches between rounds 1 and 2 (owner UI-S).
from .double_entry import views as double_entry_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/doi-chieu/", double_entry_views.mismatch_list, name="mismatch_list"),
    path(
        "ky/<int:period_id>/doi-chieu/thong-nhat/",
        double_entry_views.mismatch_resolve,
        name="mismatch_resolve",
    ),
]

# Ballot import from a spreadsheet (owner IMPORT-S).
from .ballot_import import views as import_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/nhap-tep/", import_views.ballots_upload, name="ballots_upload"),
    path("ky/<int:period_id>/nhap-tep/mau.xlsx", import_views.ballots_template, name="ballots_template"),
    path("ky/<int:period_id>/nhap-tep/<int:pk>/", import_views.ballots_import_job, name="ballots_import_job"),
]

# Survey points: the formula in force, points per unit and item, the ballots behind each point.
from .points import views as points_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/diem/", points_views.points, name="points"),
    path(
        "ky/<int:period_id>/diem/<int:unit_id>/<int:item_id>/",
        points_views.points_ballots,
        name="points_ballots",
    ),
]

# Correcting and voiding a ballot with a reason, before publication (issue 11).
from .correction import views as correction_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/phieu/tim/", correction_views.ballot_find, name="ballot_find"),
    path(
        "ky/<int:period_id>/phieu/<int:pk>/sua/", correction_views.ballot_correct_view, name="ballot_correct"
    ),
    path("ky/<int:period_id>/phieu/<int:pk>/huy/", correction_views.ballot_void_view, name="ballot_void"),
]

# Survey settings of a period and the SIPAS conversions of its survey items (issue 14).
from .settings import views as settings_views  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/cai-dat/", settings_views.survey_settings, name="settings"),
    path("ky/<int:period_id>/cai-dat/sipas/", settings_views.sipas_conversions, name="sipas_conversions"),
]
