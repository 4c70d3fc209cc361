"""Dashboards page (/ket-qua/bieu-do/): charts of every unit, heat map, radar, changes, classes, permissions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.dashboards.selectors import dashboard_get
from scoring.calc import quantize_score
from scoring.formatting import format_number
from scoring.models import Period, Role
from tests.conftest_constants import PASSWORD
from tests.reports.dashboard_data import (
    FIELD_MAX,
    FIELDS,
    computed_create,
    field_points,
    published_create,
    years_create,
)
from tests.reports.ranking_data import lai_chau_2020_create
from tests.scoring.factories import RoleAssignmentFactory, UnitGroupFactory

URL = reverse("reports:dashboards")
SVG = "{http://www.w3.org/2000/svg}"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def _by_testid(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}".*?</(figure|table)>', html, flags=re.S)
    assert match, testid
    return match.group(0)


def _heat_cells(html: str, group_code: str) -> dict[str, dict[str, str]]:
    """Return {unit code: {field code: cell text}} of a group's heat map."""
    table = _by_testid(html, f"heatmap-{group_code}")
    cells: dict[str, dict[str, str]] = {}
    for unit_code, row in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', table, flags=re.S):
        cells[unit_code] = dict(re.findall(r'data-field="([^"]+)"[^>]*>([^<]*)</td>', row))
    return cells


def _index(n: int, year: int = 2020) -> Decimal:
    return (sum(field_points(n, year).values()) + 15) * 100 / (15 + FIELD_MAX * len(FIELDS))


@pytest.fixture
def results(body, departments, unit, other_unit):
    """Sở Nội vụ and Sở Tư pháp plus three more departments, published in 2019 and 2020."""
    more = years_create(body=body, group=departments, count=3)
    for year in (2019, 2020):
        period = Period.objects.get(body=body, year=year)
        published_create(period=period, group=departments, units=[unit, other_unit])
    return [unit, other_unit, *more]


# --- what the page shows ------------------------------------------------------------------------


def test_page_shows_every_unit_and_the_group_average(client, body_admin, body, departments):
    units = years_create(body=body, group=departments, count=5)
    _login(client, body_admin)

    response = client.get(URL, {"year": 2020})

    assert response.status_code == 200
    html = response.content.decode()
    ranking = _svgs(_by_testid(html, f"ranking-{departments.code}"))[0]
    bars = [e for e in ranking.iter(f"{SVG}rect") if e.get("class") == "bar"]
    assert {b.get("data-label") for b in bars} == {u.name for u in units}
    # Bars in rank order: best index first.
    assert [Decimal(b.get("data-value")) for b in bars] == sorted((_index(n) for n in range(5)), reverse=True)
    average = sum(_index(n) for n in range(5)) / 5
    texts = [t.text for t in ranking.iter(f"{SVG}text")]
    assert f"TB nhóm: {format_number(average)}" in texts
    assert format_number(average) in _by_testid(html, f"heatmap-{departments.code}")
    assert "Kết quả tạm tính" not in html


def test_heat_map_cells_are_the_component_indices(client, viewer, body, departments):
    units = years_create(body=body, group=departments, count=4)
    _login(client, viewer)

    html = client.get(URL, {"year": 2020}).content.decode()

    cells = _heat_cells(html, departments.code)
    assert set(cells) == {u.code for u in units}
    for n, unit in enumerate(units):
        expected = {code: format_number(p * 100 / FIELD_MAX) for code, p in field_points(n, 2020).items()}
        assert cells[unit.code] == expected
    # Column headers carry the field codes and names.
    assert "Cải cách thủ tục hành chính" in _by_testid(html, f"heatmap-{departments.code}")


