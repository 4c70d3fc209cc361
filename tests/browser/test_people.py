"""A body administrator (no superuser) invites a person, gives them a second role, and filters the people list."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from scoring.models import User
from tests.browser.conftest import session_page

pytestmark = pytest.mark.browser


def test_invite_give_a_role_and_filter(
    browser, live_server, tmp_path, body, unit, other_unit, body_admin, viewer
):
    assert not body_admin.is_superuser and not body_admin.is_staff
    page = session_page(browser, live_server, body_admin)

    page.locator("details.nav-manage summary").click()
    with page.expect_navigation():
        page.get_by_test_id("nav-people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người dùng của cơ quan")
    with page.expect_navigation():
        page.get_by_test_id("people-invite").click()

    page.get_by_label("Email", exact=True).fill("lan@snv.gov.vn")
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Thị Lan")
    page.locator("main select[name=role]").select_option("unit_officer")
    page.locator("main select[name=unit]").select_option(label="Sở Nội vụ")
    with page.expect_navigation():
        page.get_by_test_id("invite-submit").click()
    expect(
        page.get_by_text("Đã tạo tài khoản và gửi thư mời đặt mật khẩu tới lan@snv.gov.vn.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Lan")
    assert [m.to for m in mail.outbox] == [["lan@snv.gov.vn"]]

    page.get_by_text("Thêm vai trò", exact=True).first.click()
    page.locator("main select[name=role]").select_option("unit_head")
    page.locator("main select[name=unit]").select_option(label="Sở Tư pháp")
    with page.expect_navigation():
        page.get_by_test_id("role-submit").click()
    expect(page.get_by_text("Đã thêm vai trò.")).to_be_visible()
    expect(page.get_by_test_id("role-row")).to_have_count(2)
    lan = User.objects.get(username="lan")
    assert set(lan.roles.values_list("role", "unit__code")) == {
        ("unit_officer", "so-noi-vu"),
        ("unit_head", "so-tu-phap"),
    }

    page.get_by_role("link", name=re.compile("Danh sách người dùng")).click()
    page.locator("main select[name=role]").select_option("unit_head")
    page.locator("main select[name=unit]").select_option(label="Sở Tư pháp")
    with page.expect_navigation():
        page.get_by_test_id("people-filter").click()
    expect(page.get_by_test_id("people-count")).to_have_text("1 người.")
    row = page.get_by_test_id("person-lan")
    expect(row).to_contain_text("Thủ trưởng đơn vị (Sở Tư pháp)")
    expect(row).to_contain_text("Chưa đăng nhập")
    expect(page.get_by_test_id("person-xem")).to_have_count(0)
    tmp_path.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=tmp_path / "people.png", full_page=True)
    page.context.close()
    print(tmp_path / "people.png")
