"""A unit officer builds the unit's recovery plan from last year's results and updates one action."""

import datetime

import pytest
from playwright.sync_api import expect

from reports.models import RecoveryAction
from tests.reports.plan_data import unit_losses_create

pytestmark = pytest.mark.browser


def test_unit_officer_builds_plan_and_updates_an_action(logged_in_page, unit, unit_officer):
    unit_losses_create(unit=unit)
    page = logged_in_page(unit_officer)

    page.goto(f"/ket-qua/ke-hoach/don-vi/{unit.code}/2026/?body={unit.body.code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch khắc phục điểm bị mất năm 2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Lập từ kết quả năm trước").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã thêm 3 tiêu chí")
    actions = page.get_by_test_id("plan-actions")
    expect(actions.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("field-1-projected-index")).to_have_text("100,00")

    row = actions.locator("tbody tr", has_text="1.2.2")
    with page.expect_navigation():
        row.get_by_role("link", name="Sửa").click()
    page.get_by_label("Nhiệm vụ, giải pháp").fill("Ban hành kế hoạch CCHC trước ngày 31/01")
    page.get_by_label("Hạn hoàn thành").fill("30/06/2026")
    page.get_by_label("Tình trạng").select_option(label="Đang thực hiện")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()

    row = page.get_by_test_id("plan-actions").locator("tbody tr", has_text="1.2.2")
    expect(row.get_by_test_id("status")).to_have_text("Đang thực hiện")
    expect(row.get_by_test_id("due")).to_contain_text("30/06/2026")
    expect(row).to_contain_text("Ban hành kế hoạch CCHC trước ngày 31/01")
    saved = RecoveryAction.objects.get(unit=unit, year=2026, item_code="1.2.2")
    assert (saved.status, saved.due_date) == ("in_progress", datetime.date(2026, 6, 30))


def test_body_admin_reads_the_province_plan_from_the_index(logged_in_page, body, body_admin):
    from tests.reports.plan_data import footnote_actions_create, national_2020_create

    national_2020_create(body=body)
    footnote_actions_create(body=body, actor=body_admin)
    page = logged_in_page(body_admin)

    page.goto(f"/ket-qua/ke-hoach/?body={body.code}")
    with page.expect_navigation():
        page.get_by_test_id("province-plans").get_by_role("link", name="2021").click()
    expect(page.get_by_test_id("field-1-projected-index")).to_have_text("91,76")
    expect(page.get_by_test_id("field-5-projected-index")).to_have_text("80,00")
    expect(page.get_by_test_id("field-7-projected-index")).to_have_text("80,53")

    with page.expect_navigation():
        page.get_by_role("button", name="Thêm nội dung").click()
    page.get_by_label("Lĩnh vực").select_option("3")
    page.locator("#id_lost_points").fill("0,5")
    page.get_by_label("Điểm có thể khắc phục").fill("0,75")
    page.get_by_label("Nhiệm vụ, giải pháp").fill("Công bố đầy đủ thủ tục hành chính")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu được")
    expect(page.get_by_test_id("action-form")).to_contain_text("không được lớn hơn điểm bị mất")
    expect(page.get_by_label("Nhiệm vụ, giải pháp")).to_have_value("Công bố đầy đủ thủ tục hành chính")
    page.get_by_label("Điểm có thể khắc phục").fill("0,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("plan-actions").locator("tbody tr")).to_have_count(8)
