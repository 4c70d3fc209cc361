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
