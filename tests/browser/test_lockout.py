"""Wrong passwords lock the login; the right one is then refused too, until the body administrator unlocks."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import session_page
from tests.conftest_constants import PASSWORD

pytestmark = pytest.mark.browser

LIMIT = 3


def _try(page, username, password):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_lockout_message_and_unlock_by_the_body_administrator(
    page, browser, live_server, settings, body_admin, unit_officer
):
    settings.AXES_FAILURE_LIMIT = LIMIT
    # Signed in before the wrong passwords: the address they come from is locked too.
    admin_page = session_page(browser, live_server, body_admin)

    for n in range(LIMIT - 1):
        _try(page, "canbo-snv", f"sai-{n}")
        expect(page.locator("main .errors")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    _try(page, "canbo-snv", "sai-cuoi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khoá đăng nhập")
    expect(page.get_by_role("alert")).to_contain_text(f"mật khẩu bị nhập sai {LIMIT} lần")
    _try(page, "canbo-snv", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khoá đăng nhập")

    admin_page.goto("/tai-khoan/bi-khoa/")
    row = admin_page.get_by_role("row", name=re.compile("canbo-snv"))
    with admin_page.expect_navigation():
        row.get_by_role("button", name="Mở khoá").click()
    expect(admin_page.get_by_text("Không có tài khoản nào đang bị khoá.")).to_be_visible()

    _try(page, "canbo-snv", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()
    admin_page.context.close()
