"""Printing the scoring, appraisal and annual report pages: the content only, tables across the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scoring.workflow import Status
from tests.appraisal.helpers import submitted_assessment
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def _printed(page, url: str, name: str) -> None:
    page.emulate_media(media="screen")
    page.goto(url)
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"print-{name}.png", full_page=True)
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("main button:visible").count()
    width = page.evaluate("document.documentElement.clientWidth")
    for table in page.locator("main table:visible").all():
        box = table.bounding_box()
        assert box and box["width"] >= width * 0.9, f"{name}: a table is {box} wide on a {width} px page"


def test_scoring_appraisal_and_council_pages_print_their_content_only(page, logged_in_page, body_admin, unit):
    assessment = submitted_assessment(unit=unit, status=Status.ROUND_1)
    logged_in_page(body_admin)
    _printed(page, reverse("assessment:sheet", args=[assessment.pk]), "scoring")
    _printed(page, reverse("appraisal:sheet", args=[assessment.pk]), "appraisal")
    _printed(page, reverse("appraisal:council", args=[assessment.period_id]), "council")


def test_admin_sets_the_reports_particulars_from_the_annual_report_page(
    page, logged_in_page, body, body_admin
):
    from reports.models import ReportParticulars
    from tests.reports.ranking_data import lai_chau_2020_create

    lai_chau_2020_create(body=body)
    logged_in_page(body_admin)
    page.goto(reverse("reports:annual_report") + "?body=lai-chau&year=2020")
    page.locator("#thong-tin-van-ban summary").click()
    page.get_by_label("Số văn bản").fill("45/BC-SNV")
    page.get_by_label("Họ và tên người ký").fill("Trần Thị Bình")
    page.get_by_label("Chức vụ người ký").fill("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu thông tin văn bản").click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "annual-particulars.png", full_page=True)
    assert page.get_by_text("Đã lưu thông tin văn bản của báo cáo.").is_visible()
    assert page.locator(".annual-report .closing").get_by_text("Trần Thị Bình").is_visible()
    assert ReportParticulars.objects.get().number == "45/BC-SNV"
    page.emulate_media(media="print")
    assert not page.locator("#thong-tin-van-ban").is_visible()
