"""A body administrator edits a criteria item on the set's page: a broken sum is refused, then the tree is fixed."""

import pytest
from playwright.sync_api import expect

from scoring.evaluation import services
from scoring.models import AuditEvent, CriteriaItem, PeriodStatus
from tests.scoring.criteria_helpers import good_workbook
from tests.scoring.factories import PeriodFactory

pytestmark = pytest.mark.browser


def test_body_admin_edits_an_item_through_the_page(logged_in_page, body, body_admin, departments):
    period = PeriodFactory(body=body, year=2025, status=PeriodStatus.SETUP)
    criteria_set = services.criteria_set_import(
        period=period, unit_group=departments, workbook_file=good_workbook(), name="Bộ tiêu chí sở 2025"
    )
    page = logged_in_page(body_admin)
    page.goto(f"/tieu-chi/{criteria_set.pk}/")

    # One item: a maximum that breaks its parent's sum is refused, with what was typed kept.
    with page.expect_navigation():
        page.get_by_test_id("edit-1.1.1").click()
    page.get_by_label("Nội dung").fill("Ban hành kế hoạch CCHC năm")
    page.get_by_label("Điểm tối đa").fill("0,75")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("errors")).to_contain_text("tổng điểm tối đa các mục con là 1,75")
    expect(page.get_by_label("Điểm tối đa")).to_have_value("0,75")
    assert (
        CriteriaItem.objects.get(criteria_set=criteria_set, code="1.1.1").name
        == "Ban hành kế hoạch đúng thời hạn"
    )

    # Back to the maximum it had: the new text is saved.
    page.get_by_label("Điểm tối đa").fill("0,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Ban hành kế hoạch CCHC năm")

    # The whole tree: the maximum and its parents in one save.
    with page.expect_navigation():
        page.get_by_test_id("tree-edit").click()
    rows = {"1": "4", "1.1": "2", "1.1.1": "1"}
    for n in range(7):
        code = page.locator(f"#id_rows-{n}-code").input_value()
        if code in rows:
            page.locator(f"#id_rows-{n}-max_points").fill(rows[code])
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu cả cây tiêu chí").click()
    expect(page.locator("main")).to_contain_text("Đã lưu bộ tiêu chí")
    maxima = dict(CriteriaItem.objects.filter(criteria_set=criteria_set).values_list("code", "max_points"))
    assert (maxima["1"], maxima["1.1"], maxima["1.1.1"]) == (4, 2, 1)
    assert AuditEvent.objects.filter(action="criteria_item_updated", item_code="1.1.1", field="name").exists()
