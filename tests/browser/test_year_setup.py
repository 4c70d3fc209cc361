"""A body administrator (not a superuser) sets up the new year: created from last year, checklist, open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from appraisal.models import AppraiserAssignment
from scoring.models import AuditEvent, Period, PeriodStatus
from tests.browser.conftest import session_page
from tests.scoring.assessment_helpers import build_criteria_set
from tests.scoring.factories import PeriodFactory
from tests.scoring.periods.conftest import staff_unit

pytestmark = pytest.mark.browser


def test_body_admin_creates_the_year_from_last_year_and_opens_it(
    browser, live_server, body, departments, unit, appraiser, body_admin, tmp_path
):
    last_year = PeriodFactory(body=body, year=2025, status=PeriodStatus.OPEN)
    build_criteria_set(period=last_year, unit_group=departments)
    staff_unit(body, unit)
    AppraiserAssignment.objects.create(period=last_year, appraiser=appraiser, unit=unit)
    assert not body_admin.is_superuser
    page = session_page(browser, live_server, body_admin)

    page.goto("/")
    page.locator("details.nav-manage summary").click()
    with page.expect_navigation():
        page.get_by_test_id("nav-periods").click()
    with page.expect_navigation():
        page.get_by_test_id(f"period-create-{body.code}").click()
    page.get_by_label("Năm đánh giá").fill("2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo").click()
    counts = page.get_by_test_id("copied-counts")
    expect(counts.locator("tr", has_text="Bộ tiêu chí")).to_contain_text("1")
    expect(counts.locator("tr", has_text="Phân công thẩm định")).to_contain_text("1")
    expect(counts.locator("tr", has_text="Mức xếp loại")).to_contain_text("4")
    page.screenshot(path=tmp_path / "created.png", full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("to-checklist").click()
    expect(page.get_by_test_id("checklist-problems")).to_contain_text(
        "Chưa đặt: Ngày bắt đầu, Hạn tự đánh giá, Hạn giải trình, Hạn thẩm định vòng 2, Hạn họp Hội đồng thẩm định."
    )
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("period-open").click()
    expect(page.get_by_role("status").first).to_contain_text("Chưa thể mở kỳ đánh giá")
    expect(page.get_by_test_id("period-status")).to_have_text("Đang chuẩn bị")
    page.screenshot(path=tmp_path / "refused.png", full_page=True)

    with page.expect_navigation():
        page.get_by_test_id("checklist-problems").get_by_role("link", name="Sửa").click()
    page.get_by_label("Ngày bắt đầu").fill("02/01/2026")
    page.get_by_label("Hạn tự đánh giá").fill("31/01/2026 17:00")
    page.get_by_label("Hạn giải trình").fill("28/02/2026 17:00")
    page.get_by_label("Hạn thẩm định vòng 2").fill("31/03/2026 17:00")
    page.get_by_label("Hạn họp Hội đồng thẩm định").fill("30/04/2026 17:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("checklist-ok")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("period-open").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã mở kỳ đánh giá năm 2026")
    expect(page.get_by_test_id("period-status")).to_have_text("Đã mở")
    page.screenshot(path=tmp_path / "opened.png", full_page=True)
    page.context.close()

    period = Period.objects.get(body=body, year=2026)
    assert period.status == PeriodStatus.OPEN
    assert AuditEvent.objects.filter(action="period_open", actor=body_admin).count() == 1
    (tmp_path / "where.txt").write_text(str(tmp_path))
