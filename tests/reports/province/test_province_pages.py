"""Pages of the province's own index: history, import, targets; who may see and do what; query counts."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.demo.province import demo_province_load
from reports.models import FieldTarget, NationalResult, RecoveryAction
from tests.scoring.factories import UnitFactory

HISTORY_CSV = Path(__file__).resolve().parents[3] / "reports" / "demo" / "lai-chau-province-history.csv"
HEADER = "year,appraisal_points,survey_points,index,national_rank,region_rank"


def url(name: str, *args, body: str = "lai-chau") -> str:
    return f"{reverse(f'reports:{name}', args=args)}?body={body}"


@pytest.fixture
def history(body, unit, other_unit):
    UnitFactory(body=body, group=unit.group, code="van-phong", name="Văn phòng UBND tỉnh")
    demo_province_load(body)
    return body


def html(response) -> str:
    return response.content.decode()


# --- history ------------------------------------------------------------------------------------


def test_history_table_shows_2020_and_its_changes_and_the_charts(client, body_admin, history):
    client.force_login(body_admin)
    response = client.get(url("province_history"))
    assert response.status_code == 200
    page = html(response)
    row_2020 = page.split('data-year="2020"')[1].split("</tr>")[0]
    for text in ("57,55", "26,16", "83,72", "38/63", "5/6", "84,34", "36/63"):
        assert text in row_2020, text
    assert "▲ 4,21" in row_2020  # 79,51 → 83,72
    assert "▲ 13" in row_2020  # 51 → 38
    row_2022 = page.split('data-year="2022"')[1].split("</tr>")[0]
    assert "86,29" in row_2022 and "24/63" in row_2022 and "▲ 2,57" in row_2022
    for chart in ("index", "rank", "fields"):
        figure = page.split(f'data-chart="{chart}"')[1].split("</figure>")[0]
        assert "<svg" in figure and 'role="img"' in figure
    field_5 = page.split('data-field="5"')[1].split("</tr>")[0]
    assert (
        "hạng 56" in field_5 and "hạng 59" in field_5 and "10,30/13,50" in field_5 and "76,29\xa0%" in field_5
    )
    assert reverse("reports:province_import") in page
    assert reverse("reports:province_targets", args=[2023]) in page


def test_history_query_count_does_not_grow_with_units_or_years(
    client, body_admin, history, django_assert_max_num_queries
):
    client.force_login(body_admin)
    with django_assert_max_num_queries(8) as first:
        client.get(url("province_history"))
    for n in range(5):
        UnitFactory(body=history, code=f"u{n}", name=f"Đơn vị {n}")
    NationalResult.objects.create(
        body=history, year=2023, index=Decimal("87.1"), national_rank=20, national_total=63
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url("province_history"))


def test_unit_people_read_the_history_but_cannot_import(client, unit_officer, history):
    client.force_login(unit_officer)
    response = client.get(url("province_history"))
    assert response.status_code == 200
    assert "83,72" in html(response)
    assert reverse("reports:province_import") not in html(response)
    assert client.get(url("province_import")).status_code == 403
    assert client.post(url("province_import"), {"body": "lai-chau"}).status_code == 403
    assert client.get(url("province_import_template")).status_code == 403


def test_outsider_gets_404_everywhere(client, outsider, history):
    client.force_login(outsider)
    for name, args in (
        ("province_history", ()),
        ("province_import", ()),
        ("province_import_template", ()),
        ("province_targets", (2021,)),
        ("province_targets_edit", (2021,)),
    ):
        assert client.get(url(name, *args)).status_code == 404, name
    # Without a body named, they see their own province, which has no results.
    page = html(client.get(reverse("reports:province_history")))
    assert "83,72" not in page


def test_empty_history_invites_the_admin_to_import(client, body_admin):
    client.force_login(body_admin)
    page = html(client.get(url("province_history")))
    assert "Chưa có kết quả Chỉ số CCHC của tỉnh" in page


# --- import -------------------------------------------------------------------------------------


def test_admin_imports_the_reference_csv_through_the_page(client, body_admin):
    client.force_login(body_admin)
    upload = SimpleUploadedFile("history.csv", HISTORY_CSV.read_bytes(), content_type="text/csv")
    response = client.post(
        url("province_import"),
        {"body": "lai-chau", "file": upload, "national_total": "", "region_total": "6"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("province_history")
    assert NationalResult.objects.filter(body__code="lai-chau").count() == 10
    assert NationalResult.objects.get(year=2020).national_total == 63
    follow = client.get(response["Location"])
    assert "10 năm mới" in html(follow)


def test_an_import_that_would_replace_stored_figures_lists_them_and_needs_the_replace_choice(
    client, body_admin
):
    client.force_login(body_admin)
    first = f"{HEADER}\n2020,57.55,26.16,83.72,38,5\n".encode()
    changed = f"{HEADER}\n2020,57.55,26.16,83.73,37,5\n".encode()
    data = {"body": "lai-chau", "national_total": "", "region_total": "6"}
    assert (
        client.post(url("province_import"), data | {"file": SimpleUploadedFile("a.csv", first)}).status_code
        == 302
    )

    response = client.post(url("province_import"), data | {"file": SimpleUploadedFile("b.csv", changed)})

    assert response.status_code == 400
    page = html(response)
    assert 'data-testid="would-replace"' in page and "kết quả năm 2020 đã có (chỉ số 83,72)" in page
    assert NationalResult.objects.get(year=2020).national_rank == 38
    response = client.post(
        url("province_import"), data | {"file": SimpleUploadedFile("b.csv", changed), "replace": "on"}
    )
    assert response.status_code == 302
    assert NationalResult.objects.get(year=2020).national_rank == 37


def test_bad_file_shows_row_column_reason_keeps_typed_values_and_saves_nothing(client, body_admin):
    client.force_login(body_admin)
    content = f"{HEADER}\n2020,57.55,26.16,83.72,64,5\n2021,abc,,86,30,1\n".encode()
    response = client.post(
        url("province_import"),
        {
            "body": "lai-chau",
            "file": SimpleUploadedFile("x.csv", content),
            "national_total": "63",
            "region_total": "6",
        },
    )
    assert response.status_code == 400
    page = html(response)
    assert "Chưa lưu gì" in page
    errors = page.split('id="import-errors"')[1].split("</table>")[0]
    assert "<td>3</td><td><code>appraisal_points</code></td><td>«abc» không phải là số.</td>" in errors
    assert 'name="national_total" value="63"' in page
    assert NationalResult.objects.count() == 0
    # The rank check needs the totals: it comes once the cells parse.
    content = f"{HEADER}\n2020,57.55,26.16,83.72,64,5\n".encode()
    response = client.post(
        url("province_import"),
        {
            "body": "lai-chau",
            "file": SimpleUploadedFile("x.csv", content),
            "national_total": "63",
            "region_total": "6",
        },
    )
    assert "<td>2</td><td><code>national_rank</code></td><td>hạng 64 lớn hơn số được xếp hạng (63" in html(
        response
    )
    assert NationalResult.objects.count() == 0


def test_admin_imports_an_xlsx_with_its_linh_vuc_sheet(client, body_admin):
    from reports.province.io import template_xlsx

    client.force_login(body_admin)
    upload = SimpleUploadedFile("ket-qua.xlsx", template_xlsx())
    response = client.post(url("province_import"), {"body": "lai-chau", "file": upload, "region_total": "6"})
    assert response.status_code == 302
    result = NationalResult.objects.get(body__code="lai-chau", year=2020)
    assert (result.index, result.sipas_index, result.region_name) == (
        Decimal("83.72"),
        Decimal("84.34"),
        "Miền núi phía Tây Bắc",
    )
    assert result.fields.count() == 3


def test_form_rejects_other_file_types(client, body_admin):
    client.force_login(body_admin)
    response = client.post(
        url("province_import"), {"body": "lai-chau", "file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert response.status_code == 200
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in html(response)


def test_templates_download(client, body_admin):
    client.force_login(body_admin)
    xlsx = client.get(url("province_import_template"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    fields = client.get(url("province_import_template") + "&format=csv&table=fields")
    assert "Năm,Mã lĩnh vực,Tên lĩnh vực" in fields.content.decode("utf-8-sig")


# --- targets ------------------------------------------------------------------------------------


def test_targets_page_shows_last_year_target_responsible_and_progress(
    client, unit_officer, history, django_assert_max_num_queries
):
    RecoveryAction.objects.create(
        body=history,
        year=2021,
        field_code="1",
        lost_points=Decimal("0.78"),
        recoverable_points=Decimal("0.08"),
        status=RecoveryAction.Status.DONE,
    )
    RecoveryAction.objects.create(
        body=history,
        year=2021,
        field_code="4",
        lost_points=Decimal("2.37"),
        recoverable_points=Decimal("0.5"),
    )
    client.force_login(unit_officer)
    with django_assert_max_num_queries(10):
        response = client.get(url("province_targets", 2021))
    assert response.status_code == 200
    page = html(response)
    one = page.split('data-field="1"')[1].split("</tr>")[0]
    for text in (
        "90,82\xa0%",
        "32",
        "91,76\xa0%",
        "hạng 28–30",
        "Sở Nội vụ, các cơ quan là thành viên Ban Chỉ đạo CCHC tỉnh",
        "1/1 (100,00\xa0%)",
    ):
        assert text in one, text
    assert one.count("91,76\xa0%") == 2  # the target, and the index projected from the done action
    four = page.split('data-field="4"')[1].split("</tr>")[0]
    assert "79,39\xa0%" in four and "0/1 (0,00\xa0%)" in four
    two = page.split('data-field="2"')[1].split("</tr>")[0]
    assert "Trên 90,00\xa0%" in two
    total = page.split('data-field="total"')[1].split("</tr>")[0]
    assert "Từ 83,00\xa0% trở lên" in total and "83,80\xa0%" in total  # 83,72 + 0,08 done
    assert reverse("reports:province_targets_edit", args=[2021]) not in page


def test_targets_show_achieved_and_verdict_once_the_year_is_imported(client, body_admin, history):
    result = NationalResult.objects.create(
        body=history, year=2021, index=Decimal("84.10"), national_rank=36, national_total=63
    )
    result.fields.create(field_code="1", points=Decimal("7.9"), max_points=Decimal("8.5"), rank=27)
    result.fields.create(
        field_code="2", points=Decimal("9"), max_points=Decimal("10"), index=Decimal("90"), rank=26
    )
    client.force_login(body_admin)
    page = html(client.get(url("province_targets", 2021)))
    one = page.split('data-field="1"')[1].split("</tr>")[0]
    assert "92,94\xa0%" in one and "Đạt" in one and "Không đạt" not in one
    two = page.split('data-field="2"')[1].split("</tr>")[0]
    assert "Không đạt" in two and "đạt thứ hạng, chưa đạt chỉ số" in two  # 90 % is not "trên 90 %"
    total = page.split('data-field="total"')[1].split("</tr>")[0]
    assert "84,10\xa0%" in total and "Đạt" in total


def test_admin_edits_targets_prefilled_from_last_year(client, body_admin, history, unit):
    client.force_login(body_admin)
    page = html(client.get(url("province_targets_edit", 2022)))
    # No 2022 targets and no 2021 field results: the standard names, and no figures of last year.
    assert 'value="Công tác chỉ đạo điều hành về cải cách hành chính"' in page
    assert "năm 2021:\n      —," in page
    page = html(client.get(url("province_targets_edit", 2021)))
    assert 'name="targets-0-target_index" value="91,76"' in page
    assert 'name="targets-1-target_index" value="90"' in page
    assert "90,82\xa0%" in page
    data = {"body": "lai-chau", "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "0"}
    data |= {
        "targets-0-field_code": "1",
        "targets-0-name": "Chỉ đạo điều hành",
        "targets-0-comparison": "at_least",
        "targets-0-target_index": "92,5",
        "targets-0-rank_best": "20",
        "targets-0-rank_worst": "25",
        "targets-0-responsible": "Sở Nội vụ",
        "targets-0-responsible_units": [str(unit.pk)],
        "targets-0-basis": "",
        "targets-1-field_code": "2",
        "targets-1-name": "VBQPPL",
        "targets-1-comparison": "above",
        "targets-1-target_index": "",
        "targets-1-rank_best": "",
        "targets-1-rank_worst": "",
    }
    response = client.post(url("province_targets_edit", 2021), data)
    assert response.status_code == 302
    one = FieldTarget.objects.get(body=history, year=2021, field_code="1")
    assert (one.target_index, one.rank_best, one.rank_worst, one.name) == (
        Decimal("92.5"),
        20,
        25,
        "Chỉ đạo điều hành",
    )
    assert list(one.responsible_units.all()) == [unit]
    assert not FieldTarget.objects.filter(body=history, year=2021, field_code="2").exists()


def test_edit_rejects_an_upside_down_rank_range_and_keeps_what_was_typed(client, body_admin, history):
    client.force_login(body_admin)
    data = {"body": "lai-chau", "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0"}
    data |= {
        "targets-0-field_code": "1",
        "targets-0-name": "Chỉ đạo",
        "targets-0-comparison": "at_least",
        "targets-0-target_index": "93,1",
        "targets-0-rank_best": "30",
        "targets-0-rank_worst": "20",
    }
    response = client.post(url("province_targets_edit", 2021), data)
    assert response.status_code == 200
    page = html(response)
    assert "phải lớn hơn hoặc bằng thứ hạng" in page
    assert 'value="93,1"' in page
    assert FieldTarget.objects.get(body=history, year=2021, field_code="1").target_index == Decimal("91.76")


def test_unit_people_cannot_edit_targets(client, unit_officer, history):
    client.force_login(unit_officer)
    assert client.get(url("province_targets_edit", 2021)).status_code == 403
    assert client.post(url("province_targets_edit", 2021), {"body": "lai-chau"}).status_code == 403


def test_targets_edit_query_count_is_fixed(client, body_admin, history, django_assert_max_num_queries):
    client.force_login(body_admin)
    with django_assert_max_num_queries(10) as first:
        client.get(url("province_targets_edit", 2021))
    for n in range(5):
        UnitFactory(body=history, code=f"u{n}", name=f"Đơn vị {n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url("province_targets_edit", 2021))
