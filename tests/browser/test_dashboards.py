"""The body administrator opens the dashboards, reads the charts and picks another unit for the radar chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.reports.dashboard_data import years_create
from tests.scoring.factories import UnitGroupFactory

pytestmark = pytest.mark.browser

EIGHT_FIELDS = tuple(str(n) for n in range(1, 9))


@pytest.fixture
def two_groups(body, departments):
    districts = UnitGroupFactory(body=body, code="huyen", name="UBND các huyện, thành phố", order=2)
    departments_units = years_create(body=body, group=departments, count=9, fields=EIGHT_FIELDS)
    district_units = years_create(body=body, group=districts, count=4, prefix="huyen", fields=EIGHT_FIELDS)
    return departments_units, district_units


def test_admin_reads_the_charts_and_picks_another_unit(logged_in_page, body_admin, two_groups):
    departments_units, district_units = two_groups
    page = logged_in_page(body_admin)
    page.goto("/ket-qua/bieu-do/?body=lai-chau&year=2020")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Biểu đồ kết quả chỉ số cải cách hành chính năm 2020"
    )
    # Per group: ranking, changes and classes; plus the radar chart.
    expect(page.locator("svg.chart-svg")).to_have_count(2 * 3 + 1)
    expect(page.locator("[data-testid=heatmap-so-ban-nganh] tbody td.heat")).to_have_count(9 * 8)
    expect(page.locator("[data-testid=heatmap-huyen] tbody td.heat")).to_have_count(4 * 8)
    expect(page.locator("[data-testid=ranking-so-ban-nganh] rect.bar")).to_have_count(9)

    # By default the radar shows the first unit (by name) of the first group.
    expect(page.locator("[data-testid=radar]")).to_have_attribute("data-unit", departments_units[0].code)
    expect(page.locator("[data-testid=radar] svg g.series")).to_have_count(2)

    other = district_units[2]
    page.get_by_test_id("radar-unit").select_option(other.code)
    expect(page.locator("[data-testid=radar]")).to_have_attribute("data-unit", other.code)
    expect(page.locator("[data-testid=radar] svg g.series").first).to_have_attribute(
        "data-series", other.name
    )
    assert f"unit={other.code}" in page.url
    # The chosen unit is highlighted in its own group's ranking chart, and the page kept all its charts.
    expect(page.locator("[data-testid=ranking-huyen] g.highlight")).to_contain_text(other.name)
    expect(page.locator("svg.chart-svg")).to_have_count(2 * 3 + 1)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboards-full.png", full_page=True)
