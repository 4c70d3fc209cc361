"""A new account, imported from a file, logs in with its temporary password and must set its own."""

import re

import pytest
from playwright.sync_api import expect

from scoring.accounts import services as users_services
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Cai-cach-hanh-chinh-2026"


def test_new_user_sets_a_password_at_first_login_and_lands_on_the_home_page(page, body):
    row = "canbo-moi,Trần Thị Bình,binh.tt@laichau.gov.vn,Chỉ xem,,lai-chau"
    content = f"username,full_name,email,role,unit_code,body_code\n{row}\n".encode()
    temporary = (
        users_services.users_import_file(content=content, filename="users.csv").credentials[0].password
    )

    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("canbo-moi")
    page.locator("input[name=password]").fill(temporary)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/password_change/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    expect(page.get_by_role("status").first).to_contain_text("mật khẩu tạm do quản trị viên cấp")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-first-login-change-page.png", full_page=True)

    page.get_by_label("Mật khẩu tạm (hiện tại)").fill(temporary)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu mật khẩu mới").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chỉ số cải cách hành chính")
    expect(page.get_by_role("status")).to_have_text("Đã đổi mật khẩu.")
    page.screenshot(path=ARTIFACTS / "browser-first-login-home.png", full_page=True)
    # The flag is cleared: another page opens instead of sending the user back.
    page.goto("/ket-qua/xep-hang/")
    expect(page).to_have_url(re.compile(r"/ket-qua/xep-hang/$"))
