"""Criteria-set pages over HTTP: who may see and do what, import errors, export, clone, query counts."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from scoring.evaluation import services
from scoring.evaluation.io import read_criteria
from scoring.models import CriteriaItem, CriteriaSet, NotApplicableItem, Period, PeriodStatus
from tests.scoring.criteria_helpers import GOOD_ROWS, bad_workbook, good_workbook
from tests.scoring.factories import PeriodFactory, UnitGroupFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READERS = ["body_admin", "viewer", "appraiser", "council_member", "unit_officer", "unit_head"]


@pytest.fixture
def period(body):
    # A year being set up: its criteria sets may still be imported again (an open year's need a new version).
    return PeriodFactory(body=body, year=2025, status=PeriodStatus.SETUP)


@pytest.fixture
def criteria_set(period, departments):
    return services.criteria_set_import(
        period=period,
        unit_group=departments,
        workbook_file=good_workbook(),
        name="Bộ tiêu chí sở, ban, ngành 2025",
    )


@pytest.fixture
def demo_set(period, departments):
    return services.criteria_demo_load(period=period, unit_group=departments, kind="departments")


def upload(content, name="bo-tieu-chi.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def import_url(body_code="lai-chau"):
    return reverse("scoring:criteria_set_import", args=[body_code])


def post_import(client, departments, content, **extra):
    data = {
        "year": 2025,
        "unit_group": departments.pk,
        "name": "Bộ tiêu chí thử",
        "workbook": upload(content),
    }
    return client.post(import_url(), {**data, **extra})


def stored():
    return (Period.objects.count(), CriteriaSet.objects.count(), CriteriaItem.objects.count())


def test_list_needs_login(client):
    response = client.get(reverse("scoring:criteria_set_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_own_sets_with_illustrative_badge(client, viewer, demo_set):
    client.force_login(viewer)
    response = client.get(reverse("scoring:criteria_set_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert demo_set.name in html and "Minh họa" in html
    assert reverse("scoring:criteria_set_detail", args=[demo_set.pk]) in html
    assert import_url() not in html  # a viewer is not offered the import


def test_list_offers_import_and_clone_to_the_body_admin(client, body_admin, criteria_set):
    client.force_login(body_admin)
    html = client.get(reverse("scoring:criteria_set_list")).content.decode()
    assert import_url() in html and reverse("scoring:criteria_set_clone", args=["lai-chau"]) in html


def test_list_hides_other_bodies_sets(client, outsider, criteria_set):
    client.force_login(outsider)
    assert criteria_set.name not in client.get(reverse("scoring:criteria_set_list")).content.decode()


@pytest.mark.parametrize("persona", READERS)
def test_readers_of_the_body_see_the_tree_and_export(client, request, criteria_set, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("scoring:criteria_set_detail", args=[criteria_set.pk])).status_code == 200
    assert client.get(reverse("scoring:criteria_set_export", args=[criteria_set.pk])).status_code == 200


@pytest.mark.parametrize("view", ["scoring:criteria_set_detail", "scoring:criteria_set_export"])
def test_other_bodies_get_404_for_a_set(client, outsider, criteria_set, view):
    client.force_login(outsider)
    assert client.get(reverse(view, args=[criteria_set.pk])).status_code == 404


def test_detail_shows_tree_guidance_exemption_and_totals(client, viewer, criteria_set):
    client.force_login(viewer)
    html = client.get(reverse("scoring:criteria_set_detail", args=[criteria_set.pk])).content.decode()
    assert 'class="level-sub_criterion"' in html
    assert "<details" in html and "Ban hành trước ngày 15/01: 0,5 điểm" in html
    assert "Năm nay không tổ chức khảo sát DDCI" in html
    assert "Thang điểm trong kỳ (sau khi bỏ các tiêu chí không đánh giá): 2,5." in html
    assert "Điều tra XHH" in html and "3,5" in html
    assert "không phải văn bản chính thức" not in html


def test_detail_of_illustrative_set_shows_the_banner(client, viewer, demo_set):
    client.force_login(viewer)
    html = client.get(reverse("scoring:criteria_set_detail", args=[demo_set.pk])).content.decode()
    assert "Bộ tiêu chí minh họa — không phải văn bản chính thức" in html
    assert "Tác động của cải cách hành chính" in html


def test_admin_import_with_bad_file_shows_every_error_and_saves_nothing(client, body_admin, departments):
    client.force_login(body_admin)
    before = stored()
    response = post_import(client, departments, bad_workbook(), year=2031)
    html = response.content.decode()
    assert response.status_code == 200
    assert stored() == before  # not even the 2031 period
    assert "Tệp có 2 lỗi. Chưa lưu gì." in html
    assert (
        "<td>5</td>" in html
        and "C (Điểm tối đa)" in html
        and "1,1 không phải bội số của bước điểm 0,25" in html
    )
    assert "Tiêu chí 3.1 nằm ngoài mọi lĩnh vực: chưa có dòng lĩnh vực 3." in html
    # What was typed is kept.
    assert 'value="Bộ tiêu chí thử"' in html and 'value="2031"' in html


def test_admin_import_with_good_file_redirects_to_the_tree(client, body_admin, departments, period):
    client.force_login(body_admin)
    response = post_import(client, departments, good_workbook())
    criteria_set = CriteriaSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:criteria_set_detail", args=[criteria_set.pk])
    assert (criteria_set.period, criteria_set.name) == (period, "Bộ tiêu chí thử")
    html = client.get(response["Location"]).content.decode()
    assert "Đã nhập bộ tiêu chí" in html and "Rà soát văn bản quy phạm pháp luật" in html
    assert criteria_set.items.count() == len(GOOD_ROWS)


def test_import_into_a_group_that_has_a_set_needs_replace(client, body_admin, departments, criteria_set):
    client.force_login(body_admin)
    response = post_import(client, departments, good_workbook(GOOD_ROWS[:5]))
    assert response.status_code == 200 and "đã có bộ tiêu chí năm 2025" in response.content.decode()
    assert criteria_set.items.count() == len(GOOD_ROWS)
    response = post_import(client, departments, good_workbook(GOOD_ROWS[:5]), replace="on")
    assert response.status_code == 302
    assert criteria_set.items.count() == 5


def test_import_form_offers_only_the_body_groups(client, body_admin, departments, other_body):
    foreign = UnitGroupFactory(body=other_body, name="Nhóm Điện Biên")
    client.force_login(body_admin)
    assert "Nhóm Điện Biên" not in client.get(import_url()).content.decode()
    response = post_import(client, foreign, good_workbook())
    assert response.status_code == 200 and not CriteriaSet.objects.exists()


def test_import_rejects_a_file_that_is_not_xlsx(client, body_admin, departments):
    client.force_login(body_admin)
    response = client.post(
        import_url(),
        {"year": 2025, "unit_group": departments.pk, "workbook": upload(b"a,b,c", name="bo.csv")},
    )
    assert response.status_code == 200 and "Chỉ nhận tệp Excel .xlsx" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("unit_officer", 403), ("viewer", 403)])
def test_import_and_clone_are_for_the_body_admin_only(client, request, departments, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(import_url()).status_code == status
    assert post_import(client, departments, good_workbook()).status_code == status
    clone_url = reverse("scoring:criteria_set_clone", args=["lai-chau"])
    assert client.post(clone_url, {"source_year": 2025, "target_year": 2026}).status_code == status
    assert not CriteriaSet.objects.exists()


def test_export_is_a_valid_xlsx_with_diacritics_that_imports_back(client, viewer, criteria_set):
    client.force_login(viewer)
    response = client.get(reverse("scoring:criteria_set_export", args=[criteria_set.pk]))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="bo-tieu-chi-2025-so-ban-nganh.xlsx"'
    workbook = load_workbook(BytesIO(response.content))
    assert workbook["Tiêu chí"]["B2"].value == "Công tác chỉ đạo, điều hành cải cách hành chính"
    assert ["Cơ quan đánh giá", "UBND tỉnh Lai Châu"] in [list(r) for r in workbook["Thông tin"].values]
    assert read_criteria(response.content).rows == GOOD_ROWS


def test_template_download_is_a_readable_workbook(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("scoring:criteria_template_download"))
    assert response["Content-Type"] == XLSX
    assert read_criteria(response.content).ok
    assert "Hướng dẫn" in load_workbook(BytesIO(response.content)).sheetnames


def test_admin_clones_into_next_year_and_is_told_about_copied_exemptions(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = reverse("scoring:criteria_set_clone", args=["lai-chau"])
    assert "2025" in client.get(url).content.decode()
    response = client.post(url, {"source_year": 2025, "target_year": 2026}, follow=True)
    html = response.content.decode()
    assert "Đã sao chép 1 bộ tiêu chí (7 mục) từ năm 2025 sang năm 2026." in html
    assert "Đã chép kèm 1 tiêu chí không đánh giá trong cả kỳ" in html
    assert CriteriaSet.objects.filter(period__year=2026).count() == 1
    assert NotApplicableItem.objects.filter(item__criteria_set__period__year=2026).count() == 1


def test_clone_into_a_year_that_has_the_group_shows_why_and_saves_nothing(client, body_admin, criteria_set):
    client.force_login(body_admin)
    url = reverse("scoring:criteria_set_clone", args=["lai-chau"])
    client.post(url, {"source_year": 2025, "target_year": 2026})
    before = stored()
    response = client.post(url, {"source_year": 2025, "target_year": 2026})
    assert response.status_code == 200 and "Năm 2026 đã có bộ tiêu chí cho nhóm: Sở, ban, ngành" in (
        response.content.decode()
    )
    assert stored() == before


def test_detail_queries_do_not_grow_with_the_number_of_items(
    client, viewer, body, period, criteria_set, django_assert_max_num_queries
):
    districts = UnitGroupFactory(body=body, name="UBND huyện, thành phố")
    demo_set = services.criteria_demo_load(period=period, unit_group=districts, kind="districts")
    client.force_login(viewer)
    assert demo_set.items.count() > 10 * criteria_set.items.count()
    for pk in (criteria_set.pk, demo_set.pk):
        with django_assert_max_num_queries(6):
            assert client.get(reverse("scoring:criteria_set_detail", args=[pk])).status_code == 200


def test_list_queries_do_not_grow_with_the_number_of_sets(
    client, body_admin, body, departments, criteria_set, django_assert_max_num_queries
):
    client.force_login(body_admin)
    with django_assert_max_num_queries(6):
        client.get(reverse("scoring:criteria_set_list"))
    for year in (2026, 2027):
        for n in range(3):
            group = UnitGroupFactory(body=body)
            services.criteria_demo_load(
                period=PeriodFactory(body=body, year=year)
                if n == 0
                else Period.objects.get(body=body, year=year),
                unit_group=group,
                kind="districts",
            )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("scoring:criteria_set_list"))
    assert response.content.decode().count("Minh họa") == 6
