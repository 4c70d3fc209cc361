"""A body administrator (not a superuser) sets up a group and a unit, renames it and records a merger."""

import shutil

import pytest
from playwright.sync_api import expect

from scoring.models import AuditEvent, Unit, UnitLineage
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_body_admin_keeps_units_and_groups(logged_in_page, body, body_admin, unit, tmp_path):
    assert not body_admin.is_superuser and not body_admin.is_staff
    page = logged_in_page(body_admin)

    page.locator("details.nav-manage summary").click()
    with page.expect_navigation():
        page.get_by_test_id("nav-units").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị và nhóm đơn vị")

    # A group…
    with page.expect_navigation():
        page.get_by_test_id("create-group").click()
    page.get_by_label("Mã nhóm").fill("huyen")
    page.get_by_label("Tên nhóm").fill("UBND cấp huyện")
    page.get_by_label("Thứ tự").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("group-huyen")).to_contain_text("UBND cấp huyện")

    # …a unit in it; a duplicate code is refused first, with what was typed kept.
    with page.expect_navigation():
        page.get_by_test_id("create-unit").click()
    page.get_by_label("Mã đơn vị").fill(unit.code)
    page.get_by_label("Tên đơn vị").fill("UBND huyện Tam Đường")
    page.get_by_label("Nhóm").select_option(label="UBND cấp huyện")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Mã đơn vị “so-noi-vu” đã được dùng trong cơ quan này.")
    expect(page.get_by_label("Tên đơn vị")).to_have_value("UBND huyện Tam Đường")
    page.get_by_label("Mã đơn vị").fill("tam-duong")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("UBND huyện Tam Đường")

    # Rename it from 2026: the old name stays for 2025 and before.
    form = page.get_by_test_id("rename-form")
    form.get_by_label("Tên mới").fill("UBND thị xã Tam Đường")
    form.get_by_label("Áp dụng từ năm").fill("2026")
    with page.expect_navigation():
        form.get_by_role("button", name="Đổi tên").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("UBND thị xã Tam Đường")
    history = page.get_by_test_id("name-history")
    expect(history.locator("tbody tr").first).to_contain_text("UBND huyện Tam Đường")
    expect(history.locator("tbody tr").first).to_contain_text("2025")

    # Merge Sở Nội vụ into it on 01/03/2026.
    with page.expect_navigation():
        page.get_by_role("link", name="Ghi nhận sáp nhập, chia tách").click()
    page.get_by_label("Loại thay đổi").select_option(label="Hợp nhất, sáp nhập")
    page.locator("#id_effective_on").fill("01/03/2026")
    page.locator("#id_sources").select_option(label="Sở Nội vụ")
    page.locator("#id_targets").select_option(label="UBND thị xã Tam Đường")
    with page.expect_navigation():
        page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã ghi nhận")
    expect(page.get_by_test_id(f"unit-{unit.code}")).to_contain_text("Ngừng hoạt động")

    with page.expect_navigation():
        page.get_by_test_id("group-huyen").get_by_role("link", name="UBND thị xã Tam Đường").click()
    expect(page.get_by_test_id("lineage-event")).to_contain_text("01/03/2026")
    expect(page.get_by_test_id("lineage-event")).to_contain_text("Sở Nội vụ → UBND thị xã Tam Đường")

    shot = tmp_path / "units.png"
    page.screenshot(path=shot, full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "browser-units-detail.png")

    created = Unit.objects.get(body=body, code="tam-duong")
    assert list(created.predecessors.all()) == [unit]
    assert UnitLineage.objects.filter(body=body).count() == 1
    assert {"unit_group_created", "unit_created", "unit_renamed", "unit_lineage_recorded"} <= set(
        AuditEvent.objects.filter(actor=body_admin).values_list("action", flat=True)
    )
