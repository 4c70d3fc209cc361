"""Rankings of published results: the page, the Excel download and the API."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.models import PublishedFieldResult, PublishedResult
from reports.rankings.selectors import most_common_scale
from reports.templatetags.rankings_tags import index_change, rank_change
from scoring.evaluation.services import code_from_name
from scoring.models import Role, Unit
from tests.conftest_constants import PASSWORD
from tests.reports.ranking_data import LAI_CHAU_2020, lai_chau_2020_create, lai_chau_groups, results_create
from tests.scoring.factories import PeriodFactory, RoleAssignmentFactory, UnitFactory, UnitGroupFactory

RANKINGS = reverse("reports:rankings")
RANKINGS_XLSX = reverse("reports:rankings_xlsx")
RANKINGS_API = reverse("rankings-api")
# Session, user, body, years, periods, bands, results, fields, lineage and the body list (page).
# What matters is that the same bound holds for 10 and for 100 units.
MAX_QUERIES = 12  # 10 for the table, 1 for the live rows of the staff, 1 for the navigation (the roles)

ROW = re.compile(r'<tr data-unit="(?P<code>[^"]+)">(?P<cells>.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
TAG = re.compile(r"<[^>]+>")


def _section(html: str, group_code: str) -> str:
    start = html.index(f'<section id="nhom-{group_code}">')
    return html[start : html.index("</section>", start)]


def _rows(html: str) -> list[list[str]]:
    """Return the text of each ranking row's cells."""
    return [
        [TAG.sub("", cell).strip() for cell in CELL.findall(match["cells"])] for match in ROW.finditer(html)
    ]


def _vn_number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def lai_chau_2020(body):
    return lai_chau_2020_create(body=body)


@pytest.fixture
def api_client():
    return APIClient()


