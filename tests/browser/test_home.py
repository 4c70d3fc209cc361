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
