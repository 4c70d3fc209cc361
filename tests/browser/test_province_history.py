"""The body administrator imports the province's national results through the page and reads its history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import NationalResult
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "reports" / "demo"
REFERENCE = Path("/work/shared/reference/lai-chau-province-history.csv")


def test_admin_imports_the_reference_csv_and_sees_the_history_and_charts(logged_in_page, body_admin):
    page = logged_in_page(body_admin)
    page.goto("/ket-qua/chi-so-tinh/?body=lai-chau")
    expect(page.get_by_text("Chưa có kết quả Chỉ số CCHC của tỉnh")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập kết quả").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập kết quả Chỉ số CCHC của tỉnh")

    # A wrong file first: nothing is saved and the page says which row and column.
    bad = ARTIFACTS / "province-bad.csv"
    ARTIFACTS.mkdir(exist_ok=True)
    bad.write_text(
        "year,appraisal_points,survey_points,index,national_rank,region_rank\n2020,57.55,26.16,83.72,64,5\n"
    )
    page.get_by_label("Tệp kết quả (.xlsx hoặc .csv)").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và nhập").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Chưa lưu gì")
    expect(errors.locator("tbody tr").first).to_contain_text("national_rank")
    expect(errors.locator("tbody tr").first).to_contain_text("hạng 64 lớn hơn số được xếp hạng (63")
    assert NationalResult.objects.count() == 0
    page.screenshot(path=ARTIFACTS / "province-import-errors.png", full_page=True)

    reference = REFERENCE if REFERENCE.exists() else DEMO / "lai-chau-province-history.csv"
    page.get_by_label("Tệp kết quả (.xlsx hoặc .csv)").set_input_files(str(reference))
    page.get_by_label("Tệp kết quả theo lĩnh vực (.csv, không bắt buộc)").set_input_files(
        str(DEMO / "lai-chau-national-fields-2019-2020.csv")
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và nhập").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Chỉ số CCHC của tỉnh qua các năm")
    expect(page.get_by_role("status")).to_contain_text("10 năm mới")
    rows = page.locator("table.province-history tbody tr")
    expect(rows).to_have_count(10)
    row_2020 = page.locator("tr[data-year='2020']")
    expect(row_2020).to_contain_text("83,72")
    expect(row_2020).to_contain_text("38/63")
    expect(row_2020).to_contain_text("5/6")
    expect(page.locator("tr[data-year='2022']")).to_contain_text("86,29")
    for chart in ("index", "rank", "fields"):
        expect(page.locator(f"figure[data-chart='{chart}'] svg[role='img']")).to_be_visible()
    expect(page.locator("table.province-fields tr[data-field='8']")).to_contain_text("hạng 4")
    page.screenshot(path=ARTIFACTS / "province-history.png", full_page=True)

    # Next, a target for 2021 from the 2020 results shown beside the form.
    page.goto("/ket-qua/chi-so-tinh/muc-tieu/2021/sua/?body=lai-chau")
    row = page.locator("fieldset[data-field='1']")
    expect(row.locator("legend")).to_contain_text(re.compile(r"90,82\s%"))
    row.get_by_label("Cách so sánh").select_option("equal")
    row.get_by_label("Chỉ số mục tiêu (%)").fill("91,76")
    row.get_by_label("Thứ hạng từ").fill("28")
    row.get_by_label("đến").fill("30")
    row.get_by_label("Cơ quan chủ trì theo dõi").fill(
        "Sở Nội vụ, các cơ quan là thành viên Ban Chỉ đạo CCHC tỉnh"
    )
    page.screenshot(path=ARTIFACTS / "province-targets-edit.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu mục tiêu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mục tiêu Chỉ số CCHC của tỉnh năm 2021")
    target = page.locator("tr[data-field='1']")
    expect(target).to_contain_text(re.compile(r"91,76\s%"))
    expect(target).to_contain_text("hạng 28–30")
    expect(target).to_contain_text("Sở Nội vụ")
    page.screenshot(path=ARTIFACTS / "province-targets.png", full_page=True)
