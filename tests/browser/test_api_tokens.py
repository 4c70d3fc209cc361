"""A body administrator (not a superuser) makes a personal API token, calls the API with it, then revokes it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import session_page

pytestmark = pytest.mark.browser

API = "/api/v1/assessments/"


def test_a_token_is_made_shown_once_used_and_revoked(browser, live_server, body_admin, tmp_path):
    page = session_page(browser, live_server, body_admin)
    page.on("dialog", lambda dialog: dialog.accept())  # the revoke button's data-confirm question

    page.locator("details.nav-manage summary").click()
    with page.expect_navigation():
        page.get_by_test_id("nav-api-tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã truy cập API")
    expect(page.get_by_text("Bạn chưa có mã truy cập nào.")).to_be_visible()

    page.get_by_label("Tên mã").fill("Bảng tính tổng hợp")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo mã").click()
    key = page.get_by_test_id("api-token-key").input_value()
    assert re.fullmatch(r"pi_[A-Za-z0-9_-]{40,}", key)
    row = page.get_by_role("row", name=re.compile("Bảng tính tổng hợp"))
    expect(row).to_contain_text(key[:9])
    expect(row).to_contain_text("chưa dùng")
    shot = tmp_path / "shots" / "api-tokens.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shot, full_page=True)

    api = page.context.request
    used = api.get(API, headers={"Authorization": f"Bearer {key}"})
    assert used.status == 200
    page.goto("/tai-khoan/ma-truy-cap-api/")
    expect(page.get_by_test_id("api-token-key")).to_have_count(0)  # shown once, never again
    expect(row).not_to_contain_text("chưa dùng")

    with page.expect_navigation():
        row.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi mã truy cập “Bảng tính tổng hợp”.")).to_be_visible()
    expect(row).to_contain_text("đã thu hồi")
    refused = page.context.request.get(API, headers={"Authorization": f"Bearer {key}"})
    assert refused.status == 401
    assert "thu hồi" in refused.json()["detail"]
    page.context.close()
