"""The body's administrator (not a superuser) bulk-assigns two units to an appraiser and the highlight goes."""

import pytest
from playwright.sync_api import expect

from appraisal.models import AppraiserAssignment
from tests.appraisal.helpers import submitted_assessment
from tests.browser.conftest import session_page

pytestmark = pytest.mark.browser


def test_body_admin_assigns_two_units_and_sees_the_workload(
    browser, live_server, tmp_path, unit, other_unit, body_admin, appraiser
):
    assert not body_admin.is_superuser
    period = submitted_assessment(unit=unit).period
    submitted_assessment(unit=other_unit, period=period)
    page = session_page(browser, live_server, body_admin)
    try:
        page.goto(f"/tham-dinh/?period={period.pk}")
        expect(page.get_by_test_id("unassigned-row")).to_have_count(2)
        page.screenshot(path=tmp_path / "before.png", full_page=True)

        with page.expect_navigation():
            page.get_by_test_id("assignments-link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Phân công thẩm định")
        expect(page.get_by_test_id("unassigned")).to_contain_text("2 hồ sơ chưa có ai thẩm định")
        form = page.get_by_test_id("assign-form")
        form.get_by_label("Người thẩm định").select_option(str(appraiser.pk))
        form.get_by_label(unit.name).check()
        form.get_by_label(other_unit.name).check()
        with page.expect_navigation():
            form.get_by_role("button", name="Phân công").click()

        expect(page.get_by_role("status").first).to_contain_text("Đã phân công 2 mục")
        row = page.get_by_test_id("workload").locator(f"tr[data-appraiser='{appraiser.username}']")
        expect(row.get_by_test_id("dossiers")).to_have_text("2")
        expect(row.get_by_test_id("items")).to_have_text("16")
        expect(page.get_by_test_id("unassigned")).to_have_count(0)
        page.screenshot(path=tmp_path / "assignments.png", full_page=True)

        page.goto(f"/tham-dinh/?period={period.pk}")
        expect(page.get_by_test_id("unassigned-row")).to_have_count(0)
        page.screenshot(path=tmp_path / "list.png", full_page=True)
        assert AppraiserAssignment.objects.filter(appraiser=appraiser).count() == 2
    finally:
        page.context.close()
