"""The body's staff correct a ballot found on the reconciliation page, with a reason, and see the list change;
then void another and see it leave the tracking table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.surveys.helpers import ballot, survey_period

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(departments, unit, other_unit):
    return survey_period(unit_group=departments, issued=5)


def test_staff_correct_a_differing_ballot_with_a_reason_and_it_leaves_the_reconciliation(
    logged_in_page, body_admin, survey, unit
):
    m1 = survey.form("M1")
    ballot(form=m1, unit=unit, number="501", answers="A")
    ballot(form=m1, unit=unit, number="501", answers={1: "A", 2: "C", 3: "A", 4: "A"}, entry_round=2)
    ballot(form=m1, unit=unit, number="502", answers="B")
    page = logged_in_page(body_admin)
    page.goto(f"/dieu-tra/ky/{survey.period.pk}/doi-chieu/")
    row = page.locator('[data-testid=mismatches] tr[data-number="501"]')
    expect(row).to_contain_text("câu 2")
    expect(page.get_by_test_id("missing-second")).to_contain_text("1")

    # The paper says C: the first keying is wrong. Without a reason the form is not sent and keeps the choice.
    row.get_by_role("link", name="Sửa phiếu").first.click()
    expect(page.get_by_role("heading", name="Sửa phiếu số 501 (M1)")).to_be_visible()
    page.get_by_label("Câu 2").select_option("C")
    page.get_by_role("button", name="Lưu sửa phiếu").click()
    reason = page.get_by_label("Lý do sửa phiếu")
    assert reason.evaluate("el => el.validity.valueMissing")
    expect(page.get_by_label("Câu 2")).to_have_value("C")
    reason.fill("Đối chiếu phiếu giấy: câu 2 chọn C")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-ballot-correction.png", full_page=True)
    page.get_by_role("button", name="Lưu sửa phiếu").click()

    # Back on the reconciliation page: the ballot no longer differs.
    expect(page.get_by_text("Đã sửa phiếu số 501 (M1).")).to_be_visible()
    expect(page.locator('[data-testid=mismatches] tr[data-number="501"]')).to_have_count(0)
    expect(page.get_by_test_id("mismatch-count")).to_contain_text("0")

    # Voiding 502 from the tracking page's search takes it out of the counts.
    page.goto(f"/dieu-tra/ky/{survey.period.pk}/theo-doi/")
    page.get_by_label("Mẫu phiếu").fill("M1")
    page.get_by_label("Số phiếu").fill("502")
    page.get_by_role("button", name="Tìm phiếu").click()
    page.get_by_role("button", name="Hủy phiếu").click()  # a link styled as a button
    expect(page.get_by_role("heading", name="Hủy phiếu số 502 (M1)")).to_be_visible()
    page.get_by_label("Lý do hủy phiếu").fill("Phiếu nhập trùng")
    page.get_by_role("button", name="Hủy phiếu").click()
    expect(page.get_by_text("Đã hủy phiếu số 502 (M1).")).to_be_visible()
    expect(page.get_by_test_id("voided-count")).to_contain_text("1 phiếu đã hủy")
    expect(page.locator('[data-testid=voided-ballots] tr[data-number="502"]')).to_contain_text(
        "Phiếu nhập trùng"
    )
