"""The Foundation as a body administrator uses it: published results in, rankings out, criteria sets in."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from scoring.evaluation.workbook_write import template_workbook, workbook_bytes
from scoring.models import CriteriaSet

pytestmark = pytest.mark.browser

REFERENCE = Path(__file__).resolve().parents[1] / "reports" / "data" / "lai-chau-2020-departments.csv"


def test_admin_imports_published_results_and_reads_the_rankings(logged_in_page, body_admin, tmp_path):
    page = logged_in_page(body_admin)
    page.goto("/ket-qua/nhap/")
    page.locator("input[name=file]").set_input_files(str(REFERENCE))
    page.locator("input[name=year]").fill("2020")
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và nhập").click()
    expect(page.get_by_text("Đã nhập xong:")).to_be_visible()

    page.goto("/ket-qua/xep-hang/?year=2020")
    expect(page.get_by_role("heading", level=1)).to_contain_text("năm 2020")
    first_table = page.locator("table").first
    rows = first_table.locator("tbody tr")
    expect(rows).to_have_count(15)
    expect(rows.nth(0)).to_contain_text("Sở Nội vụ")
    expect(rows.nth(0)).to_contain_text("87,42")
    # The two departments published at 85,66 share rank 4; the next one is 6th.
    for n in (3, 4):
        expect(rows.nth(n).locator("td").first).to_have_text("4")
        expect(rows.nth(n)).to_contain_text("85,66")
    expect(rows.nth(5).locator("td").first).to_have_text("6")
    expect(page.get_by_text(re.compile(r"82,67\s%"))).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_text("Tải Excel").click()
    saved = tmp_path / "xep-hang.xlsx"
    download_info.value.save_as(saved)
    values = [c for row in openpyxl.load_workbook(saved).active.iter_rows(values_only=True) for c in row if c]
    assert "Sở Nội vụ" in values


def test_admin_imports_a_criteria_set_and_sees_errors_first(
    logged_in_page, body_admin, body, departments, tmp_path
):
    from scoring.evaluation import services

    services.period_get_or_create(body=body, year=2026)
    good = tmp_path / "bo-tieu-chi.xlsx"
    good.write_bytes(workbook_bytes(template_workbook()))
    broken = openpyxl.load_workbook(io.BytesIO(good.read_bytes()))
    sheet = broken["Tiêu chí"]
    for row in sheet.iter_rows(min_row=2):
        if isinstance(row[2].value, int | float) or (isinstance(row[2].value, str) and row[2].value.strip()):
            row[2].value = -1  # a negative maximum: the import must refuse the whole file
            break
    bad = tmp_path / "bo-tieu-chi-loi.xlsx"
    broken.save(bad)

    page = logged_in_page(body_admin)
    page.goto(f"/tieu-chi/{body.code}/nhap-excel/")
    page.locator("input[name=year]").fill("2026")
    page.locator("select[name=unit_group]").select_option(label="Sở, ban, ngành")
    page.locator("input[name=name]").fill("Bộ tiêu chí sở, ngành 2026")
    page.locator("input[name=workbook]").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.locator("table").first).to_contain_text("Điểm tối đa")
    assert not CriteriaSet.objects.exists()
    # What was typed is still there; only the file must be chosen again.
    expect(page.locator("input[name=name]")).to_have_value("Bộ tiêu chí sở, ngành 2026")

    page.locator("input[name=workbook]").set_input_files(str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bộ tiêu chí sở, ngành 2026")
    assert CriteriaSet.objects.get().items.exists()
