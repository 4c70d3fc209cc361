"""The body administrator follows the units' self-assessment on the progress board and grants an extension."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scoring.models import Assessment, DeadlineExtension
from tests.browser.conftest import ARTIFACTS
from tests.scoring.assessment_helpers import assessment_for, build_criteria_set, fill_scores
from tests.scoring.factories import PeriodFactory, UnitFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def late_period(body, departments, unit, other_unit):
    """Return a period whose deadline passed two days ago: one unit half done, one submitted, one idle."""
    period = PeriodFactory(body=body, year=2026, self_assessment_deadline=timezone.now() - timedelta(days=2))
    build_criteria_set(period=period, unit_group=departments)
    fill_scores(assessment=assessment_for(unit=unit, period=period), count=4)
    done = assessment_for(unit=other_unit, period=period)
    fill_scores(assessment=done)
    Assessment.objects.filter(pk=done.pk).update(
        status="submitted", submitted_at=timezone.now() - timedelta(days=3)
    )
    UnitFactory(body=body, group=departments, code="so-tai-chinh", name="Sở Tài chính")
    return period


def test_admin_filters_the_board_by_status_and_grants_an_extension(logged_in_page, body_admin, late_period):
    page = logged_in_page(body_admin)
    page.goto("/tu-danh-gia/tien-do/?body=lai-chau&year=2026")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ tự đánh giá chỉ số CCHC năm 2026")
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.locator("[data-counter=late] strong")).to_have_text("2")
    expect(page.locator("[data-counter=submitted] strong")).to_have_text("1")

    page.get_by_label("Trạng thái").select_option(label="Quá hạn")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Sở Nội vụ")
    expect(rows.first).to_contain_text(re.compile(r"50,0\s%"))
    expect(rows.first).to_contain_text("Quá hạn")

    with page.expect_navigation():
        page.locator("tr[data-unit=so-noi-vu]").get_by_role("link", name="Gia hạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gia hạn tự đánh giá cho Sở Nội vụ")
    # A mistake first: the form comes back with what was typed and says what is wrong.
    new_deadline = timezone.localtime(timezone.now() + timedelta(days=10)).strftime("%d/%m/%Y 17:00")
    page.get_by_label("Hạn mới").fill(new_deadline)
    with page.expect_navigation():
        page.get_by_role("button", name="Gia hạn").click()
    expect(page.get_by_text("Hãy ghi lý do gia hạn.")).to_be_visible()
    expect(page.get_by_label("Hạn mới")).to_have_value(new_deadline)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-board-extension-error.png", full_page=True)

    page.get_by_label("Lý do gia hạn").fill("Đơn vị bị ảnh hưởng bởi mưa lũ, mất điện nhiều ngày")
    with page.expect_navigation():
        page.get_by_role("button", name="Gia hạn").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Đã gia hạn tự đánh giá cho Sở Nội vụ đến {new_deadline}."
    )
    # Back on the late units: the unit with its new deadline is no longer among them.
    expect(page.get_by_label("Trạng thái")).to_have_value("late")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Sở Tài chính")
    extension = DeadlineExtension.objects.get()
    assert extension.granted_by == body_admin

    page.get_by_label("Trạng thái").select_option(label="Tất cả")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    row = page.locator("tr[data-unit=so-noi-vu]")
    expect(row).to_contain_text(new_deadline)
    expect(row.locator(".badge.extended")).to_have_text("gia hạn")
