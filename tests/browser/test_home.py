import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page_is_served_in_vietnamese(page):
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chỉ số cải cách hành chính")
    expect(page.get_by_role("button", name="Đăng nhập để bắt đầu")).to_have_attribute(
        "href", "/accounts/login/"
    )


def test_body_admin_logs_in_and_sees_rankings_in_the_nav(logged_in_page, body_admin):
    page = logged_in_page(body_admin)

    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Xếp hạng")).to_be_visible()
    expect(nav.get_by_role("button", name=re.compile("Đăng xuất"))).to_contain_text(body_admin.username)


def test_unit_officer_home_says_the_next_step_and_links_to_the_check(
    logged_in_page, body, departments, unit, unit_officer
):
    from datetime import timedelta

    from django.utils import timezone

    from scoring.models import PeriodStatus
    from tests.scoring.assessment_helpers import assessment_for, build_criteria_set, fill_scores
    from tests.scoring.factories import PeriodFactory

    period = PeriodFactory(
        body=body,
        year=2026,
        status=PeriodStatus.OPEN,
        self_assessment_deadline=timezone.now() + timedelta(days=9),
    )
    build_criteria_set(period=period, unit_group=departments)
    fill_scores(assessment=assessment_for(unit=unit, period=period), count=3)

    page = logged_in_page(unit_officer)
    page.goto("/")

    dossier = page.get_by_test_id("home-dossier")
    expect(dossier).to_contain_text("Đã chấm 3/8 tiêu chí.")
    expect(dossier.get_by_test_id("home-countdown")).to_have_text("còn 9 ngày")
    dossier.get_by_role("link", name="Kiểm tra trước khi gửi").click()
    expect(page).to_have_url(re.compile(r"/gui/$"))