def test_radar_shows_the_chosen_unit_against_its_group_average(client, body_admin, body, departments):
    units = years_create(body=body, group=departments, count=4)
    _login(client, body_admin)

    html = client.get(URL, {"year": 2020, "unit": units[2].code}).content.decode()

    figure = _by_testid(html, "radar")
    assert f'data-unit="{units[2].code}"' in figure
    radar = _svgs(figure)[0]
    series = [g.get("data-series") for g in radar.iter(f"{SVG}g") if g.get("class") == "series"]
    assert series == [units[2].name, "TB nhóm"]
    own = [Decimal(p.get("data-value")) for p in radar.iter() if p.get("class") == "point"][: len(FIELDS)]
    assert own == [p * 100 / FIELD_MAX for p in field_points(2, 2020).values()]
    # The chosen unit is highlighted in its group's ranking chart.
    assert 'class="bar-row highlight"' in _by_testid(html, f"ranking-{departments.code}")
    # Every unit may be picked.
    select = html.split('data-testid="radar-unit"')[1].split("</select>")[0]
    assert sorted(re.findall(r'<option value="([^"]+)"', select)) == sorted(u.code for u in units)


def test_changes_against_last_year_and_up_down_counts(client, body_admin, body, departments):
    years_create(body=body, group=departments, count=4)  # even units rise, odd units fall
    _login(client, body_admin)

    html = client.get(URL, {"year": 2020}).content.decode()

    changes = _by_testid(html, f"changes-{departments.code}")
    assert "2 đơn vị tăng chỉ số" in changes and "2 đơn vị giảm chỉ số" in changes
    bars = [e for e in _svgs(changes)[0].iter(f"{SVG}rect") if e.get("class") == "bar"]
    # The change between the indices as printed (two decimals), as the tables show it.
    assert sorted(Decimal(b.get("data-value")) for b in bars) == sorted(
        quantize_score(_index(n, 2020)) - quantize_score(_index(n, 2019)) for n in range(4)
    )


def test_without_last_year_the_page_says_so(client, body_admin, body, departments):
    years_create(body=body, group=departments, count=2)
    _login(client, body_admin)

    html = client.get(URL, {"year": 2019}).content.decode()

    assert 'data-testid="no-previous"' in html


def test_class_distribution_counts_units_per_class(client, body_admin, body, departments):
    years_create(body=body, group=departments, count=6)
    _login(client, body_admin)

    html = client.get(URL, {"year": 2020}).content.decode()

    columns = {
        e.get("data-label"): int(e.get("data-value"))
        for e in _svgs(_by_testid(html, f"classes-{departments.code}"))[0].iter(f"{SVG}rect")
        if e.get("class") == "bar"
    }
    assert set(columns) == {"Tốt", "Khá", "Trung bình", "Yếu"}
    assert sum(columns.values()) == 6
    assert columns["Tốt"] == sum(1 for n in range(6) if _index(n) >= 80)


def test_one_chart_per_group_and_group_filter(client, body_admin, body, departments):
    districts = UnitGroupFactory(body=body, code="huyen", name="UBND cấp huyện", order=2)
    years_create(body=body, group=departments, count=3)
    years_create(body=body, group=districts, count=2, prefix="huyen")
    _login(client, body_admin)

    both = client.get(URL, {"year": 2020}).content.decode()
    one = client.get(URL, {"year": 2020, "group": "huyen"}).content.decode()

    assert 'data-testid="ranking-so-ban-nganh"' in both and 'data-testid="ranking-huyen"' in both
    assert 'data-testid="ranking-so-ban-nganh"' not in one and 'data-testid="ranking-huyen"' in one
    assert client.get(URL, {"year": 2020, "group": "khong-co"}).status_code == 404


def test_results_without_field_points_still_chart_the_indices(client, viewer, body):
    lai_chau_2020_create(body=body)
    _login(client, viewer)

    html = client.get(URL, {"year": 2020}).content.decode()

    ranking = _svgs(_by_testid(html, "ranking-full_scale"))[0]
    values = {
        e.get("data-label"): e.get("data-value")
        for e in ranking.iter(f"{SVG}rect")
        if e.get("class") == "bar"
    }
    assert format_number(Decimal(values["Sở Nội vụ"])) == "87,42"
    assert "không có điểm theo lĩnh vực" in html


