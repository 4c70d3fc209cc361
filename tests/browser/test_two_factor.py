"""A body administrator's first login with the second factor required: enrol the app, keep the backup codes."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_body_administrator_enrols_an_authenticator_at_first_login(logged_in_page, settings, body_admin):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["body_admin"]

    page = logged_in_page(body_admin)

    expect(page).to_have_url(re.compile(r"/accounts/xac-thuc-hai-buoc/cai-dat/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bật xác thực hai bước")
    expect(page.locator("figure svg")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-two-factor-setup.png", full_page=True)
    key = page.get_by_test_id("totp-key").inner_text().replace(" ", "")
    # What the phone would show: the code of the key read off the page (base32, as an app takes it).
    code = f"{totp(b32decode(key)):06d}"
    page.get_by_label("Mã 6 chữ số").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận và bật").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mã dự phòng")
    expect(page.get_by_test_id("backup-codes").locator("li code")).to_have_count(10)
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()
