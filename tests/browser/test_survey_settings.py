"""The body administrator goes from the year's setup page to the survey settings, makes an item take its points
from SIPAS, sees the example points, and the setup page no longer lists the item as missing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.surveys.helpers import survey_period

pytestmark = pytest.mark.browser


def test_an_item_without_questions_is_converted_from_sipas_from_the_setup_page(
    logged_in_page, body_admin, departments, unit, other_unit
):
    survey = survey_period(unit_group=departments, max_points=Decimal("2.00"))
    for form in survey.forms:
        form.questions.filter(item__code="2.2.2").delete()
    page = logged_in_page(body_admin)

    page.goto(f"/nam-danh-gia/{survey.period.pk}/")
    todos = page.get_by_test_id("checklist-todos")
    expect(todos).to_contain_text("tiêu chí điều tra 2.2.2 chưa có câu hỏi nào")
    page.get_by_role("link", name="Cài đặt điều tra xã hội học").first.click()

    expect(page.get_by_test_id("survey-problems")).to_contain_text("2.2.2")
    page.get_by_role("link", name="Sửa quy đổi điểm từ SIPAS").click()

    page.get_by_label("Nguồn điểm của tiêu chí 2.2.2").select_option("linear")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu quy đổi").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu quy đổi SIPAS (1 thay đổi).")
    expect(page.get_by_test_id("conversion-2.2.2").get_by_test_id("preview")).to_have_text(
        "SIPAS 85,11 % → 1,70 / 2,00 điểm"
    )
    page.get_by_label("Thử với tỷ lệ hài lòng (%)").fill("50")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem ví dụ").click()
    expect(page.get_by_test_id("conversion-2.2.2").get_by_test_id("preview")).to_have_text(
        "SIPAS 50,00 % → 1,00 / 2,00 điểm"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-survey-sipas-conversions.png", full_page=True)

    page.goto(f"/dieu-tra/ky/{survey.period.pk}/cai-dat/")
    expect(page.get_by_test_id("survey-problems")).to_contain_text("2 đơn vị chưa có kết quả")
    page.get_by_label("Trung bình theo mẫu phiếu, có trọng số").check()
    page.get_by_label("Trọng số mẫu phiếu M2").fill("2,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu cài đặt").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu cài đặt điều tra xã hội học.")
    expect(page.get_by_label("Trọng số mẫu phiếu M2")).to_have_value("2,5")
    page.screenshot(path=ARTIFACTS / "browser-survey-settings.png", full_page=True)

    page.goto(f"/nam-danh-gia/{survey.period.pk}/")
    expect(page.get_by_test_id("checklist-todos")).to_have_count(0)
