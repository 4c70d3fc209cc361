"""One unit's dossier in a real browser from submission through round 1, the explanation, round 2 and the council."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import Explanation, ItemAppraisal
from scoring.models import Assessment
from scoring.workflow import Status
from tests.appraisal.helpers import assign, submitted_assessment
from tests.browser.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, session_page  # noqa: F401
from tests.scoring import evidence_samples as samples
from tests.scoring.assessment_helpers import appraisal_items

pytestmark = pytest.mark.browser


@pytest.fixture
def dossier(unit, unit_head, appraiser, body_admin, council_member):
    assessment = submitted_assessment(unit=unit, actor=unit_head)
    period = assessment.period
    period.explanation_deadline = timezone.now() + timedelta(days=7)
    period.save(update_fields=["explanation_deadline"])
    assign(appraiser, unit)
    return assessment


@pytest.fixture
def sessions():
    """Return the list of pages opened by the test; each is screenshotted and closed at the end, pass or fail."""
    pages: list = []
    yield pages
    for name, page in pages:
        try:
            _shot(page, f"end-{name}")
        finally:
            page.context.close()


def _session(browser, live_server, user, sessions):
    """Return a logged-in page in a context of its own, screenshotted and closed at the end."""
    page = session_page(browser, live_server, user)
    sessions.append((user.username, page))
    return page


def _status(assessment: Assessment) -> str:
    assessment.refresh_from_db()
    return assessment.status


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"browser-appraisal-{name}.png", full_page=True)


def test_a_unit_goes_through_both_rounds_the_explanation_council_approval_and_publication(
    browser, live_server, sessions, dossier, unit_head, appraiser, body_admin, council_member
):
    items = appraisal_items(dossier.criteria_set)
    first, others = items[0], items[1:]
    sheet = f"/tham-dinh/{dossier.pk}/"

    # The administrator opens round 1 from the sheet.
    admin = _session(browser, live_server, body_admin, sessions)
    admin.goto(sheet)
    admin.get_by_role("button", name="Bắt đầu thẩm định").click()
    expect(admin.get_by_test_id("status")).to_have_text("Thẩm định vòng 1")

    # The appraiser scores one item with a decimal comma and flags it, and accepts the unit's score for the rest.
    tgv = _session(browser, live_server, appraiser, sessions)
    tgv.get_by_test_id("nav-appraisal").click()
    tgv.get_by_role("link", name=dossier.unit.name).click()
    item = tgv.locator(f'[id="item-{first.code}"]')
    item.locator("textarea[name=comment]").fill("Thiếu quyết định ban hành kế hoạch")
    item.locator("input[name=needs_explanation]").check()
    item.locator("input[name=points]").fill("0,5")
    item.locator("input[name=points]").press("Tab")
    expect(item.locator(".item-state")).to_contain_text("Thẩm định: 0,50")
    expect(tgv.get_by_test_id("appraised-1")).to_contain_text("0,50")
    expect(tgv.locator("#field-totals-1")).to_contain_text("thẩm định 0,50")
    _shot(tgv, "round-1")
    for other in others:
        tgv.locator(f'input.bulk-check[value="{other.pk}"]').check()
    tgv.get_by_role("button", name="Chấp nhận điểm tự chấm cho các tiêu chí đã chọn").click()
    expect(tgv.locator(".message-success")).to_contain_text(f"{len(others)} tiêu chí")
    row = ItemAppraisal.objects.get(assessment=dossier, item=first, round=1)
    assert (row.points, row.needs_explanation) == (Decimal("0.5"), True)
    assert ItemAppraisal.objects.filter(assessment=dossier, round=1).count() == len(items)

    # The unit sees nothing before the results are sent.
    head = _session(browser, live_server, unit_head, sessions)
    head.goto(f"/tham-dinh/{dossier.pk}/giai-trinh/")
    expect(head.get_by_test_id("not-sent")).to_be_visible()

    admin.reload()
    admin.get_by_role("button", name="Gửi kết quả thẩm định vòng 1").click()
    # Sending asks first and says what is left (here: nothing left unappraised, one item to explain).
    expect(admin.get_by_test_id("confirm")).to_contain_text("1 tiêu chí cần đơn vị giải trình/bổ sung.")
    admin.get_by_role("button", name="Xác nhận gửi kết quả vòng 1").click()
    expect(admin.get_by_test_id("status")).to_have_text("Giải trình")

    # The unit head explains the flagged item, attaches a supplementary file and sends the explanation.
    head.reload()
    expect(head.get_by_test_id(f"round1-{first.code}")).to_have_text("0,50")
    head.locator(f'[id="item-{first.code}"] input[type=file]').set_input_files(
        files=[{"name": "Quyết định 12.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}]
    )
    expect(head.locator(f'[id="item-{first.code}"] .evidence-files')).to_contain_text("Quyết định 12.pdf")
    flagged = head.locator(f'[id="item-{first.code}"]')
    flagged.locator("textarea[name=text]").fill("Đã ban hành Quyết định số 12/QĐ-SNV ngày 10/01/2026")
    expect(flagged.locator(".counter")).to_contain_text("/2000")
    flagged.get_by_role("button", name="Lưu giải trình").click()
    expect(head.locator(f'[id="item-{first.code}"] .notice')).to_have_text("Đã lưu.")
    _shot(head, "explanation")
    head.get_by_role("button", name="Gửi giải trình").click()
    expect(head.get_by_test_id("confirm")).to_contain_text(
        "Cả 1 tiêu chí cần giải trình đã có nội dung giải trình."
    )
    head.get_by_role("button", name="Xác nhận gửi giải trình").click()
    expect(head.get_by_test_id("status")).to_have_text("Thẩm định vòng 2")
    assert Explanation.objects.get(assessment=dossier, item=first).text.startswith("Đã ban hành")

    # Round 2: only the flagged item is open; its round-1 score stays as it was.
    tgv.reload()
    expect(tgv.locator("input[name=points]")).to_have_count(1)
    item = tgv.locator(f'[id="item-{first.code}"]')
    expect(item.locator(".explanation-box")).to_contain_text("Quyết định số 12/QĐ-SNV")
    item.locator("input[name=points]").fill("0,75")
    item.locator("input[name=points]").press("Tab")
    expect(item.locator(".item-state")).to_contain_text("Thẩm định: 0,75")
    _shot(tgv, "round-2")
    assert ItemAppraisal.objects.get(assessment=dossier, item=first, round=1).points == Decimal("0.5")
    assert ItemAppraisal.objects.get(assessment=dossier, item=first, round=2).points == Decimal("0.75")

    # The history of the item shows every stage side by side.
    tgv.goto(f"/tham-dinh/{dossier.pk}/tieu-chi/{first.pk}/lich-su/")
    expect(tgv.get_by_test_id("final")).to_have_text("0,75")
    _shot(tgv, "history")

    # The council approves the unit.
    admin.goto(f"/tham-dinh/hoi-dong/{dossier.period_id}/")
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    admin.get_by_label("Ngày họp").fill(day)
    admin.get_by_label(council_member.full_name or council_member.username).check()
    admin.locator(f'input[name="decision-{dossier.pk}"][value="approve"]').check()
    _shot(admin, "council-form")
    admin.get_by_role("button", name="Ghi nhận cuộc họp").click()
    expect(admin.locator(".message-success")).to_contain_text("thông qua 1")
    _shot(admin, "council")
    assert _status(dossier) == Status.COUNCIL_APPROVED

    # A council member reads the meeting but has no form.
    member = _session(browser, live_server, council_member, sessions)
    member.goto(f"/tham-dinh/hoi-dong/{dossier.period_id}/")
    expect(member.get_by_text(f"Họp ngày {day}")).to_be_visible()
    expect(member.get_by_role("button", name="Ghi nhận cuộc họp")).to_have_count(0)

    # The administrator records the decision and publishes; the public page shows the unit without a login.
    admin.goto(f"/ket-qua/cong-bo/ky/{dossier.period_id}/")
    admin.get_by_label("Số quyết định").fill("701/QĐ-UBND")
    admin.get_by_label("Ngày ký (dd/mm/yyyy)").fill(timezone.localdate().strftime("%d/%m/%Y"))
    admin.get_by_label("Người ký").fill("Chủ tịch UBND tỉnh")
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator(".snapshot-hash, code").first).to_be_visible()
    _shot(admin, "published")
    assert _status(dossier) == Status.PUBLISHED

    visitor = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    try:
        visitor.goto(f"/cong-khai/{dossier.period.body.code}/{dossier.period.year}/")
        expect(visitor.locator("main")).to_contain_text(dossier.unit.name)
        expect(visitor.locator("main")).to_contain_text("701/QĐ-UBND")
        expect(visitor.locator(".snapshot-hash")).to_be_visible()
        _shot(visitor, "public")
    finally:
        visitor.context.close()


def test_bulk_accept_of_every_item_keeps_the_value_an_appraiser_lowered_unless_replaced_explicitly(
    browser, live_server, sessions, dossier, appraiser
):
    items = appraisal_items(dossier.criteria_set)
    lowered = items[2]
    dossier.status = Status.ROUND_1
    dossier.save(update_fields=["status"])

    # The appraiser lowers one item with a comment and the flag.
    tgv = _session(browser, live_server, appraiser, sessions)
    tgv.goto(f"/tham-dinh/{dossier.pk}/")
    item = tgv.locator(f'[id="item-{lowered.code}"]')
    item.locator("textarea[name=comment]").fill("Báo cáo nộp muộn")
    item.locator("input[name=needs_explanation]").check()
    item.locator("input[name=points]").fill("0,25")
    item.locator("input[name=points]").press("Tab")
    expect(item.locator(".item-state")).to_contain_text("Thẩm định: 0,25")

    # "Chọn tất cả" then bulk accept: every other item is filled, the lowered one is held and listed.
    tgv.get_by_role("button", name="Chọn tất cả").click()
    tgv.get_by_role("button", name="Chấp nhận điểm tự chấm cho các tiêu chí đã chọn").click()
    expect(tgv.get_by_test_id("bulk-done")).to_contain_text(f"{len(items) - 1} tiêu chí chưa thẩm định")
    held = tgv.get_by_test_id(f"held-{lowered.code}")
    expect(held).to_contain_text("0,25")
    expect(held).to_contain_text("1,00")
    _shot(tgv, "bulk-confirm")
    tgv.get_by_role("button", name="Giữ nguyên tất cả, quay lại").click()
    item = tgv.locator(f'[id="item-{lowered.code}"]')
    expect(item.locator(".item-state")).to_contain_text("Thẩm định: 0,25")
    expect(item.locator("input[name=points]")).to_have_value("0,25")
    row = ItemAppraisal.objects.get(assessment=dossier, item=lowered, round=1)
    assert (row.points, row.comment, row.needs_explanation) == (Decimal("0.25"), "Báo cáo nộp muộn", True)
    assert (
        ItemAppraisal.objects.filter(assessment=dossier, round=1, points=Decimal("1.00")).count()
        == len(items) - 1
    )

    # Replacing it takes the explicit choice on the confirmation: tick the item, then replace.
    tgv.get_by_role("button", name="Chọn tất cả").click()
    tgv.get_by_role("button", name="Chấp nhận điểm tự chấm cho các tiêu chí đã chọn").click()
    tgv.get_by_label(f"Thay tiêu chí {lowered.code}").check()
    tgv.get_by_role("button", name="Thay bằng điểm tự chấm cho các tiêu chí đã chọn").click()
    expect(tgv.locator(".message-success")).to_contain_text("Đã thay điểm thẩm định của 1 tiêu chí")
    item = tgv.locator(f'[id="item-{lowered.code}"]')
    expect(item.locator(".item-state")).to_contain_text("Thẩm định: 1,00")
    row.refresh_from_db()
    assert (row.points, row.comment, row.needs_explanation) == (Decimal("1.00"), "Báo cáo nộp muộn", True)
