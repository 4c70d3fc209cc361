"""Acceptance of issue #14: a body administrator who is no superuser sets up a year from nothing in the browser.

Period, group, unit, people invited with their roles, a criteria set imported from the downloadable template, an
appraiser assigned, deadlines and bands, the checklist passing, the period opened; then the unit's officer sets
the password from the invitation, logs in and scores a sub-criterion. Another body's administrator gets 404 on
every setup page of this body (the list is tests/scoring/setup_pages.py; tests/scoring/test_other_body_404.py
covers the same URLs, the POST actions and the setup API over HTTP).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import AppraiserAssignment
from scoring.models import CriteriaSet, Period, PeriodStatus, Role, SelfScore, Unit, UnitGroup, User
from tests.browser.conftest import ARTIFACTS, TIMEOUT_MS, session_page
from tests.scoring.setup_pages import SetupObjects, setup_page_urls

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Cải-cách-hành-chính-2026"


def _nav(page, testid: str) -> None:
    page.locator("details.nav-manage summary").click()
    with page.expect_navigation():
        page.get_by_test_id(testid).click()


def _invite(page, *, email: str, name: str, role: str, unit: str | None = None) -> None:
    _nav(page, "nav-people")
    with page.expect_navigation():
        page.get_by_test_id("people-invite").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Họ và tên", exact=True).fill(name)
    page.locator("main select[name=role]").select_option(role)
    if unit:
        page.locator("main select[name=unit]").select_option(label=unit)
    with page.expect_navigation():
        page.get_by_test_id("invite-submit").click()
    expect(page.get_by_text(f"Đã tạo tài khoản và gửi thư mời đặt mật khẩu tới {email}.")).to_be_visible()


def _when(day, hour: str = " 17:00") -> str:
    return day.strftime("%d/%m/%Y") + hour


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"year-from-nothing-{name}.png", full_page=True)


def test_body_admin_sets_up_a_year_from_nothing_and_a_unit_scores(
    browser, live_server, tmp_path, body, body_admin, outsider
):
    assert not body_admin.is_superuser and not body_admin.is_staff
    assert set(body_admin.roles.values_list("role", flat=True)) == {Role.BODY_ADMIN}
    assert not Period.objects.filter(body=body).exists() and not UnitGroup.objects.filter(body=body).exists()
    today = timezone.localdate()
    year = today.year
    page = session_page(browser, live_server, body_admin)

    # 1. The period.
    _nav(page, "nav-periods")
    with page.expect_navigation():
        page.get_by_test_id(f"period-create-{body.code}").click()
    page.get_by_label("Năm đánh giá").fill(str(year))
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo").click()
    with page.expect_navigation():
        page.get_by_test_id("to-checklist").click()
    expect(page.get_by_test_id("period-status")).to_have_text("Đang chuẩn bị")
    period = Period.objects.get(body=body, year=year)

    # 2. A group and a unit.
    _nav(page, "nav-units")
    with page.expect_navigation():
        page.get_by_test_id("create-group").click()
    page.get_by_label("Mã nhóm").fill("so-ban-nganh")
    page.get_by_label("Tên nhóm").fill("Sở, ban, ngành")
    page.get_by_label("Thứ tự").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    with page.expect_navigation():
        page.get_by_test_id("create-unit").click()
    page.get_by_label("Mã đơn vị").fill("so-noi-vu")
    page.get_by_label("Tên đơn vị").fill("Sở Nội vụ")
    page.get_by_label("Nhóm").select_option(label="Sở, ban, ngành")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Sở Nội vụ")

    # 3. People: the unit's officer and head, and an appraiser, invited with their roles.
    _invite(page, email="lan@snv.gov.vn", name="Nguyễn Thị Lan", role="unit_officer", unit="Sở Nội vụ")
    _invite(page, email="hung@snv.gov.vn", name="Trần Văn Hùng", role="unit_head", unit="Sở Nội vụ")
    _invite(page, email="mai@snv.gov.vn", name="Lê Thị Mai", role="appraiser")
    assert [m.to for m in mail.outbox] == [["lan@snv.gov.vn"], ["hung@snv.gov.vn"], ["mai@snv.gov.vn"]]

    # 4. The criteria set: the template downloaded from the import page, then imported for the group.
    page.goto("/tieu-chi/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Nhập từ Excel ({body.name})").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu Excel").click()
    template = tmp_path / "mau-bo-tieu-chi.xlsx"
    download.value.save_as(template)
    page.get_by_label("Năm đánh giá").fill(str(year))
    page.get_by_label("Nhóm đơn vị").select_option(label="Sở, ban, ngành")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(template)
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã nhập bộ tiêu chí")

    # 5. The appraiser, offered because of the role, assigned to the unit.
    _nav(page, "nav-assignments")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phân công thẩm định")
    form = page.get_by_test_id("assign-form")
    form.get_by_label("Người thẩm định").select_option(str(User.objects.get(username="mai").pk))
    form.get_by_label("Sở Nội vụ").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Phân công").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã phân công 1 mục")

    # 6. Deadlines and bands, from the checklist, which then passes; the period is opened.
    page.goto(f"/nam-danh-gia/{period.pk}/")
    expect(page.get_by_test_id("checklist-problems")).to_contain_text("Chưa đặt")
    with page.expect_navigation():
        page.get_by_role("link", name="1. Thời hạn").click()
    page.get_by_label("Ngày bắt đầu").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Hạn tự đánh giá").fill(_when(today + timedelta(days=30)))
    page.get_by_label("Hạn giải trình").fill(_when(today + timedelta(days=60)))
    page.get_by_label("Hạn thẩm định vòng 2").fill(_when(today + timedelta(days=90)))
    page.get_by_label("Hạn họp Hội đồng thẩm định").fill(_when(today + timedelta(days=120)))
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    with page.expect_navigation():
        page.get_by_role("link", name="2. Mức xếp loại").click()
    extra = page.get_by_test_id("bands-form").locator("tbody tr").last
    extra.locator("input[name$='-code']").fill("xuat-sac")
    extra.locator("input[name$='-label']").fill("Xuất sắc")
    extra.locator("input[name$='-min_index']").fill("90")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.goto(f"/nam-danh-gia/{period.pk}/")
    expect(page.get_by_test_id("checklist-ok")).to_have_text("Đã đủ điều kiện mở kỳ đánh giá.")
    expect(page.locator("main")).to_contain_text(re.compile(r"Xuất sắc \(≥ 90,00\s%\)"))
    _shot(page, "checklist")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("period-open").click()
    expect(page.get_by_test_id("period-status")).to_have_text("Đã mở")
    page.context.close()
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN

    # 7. The officer sets the password from the invitation, logs in and scores a sub-criterion.
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    officer = context.new_page()
    officer.goto(link)
    officer.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    officer.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    with officer.expect_navigation():
        officer.get_by_role("button", name="Lưu mật khẩu mới").click()
    officer.goto("/accounts/login/")
    officer.locator("input[name=username]").fill("lan")
    officer.locator("input[name=password]").fill(NEW_PASSWORD)
    with officer.expect_navigation():
        officer.locator("main form button[type=submit]").click()
    officer.goto("/tu-danh-gia/")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Mở hồ sơ tự đánh giá").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Sở Nội vụ")
    item = officer.locator('[id="item-1.1.1"]')
    item.get_by_label("Điểm tự chấm").fill("0,5")
    item.get_by_label("Giải thích, căn cứ chấm điểm").fill("Kế hoạch số 12/KH-SNV ban hành ngày 10/01")
    item.get_by_label("Giải thích, căn cứ chấm điểm").press("Tab")
    expect(item.locator(".item-state")).to_contain_text("Đã chấm: 0,50")
    _shot(officer, "officer-scored")
    context.close()
    score = SelfScore.objects.get(item__code="1.1.1", assessment__period=period)
    assert str(score.points) == "0.50" and score.updated_by.username == "lan"

    # 8. Another body's administrator: 404 on every one of those pages.
    unit = Unit.objects.get(body=body, code="so-noi-vu")
    objects = SetupObjects(
        body=body,
        period=period,
        group=unit.group,
        unit=unit,
        person=User.objects.get(username="lan"),
        criteria_set=CriteriaSet.objects.get(period=period),
    )
    assert AppraiserAssignment.objects.filter(period=period, unit=unit).count() == 1
    stranger = session_page(browser, live_server, outsider)
    answers = {url: stranger.goto(url).status for url in setup_page_urls(objects)}
    stranger.context.close()
    assert answers == dict.fromkeys(answers, 404)