def _token_client(user) -> APIClient:
    call_command("drf_create_token", user.username, stdout=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
    return client


# --- the page ------------------------------------------------------------------------------------


def test_page_shows_lai_chau_2020_in_published_order_with_shared_rank(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(RANKINGS, {"year": 2020})

    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(_section(html, "full_scale"))
    published = [r for r in LAI_CHAU_2020 if r.group == "full_scale"]
    assert [row[1] for row in rows] == [r.unit_name for r in published]
    assert [int(row[0]) for row in rows] == [1, 2, 3, 4, 4, *range(6, 16)]
    assert [row[6] for row in rows].count("85,66") == 2
    for row, expected in zip(rows, published, strict=True):
        assert abs(_vn_number(row[6]) - expected.index_pct) <= Decimal("0.01")
        assert row[7] == expected.classification
    assert rows[0][2:6] == ["62,30", "23,37", "85,67", "98,00"]


def test_page_ranks_reduced_scale_unit_first_in_its_own_group(client, viewer, lai_chau_2020):
    html = _login(client, viewer).get(RANKINGS, {"year": 2020}).content.decode()

    rows = _rows(_section(html, "reduced_scale"))
    assert [(row[0], row[1], row[7]) for row in rows] == [("1", "Sở Ngoại vụ", "Tốt")]
    assert "Sở, ban, ngành (thang điểm dưới 98)" in html


def test_page_shows_group_average_and_count_per_class(client, viewer, lai_chau_2020):
    html = _login(client, viewer).get(RANKINGS, {"year": 2020}).content.decode()

    full = TAG.sub("", _section(html, "full_scale"))
    assert "Chỉ số trung bình của nhóm: 82,67\xa0%" in full
    assert "Tốt: 12 · Khá: 3 · Trung bình: 0 · Yếu: 0" in full
    assert 'class="badge band-kha"' in html


def test_page_defaults_to_the_latest_year_of_the_users_body(client, unit_officer, lai_chau_2020, body):
    older = PeriodFactory(body=body, year=2019)
    results_create(period=older, group=lai_chau_groups(body=body)["full_scale"], count=2, prefix="cu")

    response = _login(client, unit_officer).get(RANKINGS)

    assert response.status_code == 200
    assert "năm 2020" in response.content.decode()
    assert response.context["table"].year == 2020
    assert response.context["years"] == [2020, 2019]


def test_page_without_any_results_says_so(client, viewer):
    response = _login(client, viewer).get(RANKINGS)

    assert response.status_code == 200
    assert "Chưa có kết quả đã công bố" in response.content.decode()


@pytest.mark.parametrize("group", ["reduced_scale", "Sở, ban, ngành (thang điểm dưới 98)"])
def test_page_filters_by_group_code_or_name(client, viewer, lai_chau_2020, group):
    html = _login(client, viewer).get(RANKINGS, {"year": 2020, "group": group}).content.decode()

    assert [row[1] for row in _rows(html)] == ["Sở Ngoại vụ"]
    assert 'id="nhom-full_scale"' not in html
    assert "group=reduced_scale" in html  # the Excel link keeps the filter


def test_page_for_unknown_year_is_404_in_vietnamese(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(RANKINGS, {"year": 2015})

    assert response.status_code == 404
    assert "Không có kỳ đánh giá năm 2015" in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "99999999999"])
def test_page_rejects_a_malformed_year_with_404(client, viewer, lai_chau_2020, year):
    assert _login(client, viewer).get(RANKINGS, {"year": year}).status_code == 404


def test_page_for_unknown_group_is_404(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(RANKINGS, {"year": 2020, "group": "huyen"})

    assert response.status_code == 404
    assert "Không có nhóm đơn vị" in response.content.decode()


@pytest.mark.parametrize("url", [RANKINGS, RANKINGS_XLSX])
def test_outsider_gets_404_for_another_bodys_rankings(client, outsider, lai_chau_2020, url):
    response = _login(client, outsider).get(url, {"body": "lai-chau", "year": 2020})

    assert response.status_code == 404
    assert "Sở Nội vụ" not in response.content.decode()


@pytest.mark.parametrize("url", [RANKINGS, RANKINGS_XLSX])
def test_anonymous_is_sent_to_login(client, lai_chau_2020, url):
    response = client.get(url, {"year": 2020})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_page_footnotes_units_scored_below_the_groups_usual_scale(client, viewer, body, departments):
    period = PeriodFactory(body=body, year=2021)
    results_create(period=period, group=departments, count=3, prefix="day-du", scale="98")
    results_create(period=period, group=departments, count=1, prefix="rieng", scale="78.5")

    html = _login(client, viewer).get(RANKINGS, {"year": 2021}).content.decode()

    notes = TAG.sub("", _section(html, departments.code))
    assert "Đơn vị rieng 0: Thang điểm 78,50 do không đánh giá một số tiêu chí" in notes
    assert "Thang điểm 98,00 do" not in notes


# --- year-on-year change ---------------------------------------------------------------------------


@pytest.fixture
def with_2019(body, lai_chau_2020):
    """Return the 2019 results: Sở Nội vụ itself, a renamed unit and two units merged since."""
    group = lai_chau_groups(body=body)["full_scale"]
    period = PeriodFactory(body=body, year=2019)

    def unit(code, name=""):
        return Unit.objects.filter(body=body, code=code).first() or UnitFactory(
            body=body, group=group, code=code, name=name
        )

    old_ict = unit("so-buu-chinh-vien-thong", "Sở Bưu chính, Viễn thông")
    merged = [unit("so-a", "Sở A (cũ)"), unit("so-b", "Sở B (cũ)")]
    for points, member in zip(("80", "70", "60", "50"), [unit("so-noi-vu"), old_ict, *merged], strict=True):
        PublishedResult.objects.create(
            period=period,
            unit=member,
            unit_group=group,
            appraisal_points=Decimal(points),
            survey_points=Decimal(0),
            max_points=Decimal(100),
        )
    unit(code_from_name("Sở Thông tin và Truyền thông")).predecessors.add(old_ict)
    unit(code_from_name("Sở Y tế")).predecessors.add(*merged)
    return period


def test_api_gives_change_through_renamed_unit_and_none_for_merged(viewer, with_2019):
    data = _token_client(viewer).get(RANKINGS_API, {"year": 2020}).json()

    rows = {row["unit_name"]: row for row in data["results"]}
    # 85.67 / 98 = 87.418..%, 7.418 points above 80.00%; first both years.
    assert (rows["Sở Nội vụ"]["index_change"], rows["Sở Nội vụ"]["rank_change"]) == ("7.42", 0)
    # Renamed from Sở Bưu chính, Viễn thông (70.00%, 2nd in 2019); 81.95% and 10th in 2020.
    ict = rows["Sở Thông tin và Truyền thông"]
    assert (ict["index_change"], ict["rank_change"]) == ("11.95", -8)
    # Formed from two units that were both ranked: no single baseline to compare with.
    assert (rows["Sở Y tế"]["index_change"], rows["Sở Y tế"]["rank_change"]) == (None, None)
    assert rows["Sở Tư pháp"]["index_change"] is None


def test_page_shows_change_columns_with_arrows(client, viewer, with_2019):
    html = _login(client, viewer).get(RANKINGS, {"year": 2020}).content.decode()

    assert "Thay đổi chỉ số (so với 2019)" in html
    assert "Thay đổi thứ hạng" in html
    rows = {row[1]: row for row in _rows(_section(html, "full_scale"))}
    assert rows["Sở Nội vụ"][8:] == ["▲ 7,42", "="]
    assert rows["Sở Thông tin và Truyền thông"][8:] == ["▲ 11,95", "▼ 8"]
    assert rows["Sở Y tế"][8:] == ["—", "—"]


def test_page_without_previous_year_has_no_change_columns(client, viewer, lai_chau_2020):
    html = _login(client, viewer).get(RANKINGS, {"year": 2020}).content.decode()

    assert "Thay đổi thứ hạng" not in html


# --- Excel ---------------------------------------------------------------------------------------


def test_excel_download_holds_the_table_as_numbers(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(RANKINGS_XLSX, {"body": "lai-chau", "year": 2020})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="xep-hang-lai-chau-2020.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    values = [[cell.value for cell in row] for row in rows]
    assert values[0][0] == "KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2020"
    noi_vu = next(row for row in rows if row[1].value == "Sở Nội vụ")
    assert [c.value for c in noi_vu[:8]] == [1, "Sở Nội vụ", 62.3, 23.37, 85.67, 98, 87.42, "Tốt"]
    assert all(c.number_format == "0.00" for c in noi_vu[2:7])
    ngoai_vu = next(row for row in values if row[1] == "Sở Ngoại vụ")
    assert ngoai_vu[0] == 1 and abs(Decimal(str(ngoai_vu[6])) - Decimal("86.53")) <= Decimal("0.01")
    ranks = [row[0] for row in values if row[1] in {"Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ"}]
    assert ranks == [4, 4]
    average = next(row for row in values if row[1] == "Chỉ số trung bình của nhóm")
    assert average[6] == 82.67
    assert [None, "Tốt", 12] in [row[:3] for row in values]
    assert [None, "Khá", 3] in [row[:3] for row in values]
    assert [row[0] for row in values if isinstance(row[0], str) and row[0].startswith("Sở, ban")] == [
        "Sở, ban, ngành (thang điểm 98)",
        "Sở, ban, ngành (thang điểm dưới 98)",
    ]


def test_excel_download_of_a_group_holds_only_that_group(client, viewer, lai_chau_2020):
    response = _login(client, viewer).get(RANKINGS_XLSX, {"year": 2020, "group": "reduced_scale"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[1] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)}
    assert names == {"Sở Ngoại vụ"}


# --- API -----------------------------------------------------------------------------------------


def test_api_with_token_gives_published_ranks_classes_and_indices(viewer, lai_chau_2020):
    response = _token_client(viewer).get(RANKINGS_API, {"year": 2020})

    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2020
    assert data["body"] == {"code": "lai-chau", "name": "UBND tỉnh Lai Châu"}
    assert [g["code"] for g in data["groups"]] == ["full_scale", "reduced_scale"]
    by_name = {row["unit_name"]: row for row in data["results"]}
    assert len(by_name) == len(LAI_CHAU_2020)
    labels = {"Tốt": "tot", "Khá": "kha"}
    for published in LAI_CHAU_2020:
        row = by_name[published.unit_name]
        assert row["group"] == published.group
        assert abs(Decimal(row["index_pct"]) - published.index_pct) <= Decimal("0.01")
        assert row["classification"] == {
            "code": labels[published.classification],
            "label": published.classification,
        }
        assert row["total_points"] == f"{published.total_points:.2f}"
    full = data["groups"][0]
    assert [r["rank"] for r in full["results"]] == [1, 2, 3, 4, 4, *range(6, 16)]
    assert full["average_index"] == "82.67"
    assert full["class_counts"][:2] == [
        {"code": "tot", "label": "Tốt", "count": 12},
        {"code": "kha", "label": "Khá", "count": 3},
    ]
    assert data["groups"][1]["results"][0]["rank"] == 1


def test_api_gives_decimals_as_strings_with_two_places(viewer, lai_chau_2020):
    row = _token_client(viewer).get(RANKINGS_API, {"year": 2020}).json()["groups"][1]["results"][0]

    assert row == {
        "unit_code": "so-ngoai-vu",
        "unit_name": "Sở Ngoại vụ",
        "group": "reduced_scale",
        "appraisal_points": "52.36",
        "survey_points": "15.57",
        "total_points": "67.93",
        "max_points": "78.50",
        # 67.93 / 78.50 = 86.535..., half up; the report printed 86.53 from unrounded points.
        "index_pct": "86.54",
        "classification": {"code": "tot", "label": "Tốt"},
        "rank": 1,
        "index_change": None,
        "rank_change": None,
        "published": True,  # issue 4: live, unpublished rows say False
        "stage": "published",
    }


def test_api_works_with_a_session(client, unit_head, lai_chau_2020):
    response = _login(client, unit_head).get(RANKINGS_API, {"year": 2020, "body": "lai-chau"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 16


@pytest.mark.parametrize("group", ["reduced_scale", "Sở, ban, ngành (thang điểm dưới 98)"])
def test_api_filters_by_group(viewer, lai_chau_2020, group):
    data = _token_client(viewer).get(RANKINGS_API, {"year": 2020, "group": group}).json()

    assert [g["code"] for g in data["groups"]] == ["reduced_scale"]
    assert [r["unit_name"] for r in data["results"]] == ["Sở Ngoại vụ"]


def test_api_for_unknown_year_is_404_in_vietnamese(viewer, lai_chau_2020):
    response = _token_client(viewer).get(RANKINGS_API, {"year": 2015})

    assert response.status_code == 404
    assert response.json()["detail"] == "Không có kỳ đánh giá năm 2015."


def test_api_requires_the_year(viewer, lai_chau_2020):
    response = _token_client(viewer).get(RANKINGS_API)

    assert response.status_code == 400
    assert "year" in response.json()


def test_api_hides_another_body_from_an_outsider(outsider, lai_chau_2020):
    client = _token_client(outsider)

    assert client.get(RANKINGS_API, {"year": 2020, "body": "lai-chau"}).status_code == 404
    # Without a body the outsider gets their own province, which has no 2020 results.
    assert client.get(RANKINGS_API, {"year": 2020}).status_code == 404


def test_api_asks_a_user_of_several_bodies_to_choose(viewer, other_body, lai_chau_2020):
    RoleAssignmentFactory(user=viewer, body=other_body, role=Role.VIEWER)
    client = _token_client(viewer)

    assert client.get(RANKINGS_API, {"year": 2020}).status_code == 400
    assert client.get(RANKINGS_API, {"year": 2020, "body": "lai-chau"}).status_code == 200


def test_api_gives_anonymous_published_results_and_refuses_bad_tokens(api_client, lai_chau_2020):
    # Issue 4: published results are public; imported results are published by definition.
    assert api_client.get(RANKINGS_API, {"year": 2020}).status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get(RANKINGS_API, {"year": 2020}).status_code in {401, 403}


# --- queries do not grow with the number of units ---------------------------------------------


def _two_years(body, count: int) -> None:
    """Give the body `count` units ranked in 2020 and their renamed predecessors ranked in 2019."""
    group = UnitGroupFactory(body=body, code=f"nhom-{count}", name=f"Nhóm {count}")
    old = results_create(period=PeriodFactory(body=body, year=2019), group=group, count=count, prefix="cu")
    new = results_create(period=PeriodFactory(body=body, year=2020), group=group, count=count, prefix="moi")
    Unit.predecessors.through.objects.bulk_create(
        Unit.predecessors.through(from_unit_id=n.pk, to_unit_id=o.pk) for n, o in zip(new, old, strict=True)
    )
    PublishedFieldResult.objects.bulk_create(
        PublishedFieldResult(result=result, field_code=code, points=Decimal(5), max_points=Decimal(10))
        for result in PublishedResult.objects.filter(unit__body=body)
        for code in ("1", "2")
    )


@pytest.mark.parametrize("count", [10, 100])
def test_page_and_api_run_a_fixed_number_of_queries(
    client, viewer, body, count, django_assert_max_num_queries
):
    _two_years(body, count)
    _login(client, viewer)

    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(RANKINGS, {"year": 2020})
    with django_assert_max_num_queries(MAX_QUERIES):
        api = client.get(RANKINGS_API, {"year": 2020})
    with django_assert_max_num_queries(MAX_QUERIES):
        xlsx = client.get(RANKINGS_XLSX, {"year": 2020})

    assert (page.status_code, api.status_code, xlsx.status_code) == (200, 200, 200)
    assert len(api.json()["results"]) == count
    assert all(row["index_change"] is not None for row in api.json()["results"])


def test_query_count_is_the_same_for_10_and_100_units(client, viewer, body, other_body):
    _two_years(body, 10)
    _two_years(other_body, 100)
    RoleAssignmentFactory(user=viewer, body=other_body, role=Role.VIEWER)
    _login(client, viewer)

    counts = []
    for code in ("lai-chau", "dien-bien"):
        for url in (RANKINGS, RANKINGS_API):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"year": 2020, "body": code}).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


# --- the schema ----------------------------------------------------------------------------------


def test_schema_documents_the_rankings_endpoint(client):
    response = client.get(reverse("schema"))

    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/v1/rankings/" in schema
    assert "index_pct" in schema


def test_interactive_docs_are_served(client):
    assert client.get(reverse("api-docs")).status_code == 200


# --- pure helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scales", "expected"),
    [
        ([], None),
        (["98", "98", "78.5"], "98"),
        (["80", "78.5", "70.5"], "80"),  # all different: the largest is the full scale
        (["78.5", "78.5", "98"], "78.5"),
    ],
)
def test_most_common_scale(scales, expected):
    result = most_common_scale(Decimal(s) for s in scales)
    assert result == (Decimal(expected) if expected else None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        (Decimal("1.234"), '<span class="up">▲ 1,23</span>'),
        (Decimal("-0.456"), '<span class="down">▼ 0,46</span>'),
        (Decimal("0.004"), "0,00"),  # prints as 0,00, so no arrow
    ],
)
def test_index_change_filter(value, expected):
    assert index_change(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "—"), (2, '<span class="up">▲ 2</span>'), (-8, '<span class="down">▼ 8</span>'), (0, "=")],
)
def test_rank_change_filter(value, expected):
    assert rank_change(value) == expected