def test_dashboard_data_without_any_results_is_none(body):
    assert dashboard_get(body=body) is None


# --- draft figures and permissions ------------------------------------------------------------------


def test_staff_see_a_computed_year_with_the_draft_banner(client, body_admin, body, departments):
    units = years_create(body=body, group=departments, count=3)
    computed_create(body=body, group=departments, units=units)
    _login(client, body_admin)

    latest = client.get(URL).content.decode()

    assert "Biểu đồ kết quả chỉ số cải cách hành chính năm 2021" in latest
    banner = _by_testid(latest, "draft-banner").split("</p>")[0]
    assert "Kết quả tạm tính, chưa công bố" in banner and "tính lúc 05/03/2021 08:30" in banner
    assert '<option value="2021" selected>2021 (tạm tính)</option>' in latest
    assert '<option value="2020">2020</option>' in latest


def test_unit_user_sees_published_years_only(client, unit_officer, body, departments, results):
    computed_create(body=body, group=departments, units=results)
    _login(client, unit_officer)

    latest = client.get(URL)
    draft = client.get(URL, {"year": 2021})

    assert latest.status_code == 200
    html = latest.content.decode()
    assert "năm 2020" in html and 'value="2021"' not in html
    assert "Kết quả tạm tính" not in html
    assert draft.status_code == 404


def test_unit_user_charts_only_their_own_unit(client, unit_officer, unit, other_unit, results):
    _login(client, unit_officer)

    html = client.get(URL, {"year": 2020, "unit": other_unit.code}).content.decode()

    select = html.split('data-testid="radar-unit"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]+)"', select) == [unit.code]
    figure = _by_testid(html, "radar")
    assert f'data-unit="{unit.code}"' in figure
    assert other_unit.name not in figure


def test_staff_may_chart_any_unit(client, appraiser, unit, other_unit, results):
    _login(client, appraiser)

    html = client.get(URL, {"year": 2020, "unit": other_unit.code}).content.decode()

    assert f'data-unit="{other_unit.code}"' in _by_testid(html, "radar")


@pytest.mark.parametrize("params", [{}, {"year": 2020}, {"year": 2020, "body": "lai-chau"}])
def test_outsider_gets_404(client, outsider, results, params):
    _login(client, outsider)
    response = client.get(URL, {**params, "body": "lai-chau"})
    assert response.status_code == 404
    assert "Sở Nội vụ" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, results):
    response = client.get(URL, {"year": 2020})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("year", ["20x0", "123456", "1999"])
def test_bad_or_unknown_year_is_404(client, body_admin, results, year):
    _login(client, body_admin)
    assert client.get(URL, {"year": year}).status_code == 404


def test_body_without_results_says_so(client, body_admin):
    _login(client, body_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Chưa có kết quả của cơ quan đánh giá này." in response.content.decode()


# --- queries do not grow with the number of units ---------------------------------------------------

MAX_QUERIES = 19  # 18 today: session, user, roles, years, results table, freshness, period, field names


def test_query_count_does_not_grow_from_5_to_30_units(
    client, body_admin, body, other_body, departments, django_assert_max_num_queries
):
    other_group = UnitGroupFactory(body=other_body, code="so-ban-nganh", name="Sở, ban, ngành", order=1)
    years_create(body=body, group=departments, count=5)
    years_create(body=other_body, group=other_group, count=30, prefix="db")
    RoleAssignmentFactory(user=body_admin, body=other_body, role=Role.BODY_ADMIN)
    _login(client, body_admin)

    counts = []
    for code in ("lai-chau", "dien-bien"):
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"year": 2020, "body": code})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count('class="bar-row') >= 30
