"""Live results follow a change without a button: an appraiser lowers an item in round 2, the report follows.

The body administrator reads the annual report (a draft: nothing published yet); the appraiser, in a browser
of their own, lowers the flagged item in round 2; the administrator reloads the report and sees the new index,
computed after the change, with no "Tính lại kết quả" pressed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reports.results.services import period_results_recompute
from scoring.workflow import Status
from tests.appraisal.helpers import appraise_all, assign, set_status, submitted_assessment
from tests.browser.conftest import ARTIFACTS, session_page
from tests.scoring.assessment_helpers import appraisal_items

pytestmark = pytest.mark.browser


@pytest.fixture
def round_2(unit, appraiser):
    """A dossier in round 2: every item appraised at the maximum in round 1, the first one flagged."""
    assessment = submitted_assessment(unit=unit)
    first = appraisal_items(assessment.criteria_set)[0]
    appraise_all(assessment=assessment, round=1, flagged=[first.code])
    set_status(assessment, Status.ROUND_2)
    assign(appraiser, unit)
    period_results_recompute(period=assessment.period)
    return assessment, first


def test_the_report_follows_a_round_2_change_without_a_recompute_button(
    browser, live_server, round_2, body_admin, appraiser
):
    assessment, first = round_2
    report_url = f"/ket-qua/bao-cao-nam/?body={assessment.period.body.code}&year={assessment.period.year}"
    admin = session_page(browser, live_server, body_admin)
    admin.goto(report_url)
    row = admin.locator(f'tr[data-unit="{assessment.unit.code}"]')
    expect(row).to_contain_text("100,00")
    expect(row).to_contain_text("Đã thẩm định, chưa thông qua")
    expect(admin.get_by_test_id("freshness")).to_contain_text("được tính lúc")

    tgv = session_page(browser, live_server, appraiser)
    tgv.goto(f"/tham-dinh/{assessment.pk}/")
    item = tgv.locator(f'[id="item-{first.code}"]')
    item.locator("input[name=points]").fill("0")
    item.locator("input[name=points]").press("Tab")
    expect(item.locator(".item-state")).to_contain_text("Thẩm định: 0,00")

    admin.reload()
    # 8 items of 1 point; the first lost: 7/8 = 87,50 %.
    expect(admin.locator(f'tr[data-unit="{assessment.unit.code}"]')).to_contain_text("87,50")
    expect(admin.get_by_test_id("freshness")).not_to_contain_text("đang tính lại")
    ARTIFACTS.mkdir(exist_ok=True)
    admin.screenshot(path=ARTIFACTS / "browser-live-results-report.png", full_page=True)
    assert Decimal(str(first.max_points)) == Decimal(1)
