"""The body administrator reads the survey's tracking and statistics pages; the charts are drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.surveys.helpers import ballot, survey_period

pytestmark = pytest.mark.browser


def test_tracking_and_statistics_pages_show_counts_and_charts(
    logged_in_page, body_admin, departments, unit, other_unit
):
    survey = survey_period(unit_group=departments, issued=4)
    for n, answers in enumerate(["A", "B", "B", "C"]):
        ballot(form=survey.form("M1"), unit=unit, answers=answers, number=f"1{n}")
    ballot(form=survey.form("M1"), unit=other_unit, answers="D", number="20")
    ballot(form=survey.form("M2"), unit=other_unit, answers="A", number="21")
    page = logged_in_page(body_admin)

    page.goto(f"/dieu-tra/ky/{survey.period.pk}/theo-doi/")
    expect(page.get_by_test_id("totals-line")).to_have_text(
        "Phát ra 16, thu về 6 (37,5 %), nghiệm thu 6, loại 0"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-survey-tracking.png", full_page=True)

    page.goto(f"/dieu-tra/ky/{survey.period.pk}/thong-ke/?mau=M1")
    for chart in ("#rate-chart", "#answer-chart"):
        # Chart.js keeps an instance per canvas it has drawn.
        assert page.evaluate(f"!!window.Chart && !!window.Chart.getChart(document.querySelector('{chart}'))")
    expect(page.get_by_test_id("answer-table").locator("tbody tr")).to_have_count(4)


def test_design_pages_show_forms_and_the_sample_plan_grid(
    logged_in_page, body_admin, departments, unit, other_unit
):
    survey = survey_period(unit_group=departments, issued=4)
    page = logged_in_page(body_admin)

    page.goto(f"/dieu-tra/ky/{survey.period.pk}/mau-phieu/")
    expect(page.locator("article[data-form=M1] tbody tr")).to_have_count(4)
    page.screenshot(path=ARTIFACTS / "browser-survey-forms.png", full_page=True)

    page.goto(f"/dieu-tra/ky/{survey.period.pk}/ke-hoach-mau/")
    cell = page.get_by_label("M1 · Sở Nội vụ")
    expect(cell).to_have_value("4")
    cell.fill("9")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu kế hoạch mẫu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu kế hoạch mẫu (1 ô thay đổi).")
    expect(page.get_by_label("M1 · Sở Nội vụ")).to_have_value("9")
