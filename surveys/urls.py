from django.urls import path  # noqa: F401

app_name = "surveys"

urlpatterns: list = []

# SIPAS (owner INTEG-S): the period's results, one unit's entry by hand, a sample file.
from . import views_sipas  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/sipas/", views_sipas.sipas_results, name="sipas_results"),
    path("ky/<int:period_id>/sipas/mau.csv", views_sipas.sipas_sample, name="sipas_sample"),
    path("ky/<int:period_id>/sipas/<int:unit_id>/", views_sipas.sipas_result_edit, name="sipas_result_edit"),
]

# Survey work pages (owner UI-S): home, ballot entry (rounds 1 and 2), tracking.
from . import views as survey_views  # noqa: E402
from . import views_entry, views_stats  # noqa: E402

urlpatterns += [
    path("", survey_views.home, name="home"),
    path("ky/<int:period_id>/nhap-phieu/", views_entry.ballot_entry, name="ballot_entry"),
    path("ky/<int:period_id>/nhap-phieu/luu/", views_entry.ballot_save, name="ballot_save"),
    path("ky/<int:period_id>/theo-doi/", views_stats.tracking, name="tracking"),
]

# Survey design (owner UI-S): forms with Excel import/export/copy, sample plan grid.
from . import views_design  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/mau-phieu/", views_design.form_list, name="form_list"),
    path("ky/<int:period_id>/mau-phieu/tai-excel/", views_design.forms_export, name="forms_export"),
    path("ky/<int:period_id>/mau-phieu/nhap-excel/", views_design.forms_import, name="forms_import"),
    path("ky/<int:period_id>/mau-phieu/sao-chep/", views_design.forms_clone, name="forms_clone"),
    path("ky/<int:period_id>/ke-hoach-mau/", views_design.sample_plan, name="sample_plan"),
]

# Statistics with charts (owner UI-S).
urlpatterns += [
    path("ky/<int:period_id>/thong-ke/", views_stats.statistics, name="statistics"),
]

# Double entry: mismatches between rounds 1 and 2 (owner UI-S).
urlpatterns += [
    path("ky/<int:period_id>/doi-chieu/", views_entry.mismatch_list, name="mismatch_list"),
    path("ky/<int:period_id>/doi-chieu/thong-nhat/", views_entry.mismatch_resolve, name="mismatch_resolve"),
]

# Ballot import from a spreadsheet (owner IMPORT-S).
from . import views_import  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/nhap-tep/", views_import.ballots_upload, name="ballots_upload"),
    path("ky/<int:period_id>/nhap-tep/mau.xlsx", views_import.ballots_template, name="ballots_template"),
    path("ky/<int:period_id>/nhap-tep/<int:pk>/", views_import.ballots_import_job, name="ballots_import_job"),
]

# Survey points: the formula in force, points per unit and item, the ballots behind each point.
from . import views_points  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/diem/", views_points.points, name="points"),
    path(
        "ky/<int:period_id>/diem/<int:unit_id>/<int:item_id>/",
        views_points.points_ballots,
        name="points_ballots",
    ),
]

# Correcting and voiding a ballot with a reason, before publication (issue 11).
from . import views_correction  # noqa: E402

urlpatterns += [
    path("ky/<int:period_id>/phieu/tim/", views_correction.ballot_find, name="ballot_find"),
    path(
        "ky/<int:period_id>/phieu/<int:pk>/sua/", views_correction.ballot_correct_view, name="ballot_correct"
    ),
    path("ky/<int:period_id>/phieu/<int:pk>/huy/", views_correction.ballot_void_view, name="ballot_void"),
]
